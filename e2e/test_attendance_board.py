"""Sổ điểm danh from the keyboard: a reason lands on the row it was typed for, and a member who
checked in with the code is not overwritten without the board confirming it."""

from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from quantriet.study import checkin as codes
from quantriet.study import services
from quantriet.study.models import Attendance, AttendanceSource, AttendanceStatus, CheckinOutcome
from quantriet.study.tests.test_conferences_common import make_conference, make_plan, org

from .test_browse import log_in


def board_conference():
    admin = get_user_model().objects.get(username="admin")
    return make_conference(make_plan(admin), org("X001"), admin)


def row_of(page: Page, member):
    return page.locator(f"#att-{member.pk}")


def test_a_reason_typed_after_key_5_lands_on_that_member(page: Page):
    conference = board_conference()
    first, second = services.conference_roster(conference).order_by("cell__path", "full_name_folded", "id")[:2]
    log_in(page, "xa1.bithu")
    page.goto(f"/hoc-tap/hoi-nghi/{conference.pk}/so-diem-danh/")

    row_of(page, first).focus()
    page.keyboard.press("5")
    reason = row_of(page, first).get_by_label(f"Lý do của {first.full_name}")
    expect(reason).to_be_focused()  # the same member's reason, not the next one's
    page.keyboard.type("ốm, có đơn")
    page.keyboard.press("Enter")

    expect(row_of(page, first)).to_have_attribute("data-status", AttendanceStatus.ABSENT)
    expect(row_of(page, second)).to_be_focused()  # then on to the next member
    row = Attendance.objects.get(conference=conference, member=first)
    assert (row.status, row.reason) == (AttendanceStatus.ABSENT, "ốm, có đơn")
    assert not Attendance.objects.filter(conference=conference, member=second).exists()
    expect(row_of(page, second).get_by_label(f"Lý do của {second.full_name}")).to_have_value("")


def test_a_checkin_with_the_code_is_not_overwritten_silently(page: Page):
    conference = board_conference()
    dangvien1 = get_user_model().objects.get(username="dangvien1")
    outcome, checked_in = services.checkin(dangvien1, conference, codes.make_code(conference))
    assert outcome == CheckinOutcome.OK
    member = dangvien1.member
    log_in(page, "xa1.bithu")
    page.goto(f"/hoc-tap/hoi-nghi/{conference.pk}/so-diem-danh/")
    row = row_of(page, member)
    expect(row).to_contain_text("quét mã")

    row.focus()
    page.keyboard.press("4")
    page.keyboard.type("ốm, có đơn")
    page.keyboard.press("Enter")

    expect(row.get_by_role("alert")).to_contain_text(f"{member.full_name} đã tự điểm danh bằng mã lúc")
    confirm = row.get_by_role("button", name="Vẫn ghi")
    expect(confirm).to_be_focused()
    stored = Attendance.objects.get(pk=checked_in.pk)
    assert (stored.status, stored.reason, stored.source) == (checked_in.status, "", AttendanceSource.QR)

    page.keyboard.press("Escape")  # keep the check-in
    expect(row).to_be_focused()
    assert Attendance.objects.get(pk=checked_in.pk).source == AttendanceSource.QR

    # Confirming is an explicit act, and then it is recorded.
    row.focus()
    page.keyboard.press("4")
    expect(row.get_by_label(f"Lý do của {member.full_name}")).to_have_value("ốm, có đơn")  # kept from before
    page.keyboard.press("Enter")
    expect(confirm).to_be_focused()
    page.keyboard.press("Enter")
    expect(row).to_have_attribute("data-status", AttendanceStatus.EXCUSED)
    expect(row).to_contain_text("ban quản lý đã sửa")
    stored = Attendance.objects.get(pk=checked_in.pk)
    assert (stored.status, stored.reason, stored.checked_in_at) == (
        AttendanceStatus.EXCUSED,
        "ốm, có đơn",
        checked_in.checked_in_at,
    )
