"""The caller's own API tokens: list them, revoke one. Another user's token is a 404."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Path, Router, Schema, Status

from quantriet.core.api import MAX_ID, TAGS

from . import services
from .views import own_tokens

router = Router(tags=[TAGS["account"]])


class TokenInfoOut(Schema):
    id: int
    created_at: datetime
    expires_at: datetime


@router.get("/me/tokens", response=list[TokenInfoOut], summary="Các mã truy cập của tôi")
def my_tokens(request):
    """The caller's tokens, newest first, expired ones included until `prune_tokens` removes them."""
    return own_tokens(request.user)


@router.delete("/me/tokens/{token_id}", response={204: None}, summary="Thu hồi một mã truy cập của tôi")
def revoke_token(request, token_id: int = Path(..., ge=1, le=MAX_ID)):
    """Revoke one of the caller's tokens (the one in use too: the next request with it answers 401)."""
    services.token_revoke(request.user, get_object_or_404(own_tokens(request.user), pk=token_id))
    return Status(204, None)
