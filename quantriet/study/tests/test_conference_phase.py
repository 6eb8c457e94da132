"""One status rule for a conference (list, page, "Học tập của tôi", API) and cancelling with a reason."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from quantriet.core.models import AuditEntry
from quantriet.study import checkin as codes
from quantriet.study import services
from quantriet.study.models import (
    CheckinOutcome,
    Conference,
    ConferencePhase,
    ConferenceStatus,
    Obligation,
)

from .test_conferences_common import make_conference, make_plan, org

NOW = timezone.now
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def plan(users):
    return make_plan(users["admin"])


def at_hours(conference, hours):
    return conference.starts_at + hours * HOUR


@pytest.mark.parametrize(
    ("status", "hours", "phase"),
    [
        (ConferenceStatus.PLANNED, -1, ConferencePhase.PLANNED),
        (ConferenceStatus.PLANNED, 0, ConferencePhase.LIVE),
        (ConferenceStatus.PLANNED, 2, ConferencePhase.LIVE),
        (ConferenceStatus.HELD, 1, ConferencePhase.LIVE),  # recorded during the conference
        (ConferenceStatus.PLANNED, 4, ConferencePhase.UNRECORDED),
        (ConferenceStatus.HELD, 4, ConferencePhase.HELD),
        (ConferenceStatus.CANCELLED, -1, ConferencePhase.CANCELLED),
        (ConferenceStatus.CANCELLED, 1, ConferencePhase.CANCELLED),
    ],
)
def test_the_phase_rule(status, hours, phase):
    conference = Conference(starts_at=NOW(), duration_minutes=180, status=status)
    assert conference.phase(at_hours(conference, hours)) == phase


def test_a_conference_happening_now_says_so_everywhere(plan, client_as, users, api):
    """The seen defect: "Dự kiến" in the list and on the page while it was going on."""
    conference = make_conference(plan, users["dangvien1"].member.cell, users["admin"])
    assert conference.status == ConferenceStatus.PLANNED and conference.in_window()
    badge = f'data-phase="{ConferencePhase.LIVE}">Đang diễn ra</span>'
    client = client_as("dangvien1")
    listing = client.get(reverse("study:conferences"), {"q": conference.title}).content.decode()
    page = client.get(conference.get_absolute_url()).content.decode()
    mine = client.get(reverse("study:my_study")).content.decode()
    for html in (listing, page, mine):
        assert badge in html
    assert "Dự kiến" not in page
    body = api("dangvien1").get(f"/api/v1/plans/{plan.pk}/conferences").json()
    row = next(c for c in body["items"] if c["id"] == conference.pk)
    assert (row["status"], row["phase"], row["phase_label"]) == ("du_kien", "dang_dien_ra", "Đang diễn ra")


# ---------------------------------------------------------------- cancelling


def cancel_url(conference):
    return reverse("study:conference_cancel", args=[conference.pk])


@pytest.fixture
def upcoming(plan, users):
    return make_conference(plan, org("X001"), users["admin"], starts_at=NOW() + 24 * HOUR)


def test_cancel_with_a_reason(upcoming, client_as, users):
    client = client_as("xa1.bithu")
    response = client.post(cancel_url(upcoming), {"reason": "  Bão số 5, ngập đường vào hội trường  "})
    assert response.status_code == 302 and response["Location"] == upcoming.get_absolute_url()
    upcoming.refresh_from_db()
    assert upcoming.status == ConferenceStatus.CANCELLED
    assert upcoming.cancel_reason == "Bão số 5, ngập đường vào hội trường"
    assert upcoming.cancelled_by == users["xa1.bithu"] and upcoming.cancelled_at is not None
    entry = AuditEntry.objects.get(action="conference.cancel", object_id=str(upcoming.pk))
    assert entry.actor == users["xa1.bithu"]
    assert entry.before["status"] == "du_kien" and entry.after["status"] == "huy"
    html = client.get(upcoming.get_absolute_url()).content.decode()
    assert 'data-phase="huy">Đã hủy</span>' in html and "Bão số 5, ngập đường vào hội trường" in html
    assert reverse("study:board", args=[upcoming.pk]) not in html  # no check-in screen for it any more
    screen = client.get(reverse("study:board_code", args=[upcoming.pk])).content.decode()
    assert "Hội nghị đã hủy: không nhận điểm danh." in screen
    mine = client_as("dangvien1").get(reverse("study:my_study")).content.decode()
    assert "Lý do hủy: Bão số 5, ngập đường vào hội trường" in mine


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_cancel_needs_a_short_reason(upcoming, client_as, reason):
    client = client_as("xa1.bithu")
    response = client.post(cancel_url(upcoming), {"reason": reason}, follow=True)
    text = [str(m) for m in response.context["messages"]]
    assert text == ["Hãy ghi lý do hủy hội nghị."] if not reason.strip() else text[0].startswith("Lý do hủy dài quá")
    upcoming.refresh_from_db()
    assert upcoming.status == ConferenceStatus.PLANNED
    assert not AuditEntry.objects.filter(action="conference.cancel").exists()


def test_a_held_conference_cannot_be_cancelled(plan, users):
    conference = make_conference(plan, org("X001"), users["admin"])
    services.conference_mark_held(users["admin"], conference)
    with pytest.raises(services.ValidationError, match="đã ghi nhận là đã tổ chức thì không hủy được"):
        services.conference_cancel(users["admin"], conference, "Nhầm")


def test_a_cancelled_conference_fulfils_nothing_and_takes_no_checkin(plan, users):
    conference = make_conference(plan, org("X001"), users["admin"])
    services.conference_cancel(users["admin"], conference, "Trùng lịch họp Hội đồng nhân dân")
    with pytest.raises(services.ValidationError, match="Hội nghị đã hủy không được ghi nhận"):
        services.conference_mark_held(users["admin"], conference)
    assert not Obligation.objects.filter(conference=conference).exists()
    assert Obligation.objects.get(plan=plan, org=org("X001")).held_on is None
    for code in (codes.make_code(conference), codes.make_short_code(conference)):
        outcome, row = services.checkin(users["dangvien1"], conference, code)
        assert (outcome, row) == (CheckinOutcome.CANCELLED, None)
    assert services.checkin_message(CheckinOutcome.CANCELLED, None, conference) == (
        "Hội nghị này đã bị hủy nên không điểm danh được."
    )


def test_cancel_permissions(upcoming, client_as):
    for persona, status in [("xa2.bithu", 404), ("outsider", 404), ("dangvien1", 403)]:
        assert client_as(persona).post(cancel_url(upcoming), {"reason": "Không có quyền"}).status_code == status
    assert client_as("xa1.bithu").get(cancel_url(upcoming)).status_code == 405
    upcoming.refresh_from_db()
    assert upcoming.status == ConferenceStatus.PLANNED
