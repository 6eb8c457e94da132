"""Two-factor sign-in: who is forced through it, enrolment, code entry, recovery codes, the API."""

import pytest
from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from quantriet.accounts import twofactor
from quantriet.core.models import AuditEntry
from quantriet.tests.otp import code_for, enrolled

ENROL = "/tai-khoan/xac-thuc-hai-buoc/"
VERIFY = "/dang-nhap/xac-thuc/"


@pytest.mark.parametrize("persona", ["admin", "tinh.tuyengiao"])
def test_admins_and_provincial_staff_must_enrol_and_can_do_nothing_else(otp_required, signed_in, persona):
    client = signed_in(persona)
    for path in ["/", "/to-chuc/", "/quan-tri/", "/tai-khoan/", "/tai-khoan/ma-truy-cap/", VERIFY]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(f"{ENROL}?next="), (path, response["Location"])
    assert client.post("/tai-khoan/ma-truy-cap/thu-hoi-tat-ca/")["Location"] == ENROL  # a POST too, no next
    page = client.get(ENROL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "bắt buộc dùng xác thực hai bước" in html and "<svg" in html and 'id="enrol-key"' in html
    assert client.get("/huong-dan/").status_code == 200  # the guide explains how


@pytest.mark.parametrize("persona", ["xa1.bithu", "xa2.bithu", "dangvien1", "outsider"])
def test_commune_cell_and_plain_users_are_not_forced(otp_required, client_as, persona):
    client = client_as(persona)
    assert client.get("/").status_code == 200
    assert client.get("/tai-khoan/").status_code == 200


def test_the_setting_off_forces_no_one(signed_in):
    assert settings.OTP_REQUIRED_FOR == []  # the tests' default, as under DEBUG
    assert signed_in("admin").get("/quan-tri/").status_code == 200


def test_sign_in_through_the_login_page_leads_to_enrolment_then_to_the_page_asked_for(otp_required, users):
    client = Client()
    response = client.post("/dang-nhap/?next=/to-chuc/", {"username": "admin", "password": settings.DEMO_PASSWORD})
    assert response["Location"] == "/to-chuc/"
    assert client.get("/to-chuc/")["Location"] == f"{ENROL}?next=%2Fto-chuc%2F"
    assert client.get(ENROL).status_code == 200
    device = TOTPDevice.objects.get(user=users["admin"], confirmed=False)

    wrong = client.post(ENROL, {"code": "000000", "next": "/to-chuc/"})
    assert wrong.status_code == 200 and "Mã không đúng" in wrong.content.decode()
    assert client.get("/to-chuc/").status_code == 302

    device.throttle_reset()
    done = client.post(ENROL, {"code": code_for(device), "next": "/to-chuc/"})
    assert done["Location"] == "/tai-khoan/ma-khoi-phuc/?next=%2Fto-chuc%2F"
    codes_page = client.get(done["Location"]).content.decode()
    codes = list(StaticToken.objects.filter(device__user=users["admin"]).values_list("token", flat=True))
    assert len(codes) == 10 and all(twofactor.shown(c) in codes_page for c in codes)
    assert 'href="/to-chuc/"' in codes_page
    # Shown once: the second visit sends to the account page instead.
    assert client.get("/tai-khoan/ma-khoi-phuc/")["Location"] == "/tai-khoan/"
    assert client.get("/to-chuc/").status_code == 200
    assert client.get("/quan-tri/").status_code == 200
    entry = AuditEntry.objects.get(action="otp.enrol", actor=users["admin"])
    assert entry.before == {"replaced": False} and entry.after == {"recovery_codes": 10}


def test_enrolled_user_gives_the_code_at_sign_in_and_cannot_enrol_another_phone_before(otp_required, users, signed_in):
    device, _ = enrolled(users["tinh.tuyengiao"])
    client = signed_in("tinh.tuyengiao")
    for path in ["/", "/quan-tri/", ENROL, "/tai-khoan/"]:
        assert client.get(path)["Location"].startswith(f"{VERIFY}?next="), path
    assert not TOTPDevice.objects.filter(user=users["tinh.tuyengiao"], confirmed=False).exists()
    refused = client.post(VERIFY, {"code": "12345", "next": "/to-chuc/"})  # neither 6 digits nor a recovery code
    assert "Mã không đúng" in refused.content.decode()
    device.throttle_reset()
    response = client.post(VERIFY, {"code": code_for(device), "next": "/to-chuc/"})
    assert response["Location"] == "/to-chuc/"
    assert client.get("/to-chuc/").status_code == 200
    assert client.get(VERIFY)["Location"] == "/"  # nothing more to verify


def test_session_key_changes_when_the_second_factor_is_given(otp_required, users, signed_in):
    device, _ = enrolled(users["admin"])
    client = signed_in("admin")
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(VERIFY, {"code": code_for(device)})
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before


def test_a_voluntarily_enrolled_user_is_asked_for_the_code_too(users, signed_in):
    device, _ = enrolled(users["dangvien1"])
    client = signed_in("dangvien1")
    assert client.get("/")["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get("/").status_code == 200


def test_recovery_code_works_once_and_its_use_is_audited(otp_required, users, signed_in):
    _, codes = enrolled(users["admin"])
    client = signed_in("admin")
    response = client.post(VERIFY, {"code": twofactor.shown(codes[0]).upper(), "next": "/quan-tri/"}, follow=True)
    assert response.redirect_chain[0][0] == "/quan-tri/"
    assert "còn 9 mã" in response.content.decode()
    assert AuditEntry.objects.get(action="otp.recovery_use").after == {"unused": 9}

    again = signed_in("admin")
    refused = again.post(VERIFY, {"code": codes[0]})
    assert refused.status_code == 200 and "Mã không đúng" in refused.content.decode()
    assert again.get("/").status_code == 302


def test_wrong_codes_are_throttled(otp_required, users, signed_in, settings):
    # django-otp waits 1 s after a wrong code, then 2, 4 …; a minute here, so that a slow machine
    # does not let the wait pass between the two requests.
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device, _ = enrolled(users["admin"])
    client = signed_in("admin")
    client.post(VERIFY, {"code": "000000"})
    # Right after a wrong code even the right one is not checked.
    response = client.post(VERIFY, {"code": code_for(device)})
    assert "Vui lòng chờ" in response.content.decode()
    assert client.get("/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_regenerated_recovery_codes_replace_the_old_ones(users, client_as):
    client = client_as("xa1.bithu")  # signed in, then enrolled from the account page
    _, old = enrolled(users["xa1.bithu"])
    response = client.post("/tai-khoan/ma-khoi-phuc/tao-lai/")
    assert response["Location"] == "/tai-khoan/ma-khoi-phuc/"
    page = client.get("/tai-khoan/ma-khoi-phuc/").content.decode()
    new = list(StaticToken.objects.filter(device__user=users["xa1.bithu"]).values_list("token", flat=True))
    assert len(new) == 10 and not set(new) & set(old)
    assert all(twofactor.shown(code) in page for code in new)
    assert twofactor.check(users["xa1.bithu"], old[1]).device is None
    assert AuditEntry.objects.get(action="otp.recovery_regenerate").before == {"unused": 10}


def test_regenerating_without_an_authenticator_changes_nothing(client_as, users):
    response = client_as("xa1.bithu").post("/tai-khoan/ma-khoi-phuc/tao-lai/")
    assert response["Location"] == "/tai-khoan/"
    assert not StaticToken.objects.filter(device__user=users["xa1.bithu"]).exists()


def test_re_enrolling_replaces_the_old_phone(users, client_as):
    client = client_as("xa1.bithu")
    old, _ = enrolled(users["xa1.bithu"])
    assert "Đăng ký lại" in client.get(ENROL).content.decode()
    new = TOTPDevice.objects.get(user=users["xa1.bithu"], confirmed=False)
    client.post(ENROL, {"code": code_for(new)})
    assert list(TOTPDevice.objects.filter(user=users["xa1.bithu"])) == [new]
    assert AuditEntry.objects.filter(action="otp.enrol").latest("at").before == {"replaced": True}
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_a_user_not_required_may_turn_it_off(users, client_as):
    client = client_as("dangvien1")
    enrolled(users["dangvien1"])
    assert "Tắt xác thực hai bước" in client.get("/tai-khoan/").content.decode()
    assert client.post("/tai-khoan/xac-thuc-hai-buoc/tat/")["Location"] == "/tai-khoan/"
    assert not TOTPDevice.objects.filter(user=users["dangvien1"]).exists()
    assert not StaticToken.objects.filter(device__user=users["dangvien1"]).exists()
    assert AuditEntry.objects.get(action="otp.disable").actor == users["dangvien1"]


def test_a_required_user_may_not_turn_it_off(otp_required, users, signed_in):
    device, _ = enrolled(users["tinh.tuyengiao"])
    client = signed_in("tinh.tuyengiao")
    client.post(VERIFY, {"code": code_for(device)})
    page = client.get("/tai-khoan/").content.decode()
    assert "Tắt xác thực hai bước" not in page and "cán bộ được phân quyền ở cấp tỉnh" in page
    response = client.post("/tai-khoan/xac-thuc-hai-buoc/tat/")
    assert response.status_code == 403 and "không tắt được" in response.content.decode()
    assert TOTPDevice.objects.filter(user=users["tinh.tuyengiao"]).exists()


def test_a_session_from_before_the_gate_is_assessed_on_its_next_request(signed_in, settings):
    client = signed_in("admin")  # signed in while the setting was off
    session = client.session
    del session[twofactor.STATE_KEY]
    session.save()
    settings.OTP_REQUIRED_FOR = ["admins"]
    assert client.get("/")["Location"].startswith(ENROL)


def test_admin_resets_a_lost_phone(otp_required, users, signed_in):
    admin_device, _ = enrolled(users["admin"])
    enrolled(users["tinh.tuyengiao"])
    client = signed_in("admin")
    client.post(VERIFY, {"code": code_for(admin_device)})
    lost = TOTPDevice.objects.get(user=users["tinh.tuyengiao"])
    listing = client.get("/quan-tri/accounts/authenticator/").content.decode()
    assert "tinh.tuyengiao" in listing and lost.key not in listing
    response = client.post(f"/quan-tri/accounts/authenticator/{lost.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=users["tinh.tuyengiao"]).exists()
    assert not StaticToken.objects.filter(device__user=users["tinh.tuyengiao"]).exists()
    entry = AuditEntry.objects.get(action="otp.disable")
    assert entry.actor == users["admin"] and entry.before == {"user": users["tinh.tuyengiao"].pk}
    # At the next sign-in the provincial user enrols again.
    assert signed_in("tinh.tuyengiao").get("/")["Location"].startswith(ENROL)


def test_unknown_group_in_the_setting_is_a_system_error(settings):
    from quantriet.accounts.checks import otp_groups_check

    settings.OTP_REQUIRED_FOR = ["admins", "tinh"]
    errors = otp_groups_check(None)
    assert [e.id for e in errors] == ["quantriet.E010"] and "tinh" in errors[0].msg
    settings.OTP_REQUIRED_FOR = ["admins", "province"]
    assert otp_groups_check(None) == []


# The API: a token for a user with two-factor sign-in needs the code too.


def _token(username, **extra):
    body = {"username": username, "password": settings.DEMO_PASSWORD, **extra}
    return Client().post("/api/v1/auth/token", body, content_type="application/json")


def test_api_token_for_a_required_user_not_enrolled_is_refused(otp_required, users):
    response = _token("tinh.tuyengiao")
    assert response.status_code == 403 and "đăng ký ứng dụng xác thực" in response.json()["detail"]
    assert not users["tinh.tuyengiao"].api_tokens.exists()


def test_api_token_needs_the_code_once_enrolled(otp_required, users, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # the wait after a wrong code outlasts a slow machine
    device, codes = enrolled(users["admin"])
    missing = _token("admin")
    assert missing.status_code == 401 and "otp" in missing.json()["detail"]
    device.throttle_reset()
    assert _token("admin", otp="000000").status_code == 401
    assert _token("admin", otp=code_for(device)).status_code == 429  # right after a wrong code: wait
    device.throttle_reset()
    response = _token("admin", otp=code_for(device))
    assert response.status_code == 200 and response.json()["token"]
    assert _token("admin", otp=codes[0]).status_code == 200
    assert _token("admin", otp=codes[0]).status_code == 401  # used up
    assert users["admin"].api_tokens.count() == 2


def test_api_token_for_a_user_without_two_factor_needs_no_code(otp_required, db):
    assert _token("xa1.bithu").status_code == 200
