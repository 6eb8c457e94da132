"""Each person lands on their work after logging in, on a desktop and on a 390×844 phone."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from quantriet.study.demo import refresh_live_window
from quantriet.study.models import Conference

from .test_browse import log_in

SIZES = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


def _day(conference) -> str:
    return f"{timezone.localtime(conference.starts_at):%d/%m/%Y}"


@pytest.mark.parametrize("size", SIZES)
def test_a_secretary_lands_on_their_to_do_list(new_context, size):
    # The live conference as `seed_demo` leaves it whenever the demo is served: in progress, within today
    # (the province may have been seeded before midnight, a test or a session ago).
    refresh_live_window()
    page = new_context(**SIZES[size]).new_page()
    log_in(page, "xa1.bithu")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Việc cần làm")
    obligations = page.locator("#home-obligations")
    expect(obligations).to_be_visible()
    expect(obligations.locator("[data-obligation]").first).to_be_visible()
    # today's conference of the commune (the demo's live one), with its attendance sheet one tap away
    live = Conference.objects.get(title__contains="đang diễn ra")
    today = page.locator("#home-today")
    if _day(live) not in today.locator(".card-header").inner_text():  # midnight came between refresh and page
        refresh_live_window()
        page.reload()
        live.refresh_from_db()
    expect(today.locator(".card-header")).to_have_text(f"Hội nghị hôm nay ({_day(live)})")
    expect(today.get_by_role("link", name=live.title)).to_be_visible()
    expect(today.get_by_role("link", name="Sổ điểm danh")).to_have_attribute(
        "href", f"/hoc-tap/hoi-nghi/{live.pk}/so-diem-danh/"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["viewport"]["width"]


@pytest.mark.parametrize("size", SIZES)
def test_a_member_lands_on_their_next_conference_and_essay(new_context, size):
    member = get_user_model().objects.get(username="dangvien1").member
    page = new_context(**SIZES[size]).new_page()
    log_in(page, "dangvien1")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Việc học tập của tôi")
    expect(page.locator("#home-work")).to_have_count(0)
    live = Conference.objects.get(title__contains="đang diễn ra")
    expect(page.locator("#home-next-conference").get_by_role("link", name=live.title)).to_be_visible()
    expect(page.locator("#home-due").get_by_text("Viết bài thu hoạch")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["viewport"]["width"]

    # "Toàn bộ quá trình học tập của tôi" opens the member page, whose study record loads by htmx
    page.get_by_role("link", name="Toàn bộ quá trình học tập của tôi").click()
    expect(page).to_have_url(re.compile(rf"/dang-vien/{member.pk}/$"))
    expect(page.get_by_role("heading", name="Kết quả học tập, quán triệt")).to_be_visible()
    expect(page.locator("#record-conferences")).to_contain_text(live.plan.title)
