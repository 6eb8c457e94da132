"""A member writes, registers and reviews their yearly commitment on a phone (390×844); the commune
secretary sees a copied one flagged on the cell's list."""

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from quantriet.plans import demo_commitments as demo
from quantriet.plans.models_commitments import Commitment, Heading

from .test_browse import log_in
from .test_phone import PHONE


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_a_member_writes_and_self_reviews_on_a_phone(new_context, tmp_path):
    member = get_user_model().objects.get(username="dangvien1").member
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(phone, "dangvien1")
    phone.get_by_role("button", name="Mở menu").click()
    phone.get_by_role("link", name="Cam kết").click()
    for heading in Heading:
        phone.get_by_label(heading.label).fill(demo.HONEST[0][heading])
    _fits(phone)
    phone.screenshot(path=str(tmp_path / "write.png"), full_page=True)
    phone.get_by_role("button", name="Đăng ký bản cam kết").click()
    expect(phone.locator(".alert-success")).to_contain_text("Đã đăng ký bản cam kết")
    expect(phone.locator("#my-flag")).to_contain_text("không thấy dấu hiệu sao chép")
    mid = phone.locator("#review-mid")
    for heading in Heading:
        mid.get_by_label("Kết quả thực hiện so với cam kết").nth(list(Heading).index(heading)).fill("Đã làm.")
        mid.get_by_label("Thực hiện đạt").nth(list(Heading).index(heading)).check()
    mid.get_by_role("button", name="Lưu tự đánh giá giữa năm").click()
    expect(phone.locator(".alert-success")).to_contain_text("Đã lưu tự đánh giá giữa năm")
    _fits(phone)
    phone.screenshot(path=str(tmp_path / "reviewed.png"), full_page=True)
    assert Commitment.objects.get(member=member).mid_reviewed_at is not None
