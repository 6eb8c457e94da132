"""A user's own API tokens: listed, revoked one by one or all, never another's; expired ones pruned;
the token endpoint throttled like the login form."""

import io
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from quantriet.core.models import ApiToken, AuditEntry


def _issue(user):
    return ApiToken.create_for(user)


def test_tokens_page_lists_only_ones_own(client_as, users):
    mine, _ = _issue(users["xa1.bithu"])
    expired, _ = _issue(users["xa1.bithu"])
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    other, _ = _issue(users["xa2.bithu"])
    page = client_as("xa1.bithu").get("/tai-khoan/ma-truy-cap/").content.decode()
    assert f'data-token="{mine.pk}"' in page and f'data-token="{expired.pk}"' in page
    assert f'data-token="{other.pk}"' not in page
    assert "Còn hạn" in page and "Hết hạn" in page
    assert timezone.localtime(mine.expires_at).strftime("%d/%m/%Y") in page


def test_revoking_ones_own_token_stops_it_and_is_audited(client_as, users):
    token, raw = _issue(users["xa1.bithu"])
    assert Client().get("/api/v1/orgs", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    response = client_as("xa1.bithu").post(f"/tai-khoan/ma-truy-cap/{token.pk}/thu-hoi/")
    assert response["Location"] == "/tai-khoan/ma-truy-cap/"
    assert Client().get("/api/v1/orgs", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    entry = AuditEntry.objects.get(action="api_token.revoke")
    assert entry.actor == users["xa1.bithu"] and entry.object_id == str(token.pk)
    assert entry.before["user"] == users["xa1.bithu"].pk and entry.after is None


def test_another_users_token_cannot_be_revoked(client_as, users):
    other, _ = _issue(users["xa2.bithu"])
    assert client_as("xa1.bithu").post(f"/tai-khoan/ma-truy-cap/{other.pk}/thu-hoi/").status_code == 404
    assert client_as("admin").post(f"/tai-khoan/ma-truy-cap/{other.pk}/thu-hoi/").status_code == 404
    assert ApiToken.objects.filter(pk=other.pk).exists()
    assert client_as(None).post(f"/tai-khoan/ma-truy-cap/{other.pk}/thu-hoi/")["Location"].startswith("/dang-nhap/")


def test_revoke_all_revokes_only_ones_own(client_as, users):
    for _ in range(3):
        _issue(users["xa1.bithu"])
    other, _ = _issue(users["xa2.bithu"])
    response = client_as("xa1.bithu").post("/tai-khoan/ma-truy-cap/thu-hoi-tat-ca/", follow=True)
    assert "Đã thu hồi 3 mã truy cập" in response.content.decode()
    assert not users["xa1.bithu"].api_tokens.exists() and ApiToken.objects.filter(pk=other.pk).exists()
    assert AuditEntry.objects.filter(action="api_token.revoke").count() == 3


def test_revoking_needs_a_post(client_as, users):
    token, _ = _issue(users["xa1.bithu"])
    assert client_as("xa1.bithu").get(f"/tai-khoan/ma-truy-cap/{token.pk}/thu-hoi/").status_code == 405
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_api_lists_and_revokes_only_the_callers_tokens(users):
    token, raw = _issue(users["xa1.bithu"])
    spare, _ = _issue(users["xa1.bithu"])
    other, _ = _issue(users["xa2.bithu"])
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    listed = client.get("/api/v1/me/tokens").json()
    assert [t["id"] for t in listed] == [spare.pk, token.pk]
    assert set(listed[0]) == {"id", "created_at", "expires_at"}
    assert client.delete(f"/api/v1/me/tokens/{other.pk}").status_code == 404
    assert ApiToken.objects.filter(pk=other.pk).exists()
    assert client.delete(f"/api/v1/me/tokens/{spare.pk}").status_code == 204
    assert client.delete(f"/api/v1/me/tokens/{token.pk}").status_code == 204  # its own: it stops working
    assert client.get("/api/v1/me/tokens").status_code == 401
    assert Client().get("/api/v1/me/tokens").status_code == 401


def test_issuing_a_token_is_audited(db):
    response = Client().post(
        "/api/v1/auth/token",
        {"username": "xa1.bithu", "password": settings.DEMO_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="api_token.issue")
    assert entry.actor.username == "xa1.bithu" and "expires_at" in entry.after


def test_prune_tokens_deletes_the_expired_ones_only(users):
    live, _ = _issue(users["xa1.bithu"])
    for _ in range(2):
        expired, _ = _issue(users["xa2.bithu"])
        ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    out = io.StringIO()
    call_command("prune_tokens", stdout=out)
    assert "Đã xóa 2 mã truy cập" in out.getvalue()
    assert list(ApiToken.objects.values_list("pk", flat=True)) == [live.pk]
    assert AuditEntry.objects.get(action="api_token.prune").after == {"deleted": 2}
    call_command("prune_tokens", stdout=io.StringIO())
    assert AuditEntry.objects.filter(action="api_token.prune").count() == 1  # nothing pruned, nothing written


def test_wrong_passwords_at_the_token_endpoint_lock_it_and_the_login_form(db):
    """django-axes counts the token endpoint's failures as the login form's: authenticate() with the
    request goes through AxesStandaloneBackend and its failure signal."""
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(
            "/api/v1/auth/token", {"username": "xa2.bithu", "password": "sai"}, content_type="application/json"
        )
        assert response.status_code == 401
    locked = client.post(
        "/api/v1/auth/token", {"username": "xa2.bithu", "password": "sai"}, content_type="application/json"
    )
    assert locked.status_code == 429 and "tạm khóa" in locked.json()["detail"]
    right = client.post(
        "/api/v1/auth/token",
        {"username": "xa2.bithu", "password": settings.DEMO_PASSWORD},
        content_type="application/json",
    )
    assert right.status_code == 429 and "token" not in right.json()
    form = client.post("/dang-nhap/", {"username": "xa2.bithu", "password": settings.DEMO_PASSWORD})
    assert form.status_code == 429
