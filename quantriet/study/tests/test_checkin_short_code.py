"""The six-digit code under the QR: same slot, same refusals as the signed code, and a limit on wrong guesses."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from quantriet.study import checkin as codes
from quantriet.study import services
from quantriet.study.models import Attendance, CheckinAttempt, CheckinOutcome

from . import test_checkin
from .test_checkin import checkin_url, post_code, result, user_for
from .test_conferences_common import make_conference, org, roster_members, wrong_short_code

NOW = timezone.now
plan, conference = (
    test_checkin.plan,
    test_checkin.conference,
)  # the fixtures: commune 1's conference, started 30 min ago


def short_at(conference, at=None, back=0):
    return codes.make_short_code(conference, codes.current_slot(conference, at or NOW()) - back)


def test_the_short_code_is_six_digits_and_turns_with_the_slot(conference):
    slot = codes.current_slot(conference)
    short = codes.make_short_code(conference, slot)
    assert len(short) == 6 and short.isdigit()
    assert codes.make_short_code(conference, slot) == short  # stable within the slot
    assert len({codes.make_short_code(conference, s) for s in range(slot, slot + 50)}) > 45  # turns with it


def test_the_six_digits_check_in_with_or_without_spaces(conference, client_as, users):
    short = short_at(conference)
    outcome, message = result(post_code(client_as("dangvien1"), conference, f" {short[:3]} {short[3:]} "))
    assert outcome == CheckinOutcome.OK and message.startswith("Đã điểm danh lúc")
    row = Attendance.objects.get(conference=conference, member=users["dangvien1"].member)
    assert row.checkin_slot in {codes.current_slot(conference) - 1, codes.current_slot(conference)}


def test_the_previous_slots_short_code_is_still_accepted(conference, client_as):
    assert result(post_code(client_as("dangvien1"), conference, short_at(conference, back=1)))[0] == CheckinOutcome.OK


def test_an_expired_short_code(conference, client_as):
    outcome, message = result(post_code(client_as("dangvien1"), conference, short_at(conference, back=5)))
    assert outcome == CheckinOutcome.EXPIRED and message == "Mã đã hết hạn, hãy quét mã mới trên màn hình."
    assert not Attendance.objects.filter(conference=conference).exists()


def test_a_replayed_short_code(conference, client_as, users):
    me = users["dangvien1"].member
    other = next(m for m in roster_members(conference, exclude=[me]) if m.user_id is None)
    earlier = NOW() - datetime.timedelta(minutes=5)
    photographed = short_at(conference, earlier)
    assert services.checkin(user_for(other, "nguoi.chup.anh"), conference, photographed, at=earlier)[0] == "ok"
    outcome, message = result(post_code(client_as("dangvien1"), conference, photographed))
    assert outcome == CheckinOutcome.REPLAYED and "đã được người khác dùng" in message
    assert not Attendance.objects.filter(conference=conference, member=me).exists()


def test_a_wrong_short_code_is_forged(conference, client_as, users):
    outcome, message = result(
        post_code(client_as("dangvien1"), conference, wrong_short_code(users["dangvien1"], conference))
    )
    assert outcome == CheckinOutcome.FORGED
    assert message == "Mã điểm danh không hợp lệ. Hãy quét lại mã đang hiển thị trên màn hình."


def test_a_future_short_code_is_forged(conference, client_as):
    future = codes.make_short_code(conference, codes.current_slot(conference) + 3)
    assert result(post_code(client_as("dangvien1"), conference, future))[0] == CheckinOutcome.FORGED


def test_the_short_code_of_another_conference(conference, plan, client_as, users):
    other = make_conference(plan, users["dangvien1"].member.cell, users["admin"])
    outcome, message = result(post_code(client_as("dangvien1"), conference, short_at(other)))
    assert outcome == CheckinOutcome.OTHER_CONFERENCE and message.startswith("Mã này là của một hội nghị khác.")
    assert not Attendance.objects.filter(conference__in=[conference, other]).exists()


@pytest.mark.parametrize("offset", [datetime.timedelta(hours=2), -datetime.timedelta(hours=5)], ids=["before", "after"])
def test_a_short_code_outside_the_window(plan, client_as, users, offset):
    conference = make_conference(plan, org("X001"), users["admin"], starts_at=NOW() + offset)
    outcome, message = result(post_code(client_as("dangvien1"), conference, short_at(conference)))
    assert outcome == CheckinOutcome.OUT_OF_WINDOW and message.startswith("Ngoài thời gian điểm danh")


def test_five_wrong_codes_lock_the_member_out_for_a_while(conference, client_as, users):
    client = client_as("dangvien1")
    wrong = wrong_short_code(users["dangvien1"], conference)
    for _ in range(codes.FAILURES_ALLOWED):
        assert result(post_code(client, conference, wrong))[0] == CheckinOutcome.FORGED
    # Even the right code is refused now: guessing a million codes must not pay.
    outcome, message = result(post_code(client, conference, short_at(conference)))
    assert outcome == CheckinOutcome.TOO_MANY
    assert message.startswith(f"Đồng chí đã nhập sai mã {codes.FAILURES_ALLOWED} lần.")
    assert not Attendance.objects.filter(conference=conference).exists()
    outcomes = CheckinAttempt.objects.filter(conference=conference, user=users["dangvien1"]).values_list("outcome")
    assert [o for (o,) in outcomes.order_by("id")][-1] == CheckinOutcome.TOO_MANY
    # Another member is not affected; after the lock time the member may try again.
    other = next(m for m in roster_members(conference, exclude=[users["dangvien1"].member]) if m.user_id is None)
    assert services.checkin(user_for(other, "nguoi.khac"), conference, short_at(conference))[0] == CheckinOutcome.OK
    later = NOW() + datetime.timedelta(minutes=codes.LOCK_MINUTES, seconds=1)
    outcome, _ = services.checkin(users["dangvien1"], conference, short_at(conference, later), at=later)
    assert outcome != CheckinOutcome.TOO_MANY


def test_the_board_shows_the_short_code_of_its_slot(conference, client_as):
    response = client_as("xa1.bithu").get(reverse("study:board_code", args=[conference.pk]))
    _, slot, _ = codes.parse_code(response.context["code"])
    short = response.context["short_code"]
    assert short == codes.make_short_code(conference, slot)
    html = response.content.decode()
    assert f'id="board-short-code" data-code="{short}"' in html and f"{short[:3]}&nbsp;{short[3:]}" in html


def test_the_checkin_page_asks_for_digits_on_a_phone(conference, client_as):
    html = client_as("dangvien1").get(checkin_url(conference)).content.decode()
    assert 'inputmode="numeric"' in html and "mã số 6 chữ số" in html
