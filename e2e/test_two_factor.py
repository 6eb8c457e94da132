"""Two-factor sign-in in a real browser: a provincial user is made to enrol (QR code, first code,
recovery codes), then signs in again with a recovery code and revokes an API token; and the
Content-Security-Policy check of conftest.py really catches a violation."""

import re
from base64 import b32decode

import pytest
from django.conf import settings
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from quantriet.core.models import ApiToken

from .conftest import watch_csp
from .test_browse import log_in


@pytest.fixture
def otp_on(settings):
    settings.OTP_REQUIRED_FOR = ["admins", "province"]


def phone_code(key_text: str) -> str:
    """What an authenticator app shows for the key the enrolment page prints ("ABCD EFGH …")."""
    key = b32decode(key_text.replace(" ", ""))
    return f"{TOTP(key).token():06d}"


def test_provincial_user_enrols_then_signs_in_with_a_recovery_code(otp_on, page: Page, django_user_model):
    user = django_user_model.objects.get(username="tinh.tuyengiao")
    ApiToken.issue(user)
    log_in(page, "tinh.tuyengiao")
    expect(page).to_have_url(re.compile(r"/tai-khoan/xac-thuc-hai-buoc/\?next="))
    expect(page.locator("#enrol-required")).to_contain_text("bắt buộc dùng xác thực hai bước")
    expect(page.locator("#enrol-qr svg")).to_be_visible()
    expect(page.get_by_role("link", name="Văn bản")).to_have_count(0)  # no menu that leads nowhere
    page.goto("/van-ban/")  # nothing else opens before enrolment
    expect(page).to_have_url(re.compile(r"/tai-khoan/xac-thuc-hai-buoc/"))

    page.get_by_label("Mã 6 chữ số").fill("000000")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.locator("#code-error")).to_contain_text("Mã không đúng")
    page.wait_for_timeout(1100)  # django-otp makes the next code wait 1 s after a wrong one
    page.get_by_label("Mã 6 chữ số").fill(phone_code(page.locator("#enrol-key").inner_text()))
    page.get_by_role("button", name="Xác nhận").click()

    expect(page).to_have_url(re.compile(r"/tai-khoan/ma-khoi-phuc/"))
    codes = page.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    first_code = codes.first.inner_text().strip()
    page.get_by_role("link", name="Đã lưu mã, tiếp tục").click()
    expect(page).to_have_url(re.compile(r"/van-ban/$"))

    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_label("Tên đăng nhập").fill("tinh.tuyengiao")
    page.get_by_label("Mật khẩu").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/dang-nhap/xac-thuc/"))
    expect(page.get_by_role("link", name="Văn bản")).to_have_count(0)  # no menu before the code
    page.get_by_label("Mã xác thực").fill(first_code)
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.locator(".alert-warning").first).to_contain_text("còn 9 mã")

    page.locator("#nav-person").click()
    expect(page.locator("#codes-left")).to_contain_text("9")
    page.get_by_role("link", name="Xem và thu hồi mã truy cập").click()
    expect(page.locator("#tokens tbody tr")).to_have_count(1)
    page.get_by_role("button", name="Thu hồi").first.click()
    expect(page.locator("#no-tokens")).to_be_visible()
    assert not ApiToken.objects.filter(user=user).exists()


def test_the_policy_check_catches_an_inline_script(browser, server):
    violations = []
    context = browser.new_context(base_url=server.url)
    watch_csp(context, violations)
    page = context.new_page()
    page.goto("/dang-nhap/")
    page.evaluate("""() => {
        const s = document.createElement("script");
        s.textContent = "window.ran = 1";
        document.body.append(s);
    }""")
    for _ in range(40):  # the report arrives asynchronously
        if violations:
            break
        page.wait_for_timeout(50)
    assert page.evaluate("() => window.ran") is None  # the browser refused it
    assert any("script-src" in v for v in violations), violations
    context.close()


def test_login_page_works_under_the_policy(page: Page):
    """Bootstrap, htmx and app.js load from static files and run: the menu button folds on a phone."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/dang-nhap/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đăng nhập")
    log_in(page, "xa1.bithu")
    menu = page.get_by_role("button", name="Mở menu")
    menu.click()
    expect(page.get_by_role("link", name="Văn bản")).to_be_visible()
    assert settings.DEBUG is False  # the live server runs as production does: the policy is sent
