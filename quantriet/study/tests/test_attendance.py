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
        mark_url(conference, member),
        {"status": AttendanceStatus.EXCUSED, "reason": "Đi công tác", "member": member.pk},
        **HTMX,
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


# ---------------------------------------------------------------- a reason lands on its own row


def test_the_reason_input_carries_its_row(conference, client_as):
    html = client_as("xa1.bithu").get(reverse("study:attendance", args=[conference.pk])).content.decode()
    member = services.conference_roster(conference).order_by("cell__path", "full_name_folded", "id").first()
    assert f'<form id="att-form-{member.pk}"' in html
    form = html[html.index(f'<form id="att-form-{member.pk}"') :]
    assert f'<input type="hidden" name="member" value="{member.pk}">' in form[: form.index("</form>")]


@pytest.mark.parametrize("sent_for", ["other", "missing"])
def test_a_reason_sent_for_another_row_is_refused(conference, client_as, sent_for):
    member, neighbour = services.conference_roster(conference).order_by("id")[:2]
    data = {"status": AttendanceStatus.ABSENT, "reason": "ốm, có đơn"}
    if sent_for == "other":
        data["member"] = neighbour.pk
    response = client_as("xa1.bithu").post(mark_url(conference, member), data, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "HX-Trigger" not in response
    assert f"Lý do gửi kèm không thuộc dòng của {member.full_name} nên chưa lưu." in html
    assert not Attendance.objects.filter(conference=conference).exists()


def test_a_status_without_a_reason_needs_no_row_identity(conference, client_as):
    member = services.conference_roster(conference).order_by("id").first()
    client_as("xa1.bithu").post(mark_url(conference, member), {"status": AttendanceStatus.ABSENT, "reason": ""}, **HTMX)
    assert Attendance.objects.get(conference=conference, member=member).status == AttendanceStatus.ABSENT


# ---------------------------------------------------------------- a check-in by code is not overwritten silently


@pytest.fixture
def checked_in(conference, users):
    outcome, row = services.checkin(users["dangvien1"], conference, services.codes.make_code(conference))
    assert outcome == "ok"
    return row


def test_marking_over_a_checkin_asks_first(conference, client_as, checked_in):
    member = checked_in.member
    data = {"status": AttendanceStatus.EXCUSED, "reason": "ốm, có đơn", "member": member.pk}
    response = client_as("xa1.bithu").post(mark_url(conference, member), data, **HTMX)
    html = response.content.decode()
    assert "HX-Trigger" not in response
    assert f"{member.full_name} đã tự điểm danh bằng mã lúc" in html
    assert "bấm “Vẫn ghi” nếu đúng là như vậy" in html
    assert 'name="confirm" value="1"' in html and '"status": "vang_co_ly_do"' in html
    row = Attendance.objects.get(pk=checked_in.pk)
    assert (row.status, row.reason, row.source) == (checked_in.status, "", AttendanceSource.QR)
    assert not AuditEntry.objects.filter(object_id=str(row.pk), action__startswith="attendance.").exists()


def test_adding_a_reason_to_a_checkin_also_asks(conference, users, checked_in):
    with pytest.raises(services.CheckinOverride):
        services.attendance_mark(users["admin"], conference, checked_in.member, checked_in.status, "ốm, có đơn")
    assert Attendance.objects.get(pk=checked_in.pk).reason == ""


def test_the_same_mark_over_a_checkin_changes_nothing(conference, users, checked_in):
    row = services.attendance_mark(users["admin"], conference, checked_in.member, checked_in.status)
    assert (row.source, row.checked_in_at) == (AttendanceSource.QR, checked_in.checked_in_at)


def test_a_confirmed_mark_over_a_checkin_is_saved_and_audited(conference, client_as, users, checked_in):
    member = checked_in.member
    data = {"status": AttendanceStatus.LEFT_EARLY, "reason": "Về sớm lúc 9 giờ", "member": member.pk, "confirm": "1"}
    response = client_as("xa1.bithu").post(mark_url(conference, member), data, **HTMX)
    assert response["HX-Trigger"] == "attendance-changed"
    assert "ban quản lý đã sửa" in response.content.decode()
    row = Attendance.objects.get(pk=checked_in.pk)
    assert (row.status, row.reason, row.source) == (AttendanceStatus.LEFT_EARLY, "Về sớm lúc 9 giờ", "ban_quan_ly")
    assert row.checked_in_at == checked_in.checked_in_at  # the check-in itself stays on record
    entry = AuditEntry.objects.get(object_id=str(row.pk), action="attendance.override_checkin")
    assert entry.actor == users["xa1.bithu"]
    assert entry.before["source"] == AttendanceSource.QR and entry.after["status"] == AttendanceStatus.LEFT_EARLY
