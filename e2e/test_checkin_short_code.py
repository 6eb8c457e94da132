"""On a phone: the member reads the six digits under the QR on the board's screen and types them;
and the conference's status reads the same on the list, its page and "Học tập của tôi"."""

import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from quantriet.study.models import Attendance, AttendanceSource, CheckinAttempt, CheckinOutcome, ConferencePhase
from quantriet.study.tests.test_conferences_common import make_conference, make_plan, org

from .test_browse import log_in

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def live_conference():
    admin = get_user_model().objects.get(username="admin")
    return make_conference(make_plan(admin), org("X001"), admin, title="Hội nghị điểm danh bằng mã số")


def test_a_member_checks_in_on_a_phone_with_the_six_digits_of_the_board(new_context):
    conference = live_conference()
    board = new_context().new_page()
    log_in(board, "xa1.bithu")
    board.goto(f"/hoc-tap/hoi-nghi/{conference.pk}/man-hinh/")
    expect(board.get_by_role("img", name="Mã QR điểm danh").locator("svg")).to_be_visible()

    phone = new_context(**PHONE).new_page()
    log_in(phone, "dangvien1")
    phone.goto(conference.get_absolute_url())
    phone.get_by_role("link", name="trang điểm danh").click()
    code_input = phone.get_by_label(re.compile(r"^Mã điểm danh"))
    expect(code_input).to_have_attribute("inputmode", "numeric")
    assert code_input.bounding_box()["height"] >= 44  # a finger-sized field

    shown = board.locator("#board-short-code").inner_text()  # read off the screen, e.g. "123 456"
    assert re.fullmatch(r"\d{3}\s\d{3}", shown), shown
    code_input.press_sequentially(shown)
    phone.get_by_role("button", name="Điểm danh").click()

    result = phone.locator("#checkin-result")
    expect(result).to_have_attribute("data-outcome", CheckinOutcome.OK)
    expect(result).to_contain_text("Đã điểm danh lúc")
    member = get_user_model().objects.get(username="dangvien1").member
    row = Attendance.objects.get(conference=conference, member=member)
    assert row.source == AttendanceSource.QR and row.checked_in_at is not None
    attempt = CheckinAttempt.objects.get(conference=conference, user=member.user)
    assert (attempt.outcome, attempt.short_code) == (CheckinOutcome.OK, True)
    expect(board.locator("#board-checked-in")).to_have_attribute("data-checked-in", "1", timeout=12_000)


def test_the_status_is_the_same_on_the_list_the_page_and_my_study(new_context):
    conference = live_conference()
    live = ConferencePhase.LIVE
    for options in ({}, PHONE):
        page = new_context(**options).new_page()
        log_in(page, "dangvien1")
        page.goto(f"/hoc-tap/hoi-nghi/?q={conference.title}")
        row = page.locator("#conference-list tr").filter(has=page.get_by_role("link", name=conference.title))
        expect(row.locator("[data-phase]")).to_have_text(live.label)
        row.get_by_role("link", name=conference.title).click()
        expect(page.get_by_role("heading", level=1).locator("[data-phase]")).to_have_text(live.label)
        page.goto("/hoc-tap/cua-toi/")
        item = page.locator("#upcoming li").filter(has=page.get_by_role("link", name=conference.title))
        expect(item.locator("[data-phase]")).to_have_text(live.label)
        expect(item).not_to_contain_text(ConferencePhase.PLANNED.label)
