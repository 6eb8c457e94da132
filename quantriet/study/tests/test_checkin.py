"""QR check-in: the member's page, every refusal in plain Vietnamese, idempotency, the board's screen.

Conferences start relative to now; codes are made for the slot the board shows at a given time.
"""

import datetime
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from quantriet.documents.models import Audience
from quantriet.study import checkin as codes
from quantriet.study import services
from quantriet.study.models import Attendance, AttendanceSource, AttendanceStatus, CheckinAttempt, CheckinOutcome

from .test_conferences_common import code_at, make_conference, make_plan, org

NOW = timezone.now


@pytest.fixture
def plan(users):
    return make_plan(users["admin"])


@pytest.fixture
def conference(plan, users):
    """Started 30 minutes ago in commune 1, whose members (dangvien1 among them) are on the roster."""
    return make_conference(plan, org("X001"), users["admin"])


def checkin_url(conference):
    return reverse("study:checkin", args=[conference.pk])


def post_code(client, conference, code, **extra):
    return client.post(checkin_url(conference), {"ma": code, **extra})


def result(response):
    return response.context["outcome"], response.context["message"]


def user_for(member, name):
    user = get_user_model().objects.create_user(name, password="khong-quan-trong-123")
    member.user = user
    member.save(update_fields=["user"])
    return user


def test_scanning_shows_a_confirm_button_then_checks_in(conference, client_as, users):
    client = client_as("dangvien1")
    code = code_at(conference)
    page = client.get(checkin_url(conference), {"ma": code})
    html = page.content.decode()
    assert page.status_code == 200 and 'id="checkin-confirm"' in html and f'value="{code}"' in html
    response = post_code(client, conference, code)
    row = Attendance.objects.get(conference=conference, member=users["dangvien1"].member)
    slot_then = codes.current_slot(conference, row.checked_in_at)
    assert row.source == AttendanceSource.QR and row.checkin_slot in (slot_then, slot_then - 1)
    # Started 30 minutes ago: later than the 15 minutes' grace, so "đi muộn".
    assert row.status == AttendanceStatus.LATE
    outcome, message = result(response)
    assert outcome == CheckinOutcome.OK
    assert message.startswith(f"Đã điểm danh lúc {timezone.localtime(row.checked_in_at):%H:%M}")
    assert message in response.content.decode()


def test_on_time_check_in_is_present(plan, client_as, users):
    conference = make_conference(plan, org("X001"), users["admin"], starts_at=NOW() + datetime.timedelta(minutes=5))
    outcome, _ = result(post_code(client_as("dangvien1"), conference, code_at(conference)))
    assert outcome == CheckinOutcome.OK
    assert Attendance.objects.get(conference=conference).status == AttendanceStatus.PRESENT


def test_without_a_code_in_the_link_the_page_asks_for_it(conference, client_as):
    html = client_as("dangvien1").get(checkin_url(conference)).content.decode()
    assert 'id="checkin-code"' in html and "checkin-confirm" not in html


def test_second_check_in_returns_the_first(conference, client_as, users):
    client = client_as("dangvien1")
    post_code(client, conference, code_at(conference))
    first = Attendance.objects.get(conference=conference)
    response = post_code(client, conference, code_at(conference))
    outcome, message = result(response)
    assert outcome == CheckinOutcome.AGAIN
    assert f"lúc {timezone.localtime(first.checked_in_at):%H:%M}" in message
    assert Attendance.objects.filter(conference=conference).count() == 1
    # The service returns the very same row.
    again, row = services.checkin(users["dangvien1"], conference, code_at(conference))
    assert again == CheckinOutcome.AGAIN and row.pk == first.pk and row.checked_in_at == first.checked_in_at


def test_a_member_cannot_check_in_someone_else(conference, client_as, users):
    me = users["dangvien1"].member
    other = services.conference_roster(conference).exclude(pk=me.pk).order_by("id").first()
    post_code(
        client_as("dangvien1"),
        conference,
        code_at(conference),
        member=other.pk,
        member_id=other.pk,
        user=other.pk,
        so_the=other.card_number or "",
    )
    assert list(Attendance.objects.filter(conference=conference).values_list("member_id", flat=True)) == [me.pk]
    # An account with no member record cannot borrow one either.
    outcome, _ = result(post_code(client_as("admin"), conference, code_at(conference), member=other.pk))
    assert outcome == CheckinOutcome.NOT_A_MEMBER
    assert not Attendance.objects.filter(conference=conference, member=other).exists()


