"""The class board's marking screen: htmx row saves, the excused-needs-a-reason rule, filter, counts, scope."""

import pytest
from django.urls import reverse

from quantriet.core.models import AuditEntry
from quantriet.core.text import fold
from quantriet.study import services
from quantriet.study.models import Attendance, AttendanceSource, AttendanceStatus

from .test_conferences_common import make_conference, make_plan, org

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def conference(users):
    plan = make_plan(users["admin"])
    return make_conference(plan, org("X001"), users["admin"])


def mark_url(conference, member):
    return reverse("study:attendance_mark", args=[conference.pk, member.pk])


def test_the_page_lists_the_roster_by_cell_then_name(conference, client_as):
    response = client_as("xa1.bithu").get(reverse("study:attendance", args=[conference.pk]))
    assert response.status_code == 200
    members = [row["member"] for row in response.context["rows"]]
    expected = list(services.conference_roster(conference).order_by("cell__path", "name_key", "id"))
    assert members == expected[: len(members)] and len(members) == min(len(expected), 200)
    html = response.content.decode()
    assert html.count('class="att-row') == len(members)
    for label in ["Có mặt", "Đi muộn", "Về sớm", "Vắng có lý do", "Vắng không lý do"]:
        assert label in html


def test_htmx_post_marks_and_returns_the_updated_row(conference, client_as, users):
    member = services.conference_roster(conference).order_by("id").first()
    response = client_as("xa1.bithu").post(mark_url(conference, member), {"status": AttendanceStatus.LATE}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "attendance-changed"
    html = response.content.decode()
    assert html.startswith(f'<tr id="att-{member.pk}"') and 'data-status="di_muon"' in html
    assert "<html" not in html
    row = Attendance.objects.get(conference=conference, member=member)
    assert (row.status, row.source) == (AttendanceStatus.LATE, AttendanceSource.BOARD)
    assert AuditEntry.objects.filter(action="attendance.mark", object_id=str(row.pk), actor=users["xa1.bithu"]).exists()
    # Marking again changes the same row.
    client_as("xa1.bithu").post(mark_url(conference, member), {"status": AttendanceStatus.PRESENT}, **HTMX)
    assert Attendance.objects.get(conference=conference, member=member).status == AttendanceStatus.PRESENT


def test_excused_without_a_reason_shows_the_error_in_the_row(conference, client_as):
    member = services.conference_roster(conference).order_by("id").first()
    client = client_as("xa1.bithu")
    response = client.post(mark_url(conference, member), {"status": AttendanceStatus.EXCUSED, "reason": "  "}, **HTMX)
    assert response.status_code == 200 and "HX-Trigger" not in response
    html = response.content.decode()
    assert "Vắng có lý do: hãy ghi lý do." in html and "is-invalid" in html
    assert 'data-pending="vang_co_ly_do"' in html
    assert not Attendance.objects.filter(conference=conference, member=member).exists()
    response = client.post(
        mark_url(conference, member), {"status": AttendanceStatus.EXCUSED, "reason": "Đi công tác"}, **HTMX
    )
    assert "att-error" not in response.content.decode()
    row = Attendance.objects.get(conference=conference, member=member)
    assert (row.status, row.reason) == (AttendanceStatus.EXCUSED, "Đi công tác")


def test_an_unknown_status_is_refused(conference, client_as):
    member = services.conference_roster(conference).order_by("id").first()
    response = client_as("xa1.bithu").post(mark_url(conference, member), {"status": "vang_mat"}, **HTMX)
    assert "Hãy chọn một trong năm tình trạng." in response.content.decode()
    assert not Attendance.objects.filter(conference=conference).exists()


def test_without_htmx_the_form_redirects_back(conference, client_as):
    member = services.conference_roster(conference).order_by("id").first()
    response = client_as("xa1.bithu").post(mark_url(conference, member), {"status": AttendanceStatus.ABSENT})
    assert response.status_code == 302
    assert response["Location"] == reverse("study:attendance", args=[conference.pk]) + f"#att-{member.pk}"
    assert Attendance.objects.get(conference=conference, member=member).status == AttendanceStatus.ABSENT


def test_a_member_not_on_the_roster_cannot_be_marked(conference, client_as):
    stranger = services.conference_roster(conference).model.objects.in_subtree(org("X002")).first()
    response = client_as("admin").post(mark_url(conference, stranger), {"status": "co_mat"}, **HTMX)
    assert response.status_code == 404
    assert not Attendance.objects.filter(conference=conference, member=stranger).exists()


def test_scope_sibling_commune_and_plain_member(conference, client_as, users):
    member = users["dangvien1"].member
    assert services.on_roster(conference, member)
    for persona, status in [("xa2.bithu", 404), ("outsider", 404), ("dangvien1", 403)]:
        client = client_as(persona)
        assert client.get(reverse("study:attendance", args=[conference.pk])).status_code == status
        assert client.post(mark_url(conference, member), {"status": "co_mat"}, **HTMX).status_code == status
    assert not Attendance.objects.filter(conference=conference).exists()
    response = client_as("tinh.tuyengiao").post(mark_url(conference, member), {"status": "co_mat"}, **HTMX)
    assert response.status_code == 200


def test_filter_by_name_without_diacritics(conference, client_as):
    roster = list(services.conference_roster(conference))
    target = roster[len(roster) // 2]
    given_name = fold(target.full_name).split()[-1]  # e.g. "nhan" for Nhân
    response = client_as("xa1.bithu").get(
        reverse("study:attendance", args=[conference.pk]), {"q": given_name, "part": "table"}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    shown = [row["member"] for row in response.context["rows"]]
    assert target in shown
    assert all(given_name in m.full_name_folded for m in shown)
    assert len(shown) < len(roster) or all(given_name in m.full_name_folded for m in roster)


def test_counts_partial_counts_by_status(conference, client_as, users):
    members = list(services.conference_roster(conference).order_by("id")[:3])
    services.attendance_mark(users["admin"], conference, members[0], AttendanceStatus.PRESENT)
    services.attendance_mark(users["admin"], conference, members[1], AttendanceStatus.PRESENT)
    services.attendance_mark(users["admin"], conference, members[2], AttendanceStatus.ABSENT)
    response = client_as("xa1.bithu").get(reverse("study:attendance", args=[conference.pk]), {"part": "counts"})
    counts = response.context["counts"]
    by_status = {r["status"]: r["count"] for r in counts["rows"]}
    assert by_status[AttendanceStatus.PRESENT] == 2 and by_status[AttendanceStatus.ABSENT] == 1
    assert counts["unmarked"] == services.conference_roster(conference).count() - 3
    html = response.content.decode()
    assert 'id="att-counts"' in html and "attendance-changed from:body" in html
