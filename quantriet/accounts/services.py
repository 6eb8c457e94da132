"""The writes of a user's own account: second-factor devices and API tokens, each audited."""

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from quantriet.core.audit import audit_record
from quantriet.core.models import ApiToken

from . import twofactor


def _recovery_codes_write(user) -> tuple[StaticDevice, list[str]]:
    """USER's recovery codes replaced by fresh ones: the device and the codes (to show once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=twofactor.RECOVERY_NAME, confirmed=True)
    codes = twofactor.new_recovery_codes()
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return device, codes


@transaction.atomic
def otp_enrol(user, device: TOTPDevice) -> list[str]:
    """Confirm DEVICE (whose code the user has just given) as USER's one authenticator, replacing
    any earlier one, with fresh recovery codes; returns the codes."""
    replaced = TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).exists()
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.name = twofactor.AUTHENTICATOR_NAME
    device.save(update_fields=["confirmed", "name"])
    _, codes = _recovery_codes_write(user)
    audit_record(user, "otp.enrol", device, {"replaced": replaced}, {"recovery_codes": len(codes)})
    return codes


@transaction.atomic
def otp_recovery_regenerate(user) -> list[str]:
    """New recovery codes for USER (the old ones stop working); returns them."""
    before = StaticToken.objects.filter(device__user=user).count()
    device, codes = _recovery_codes_write(user)
    audit_record(user, "otp.recovery_regenerate", device, {"unused": before}, {"recovery_codes": len(codes)})
    return codes


def otp_recovery_used(user, device: StaticDevice) -> int:
    """Record that USER signed in with a recovery code of DEVICE (django-otp deleted it); the codes left."""
    left = device.token_set.count()
    audit_record(user, "otp.recovery_use", device, None, {"unused": left})
    return left


@transaction.atomic
def otp_disable(user, actor) -> None:
    """Remove USER's authenticator and recovery codes (ACTOR: the user, or an admin resetting a lost phone)."""
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed").first()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(actor, "otp.disable", device, {"user": user.pk}, None, object_type="otp_totp.totpdevice")


def token_issue(user) -> str:
    """A new API token for USER; its raw value (shown once)."""
    token, raw = ApiToken.create_for(user)
    audit_record(user, "api_token.issue", token, None, {"expires_at": token.expires_at.isoformat()})
    return raw


def _token_facts(token: ApiToken) -> dict:
    return {
        "user": token.user_id,
        "created_at": token.created_at.isoformat(),
        "expires_at": token.expires_at.isoformat(),
    }


@transaction.atomic
def token_revoke(user, token: ApiToken) -> None:
    """USER revokes TOKEN (one of theirs: the caller fetched it through `own_tokens`)."""
    audit_record(user, "api_token.revoke", token, _token_facts(token), None)
    token.delete()


@transaction.atomic
def tokens_revoke_all(user) -> int:
    """USER revokes every token of theirs; how many there were."""
    tokens = list(ApiToken.objects.filter(user=user))
    for token in tokens:
        audit_record(user, "api_token.revoke", token, _token_facts(token), None)
    ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).delete()
    return len(tokens)


@transaction.atomic
def tokens_prune() -> int:
    """Delete every expired token (they no longer open anything); how many. One audit entry for all."""
    expired = ApiToken.objects.filter(expires_at__lte=timezone.now())
    count = expired.count()
    if count:
        expired.delete()
        audit_record(None, "api_token.prune", None, None, {"deleted": count}, object_type="core.apitoken")
    return count