# ---------------------------------------------------------------- every refusal


def test_expired_code(conference, client_as):
    old = codes.make_code(conference, codes.current_slot(conference) - 5)
    outcome, message = result(post_code(client_as("dangvien1"), conference, old))
    assert outcome == CheckinOutcome.EXPIRED
    assert message == "Mã đã hết hạn, hãy quét mã mới trên màn hình."
    assert not Attendance.objects.filter(conference=conference).exists()


def test_the_previous_code_is_still_accepted(conference, client_as):
    """A member scanning just as the code turns is not refused."""
    previous = codes.make_code(conference, codes.current_slot(conference) - 1)
    outcome, _ = result(post_code(client_as("dangvien1"), conference, previous))
    assert outcome == CheckinOutcome.OK


def test_replayed_code_an_expired_code_someone_used_earlier(conference, client_as, users):
    me = users["dangvien1"].member
    other = services.conference_roster(conference).exclude(pk=me.pk).filter(user=None).order_by("id").first()
    earlier = NOW() - datetime.timedelta(minutes=10)
    photographed = code_at(conference, earlier)
    outcome, _ = services.checkin(user_for(other, "nguoi.dung.truoc"), conference, photographed, at=earlier)
    assert outcome == CheckinOutcome.OK
    outcome, message = result(post_code(client_as("dangvien1"), conference, photographed))
    assert outcome == CheckinOutcome.REPLAYED
    assert "đã được người khác dùng và đã hết hạn" in message
    assert not Attendance.objects.filter(conference=conference, member=me).exists()


@pytest.mark.parametrize(
    "forge",
    [
        lambda c: "xin-diem-danh",
        lambda c: f"{c.pk}.{codes.current_slot(c)}.{'0' * 20}",
        lambda c: code_at(c).upper(),
        lambda c: codes.make_code(c, codes.current_slot(c) + 3),  # a genuine mac for a future slot
        lambda c: "",
    ],
    ids=["garbage", "bad-mac", "tampered", "future-slot", "empty"],
)
def test_forged_codes(conference, client_as, forge):
    outcome, message = result(post_code(client_as("dangvien1"), conference, forge(conference)))
    assert outcome == CheckinOutcome.FORGED
    assert message == "Mã điểm danh không hợp lệ. Hãy quét lại mã đang hiển thị trên màn hình."


def test_code_of_another_conference(conference, plan, client_as, users):
    other = make_conference(plan, users["dangvien1"].member.cell, users["admin"])
    outcome, message = result(post_code(client_as("dangvien1"), conference, code_at(other)))
    assert outcome == CheckinOutcome.OTHER_CONFERENCE
    assert message.startswith("Mã này là của một hội nghị khác.")
    assert not Attendance.objects.filter(conference__in=[conference, other]).exists()


@pytest.mark.parametrize("offset", [datetime.timedelta(hours=2), -datetime.timedelta(hours=5)], ids=["before", "after"])
def test_out_of_the_conference_window(plan, client_as, users, offset):
    conference = make_conference(plan, org("X001"), users["admin"], starts_at=NOW() + offset)
    outcome, message = result(post_code(client_as("dangvien1"), conference, code_at(conference)))
    assert outcome == CheckinOutcome.OUT_OF_WINDOW
    opens = timezone.localtime(conference.starts_at - datetime.timedelta(minutes=codes.EARLY_MINUTES))
    assert message.startswith(f"Ngoài thời gian điểm danh: chỉ điểm danh được từ {opens:%H:%M %d/%m/%Y}")
    assert not Attendance.objects.filter(conference=conference).exists()


def test_not_on_the_roster(users, client_as):
    """A key-cadres conference: dangvien1 (no position) sees it but is not on its roster."""
    plan = make_plan(users["admin"], audiences=[Audience.KEY_CADRES], number="829")
    conference = make_conference(plan, org("X001"), users["admin"])
    assert not services.on_roster(conference, users["dangvien1"].member)
    page = client_as("dangvien1").get(checkin_url(conference))
    assert page.status_code == 200 and "không có tên trong danh sách dự" in page.content.decode()
    outcome, message = result(post_code(client_as("dangvien1"), conference, code_at(conference)))
    assert outcome == CheckinOutcome.NOT_ON_ROSTER
    assert message.startswith("Đồng chí không có tên trong danh sách dự hội nghị này.")


