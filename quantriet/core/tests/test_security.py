"""Security features: argon2, login throttling, CSRF, audit log, production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from quantriet.core.models import AuditEntry

ROOT = Path(settings.BASE_DIR)


def test_passwords_are_hashed_with_argon2(users):
    assert users["xa1.bithu"].password.startswith("argon2")


def test_login_page_is_vietnamese_and_demo_login_works(db):
    client = Client()
    page = client.get("/dang-nhap/")
    assert page.status_code == 200
    assert "Đăng nhập" in page.content.decode() and 'lang="vi"' in page.content.decode()
    for username in ["admin", "tinh.tuyengiao", "xa1.bithu", "xa2.bithu", "dangvien1"]:
        response = Client().post("/dang-nhap/", {"username": username, "password": settings.DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert response["Location"] == "/"


def test_login_is_throttled_after_repeated_failures(db):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/dang-nhap/", {"username": "xa1.bithu", "password": "sai-mat-khau"})
    assert response.status_code in (403, 429)
    # Even the right password is refused while locked out.
    response = client.post("/dang-nhap/", {"username": "xa1.bithu", "password": settings.DEMO_PASSWORD})
    assert response.status_code == 429
    assert "tạm thời bị khóa" in response.content.decode() and "tạm khóa 15 phút" in response.content.decode()
    # The API token endpoint shares the lockout.
    response = client.post(
        "/api/v1/auth/token",
        {"username": "xa1.bithu", "password": settings.DEMO_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert "token" not in response.json() and "tạm khóa" in response.json()["detail"]


def test_csrf_is_enforced(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/dang-nhap/", {"username": "xa1.bithu", "password": settings.DEMO_PASSWORD})
    assert response.status_code == 403


def test_audit_log_is_read_only_in_admin(client_as, users):
    entry = AuditEntry.objects.create(actor=users["admin"], action="test.write", object_type="x")
    client = client_as("admin")
    assert client.get("/quan-tri/core/auditentry/").status_code == 200
    assert client.get(f"/quan-tri/core/auditentry/{entry.pk}/change/").status_code == 200
    response = client.post(f"/quan-tri/core/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_admin_edits_are_audited(client_as, users):
    member = users["dangvien1"].member
    client = client_as("admin")
    url = f"/quan-tri/org/member/{member.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "date_of_birth": member.date_of_birth.strftime("%d/%m/%Y"),
            "joined_on": member.joined_on.strftime("%d/%m/%Y"),
            "official_on": member.official_on.strftime("%d/%m/%Y") if member.official_on else "",
            "phone": "0912345678",
            "cell": member.cell_id,
            "user": member.user_id,
        }
    )
    data = {k: v for k, v in data.items() if k in form.fields}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    entry = AuditEntry.objects.get(action="admin.change", object_id=str(member.pk))
    assert entry.after["phone"] == "0912345678" and entry.before["phone"] != "0912345678"


def test_api_token_is_stored_hashed(client_as, users):
    response = client_as(None).post(
        "/api/v1/auth/token",
        {"username": "xa1.bithu", "password": settings.DEMO_PASSWORD},
        content_type="application/json",
    )
    token = response.json()["token"]
    stored = users["xa1.bithu"].api_tokens.get()
    assert token not in stored.key_hash and len(stored.key_hash) == 64


def test_bad_api_login_is_401(client_as):
    response = client_as(None).post(
        "/api/v1/auth/token", {"username": "xa1.bithu", "password": "sai"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert "không đúng" in response.json()["detail"]


def test_expired_or_unknown_token_is_refused(client_as, users):
    from django.utils import timezone

    from quantriet.core.models import ApiToken

    raw = ApiToken.issue(users["xa1.bithu"])
    assert client_as(None).get("/api/v1/orgs", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now())
    assert client_as(None).get("/api/v1/orgs", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    assert client_as(None).get("/api/v1/orgs", headers={"Authorization": "Bearer khong-ton-tai"}).status_code == 401


@pytest.mark.parametrize("collected", [True, False])
def test_check_deploy_is_clean_in_production_settings_once_collectstatic_ran(collected, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update(
        DJANGO_DEBUG="0",
        SECRET_KEY="x" * 20 + "production-secret-key-that-is-long-and-random-9f8e7d6c5b4a",
        ALLOWED_HOSTS="quantriet.example.vn",
        SQLITE_PATH=str(tmp_path / "db.sqlite3"),
        STATIC_ROOT=str(tmp_path),
    )
    if collected:  # what collectstatic leaves behind
        (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1", "hash": ""}')
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if collected:
        assert result.returncode == 0, result.stdout + result.stderr
        assert "no issues" in result.stdout
    else:
        assert result.returncode != 0 and "quantriet.W001" in result.stderr + result.stdout


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    env.update(DJANGO_DEBUG="0", SQLITE_PATH=str(tmp_path / "db.sqlite3"))
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_user_model_is_default():
    assert get_user_model()._meta.label == "auth.User"


def test_client_address_behind_a_trusted_proxy(settings, rf):
    from quantriet.core.lockout import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"  # forwarded header ignored unless a proxy is trusted
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"  # the entry our own proxy appended, not the forgeable first one


PRODUCTION_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "quantriet.core.staticfiles.FallbackManifestStorage"},
}


def test_production_without_collectstatic_serves_pages_and_the_deploy_check_says_why(db, tmp_path):
    """Debug off, STATIC_ROOT empty: pages still render (unhashed names served from the app
    directories) instead of a 500 on every page, and `check --deploy` names the missing step."""
    from django.core import checks
    from django.test import override_settings

    from quantriet.core.staticfiles import manifest_check

    with override_settings(DEBUG=False, STATIC_ROOT=tmp_path, STORAGES=PRODUCTION_STATIC):
        page = Client().get("/dang-nhap/")
        assert page.status_code == 200
        assert "/static/vendor/bootstrap/bootstrap.min.css" in page.content.decode()
        css = Client().get("/static/vendor/bootstrap/bootstrap.min.css")
        assert css.status_code == 200
        warnings = manifest_check(None)
        assert [w.id for w in warnings] == ["quantriet.W001"] and "collectstatic" in warnings[0].msg
        assert manifest_check in checks.registry.registry.get_checks(include_deployment_checks=True)
        (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1", "hash": ""}')
        assert manifest_check(None) == []