def test_not_a_member(conference, client_as):
    page = client_as("admin").get(checkin_url(conference), {"ma": code_at(conference)})
    assert "không gắn với hồ sơ đảng viên" in page.content.decode()
    outcome, message = result(post_code(client_as("admin"), conference, code_at(conference)))
    assert outcome == CheckinOutcome.NOT_A_MEMBER
    assert message.startswith("Tài khoản này không gắn với hồ sơ đảng viên")
    assert not Attendance.objects.filter(conference=conference).exists()


def test_conference_out_of_sight_is_404(conference, client_as):
    for persona in ["xa2.bithu", "outsider"]:
        client = client_as(persona)
        assert client.get(checkin_url(conference)).status_code == 404
        assert post_code(client, conference, code_at(conference)).status_code == 404
    assert not CheckinAttempt.objects.filter(conference=conference).exists()


def test_every_attempt_is_recorded_for_the_board(conference, client_as, users):
    client = client_as("dangvien1")
    post_code(client, conference, "gia-mao")
    post_code(client, conference, codes.make_code(conference, codes.current_slot(conference) - 9))
    post_code(client, conference, code_at(conference))
    outcomes = list(CheckinAttempt.objects.filter(conference=conference).order_by("id").values_list("outcome", "user"))
    user = users["dangvien1"].pk
    assert outcomes == [(CheckinOutcome.FORGED, user), (CheckinOutcome.EXPIRED, user), (CheckinOutcome.OK, user)]
    stats = client_as("xa1.bithu").get(reverse("study:board_stats", args=[conference.pk]))
    refused = stats.context["refused"]
    assert [r["outcome"] for r in refused] == ["Mã đã hết hạn", "Mã không hợp lệ"]
    assert {r["name"] for r in refused} == {users["dangvien1"].member.full_name}
    assert stats.context["counts"]["checked_in"] == 1
    html = stats.content.decode()
    assert users["dangvien1"].member.full_name in html and "Mã đã hết hạn" in html


# ---------------------------------------------------------------- the board's screen


def test_board_code_partial_returns_a_fresh_valid_code(conference, client_as):
    response = client_as("xa1.bithu").get(reverse("study:board_code", args=[conference.pk]))
    assert response.status_code == 200
    code = response.context["code"]
    conference_id, slot, mac = codes.parse_code(code)
    assert conference_id == conference.pk
    assert codes.is_authentic(conference, slot, mac)
    assert codes.current_slot(conference) - 1 <= slot <= codes.current_slot(conference)
    url = urlparse(response.context["checkin_url"])
    assert url.scheme == "http" and url.netloc == "testserver" and url.path == checkin_url(conference)
    assert parse_qs(url.query) == {"ma": [code]}
    html = response.content.decode()
    assert "<html" not in html and "<svg" in html and code in html
    assert 0 < response.context["remaining"] <= conference.checkin_interval
    trigger = re.search(r'hx-trigger="load delay:(\d+)s, every (\d+)s"', html)
    assert trigger and int(trigger[2]) == conference.checkin_interval
    # The code on the screen checks a member in.
    outcome, _ = result(post_code(client_as("dangvien1"), conference, code))
    assert outcome == CheckinOutcome.OK


def test_board_page_shows_qr_countdown_and_count(conference, client_as):
    response = client_as("xa1.bithu").get(reverse("study:board", args=[conference.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and 'id="countdown"' in html and 'id="board-checked-in"' in html
    assert reverse("study:board_code", args=[conference.pk]) in html
    assert reverse("study:board_stats", args=[conference.pk]) in html


def test_plain_member_gets_403_on_the_board_of_their_own_cell(plan, client_as, users):
    conference = make_conference(plan, users["dangvien1"].member.cell, users["admin"])
    client = client_as("dangvien1")
    for name in ["board", "board_code", "board_stats", "attendance"]:
        assert client.get(reverse(f"study:{name}", args=[conference.pk])).status_code == 403
    # ...while the page to check in, and the check-in itself, are theirs.
    assert client.get(checkin_url(conference)).status_code == 200
    assert result(post_code(client, conference, code_at(conference)))[0] == CheckinOutcome.OK
