"""Recording conferences: Chỉ thị 28's chair/presenter/board rules, covered units and bridging points,
marking held (which fulfils obligations), the detail page's rule check, make-up sessions.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from quantriet.core.models import AuditEntry
from quantriet.org.models import Member, Organization, Title
from quantriet.study import services
from quantriet.study.models import (
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    Conference,
    ConferenceFormat,
    ConferenceStatus,
    Obligation,
)

from .test_conferences_common import make_conference, make_plan, org


@pytest.fixture
def plan(users):
    return make_plan(users["admin"])


@pytest.fixture
def commune():
    return org("X001")


def leaders(host):
    day = timezone.localdate()
    return host.holder(Title.SECRETARY, day), host.holder(Title.STANDING_DEPUTY, day), host.holder(Title.DEPUTY, day)


def form_data(host, **overrides):
    """A complete, rule-abiding conference form for HOST (the secretary chairs and presents)."""
    secretary, standing, _ = leaders(host)
    start = timezone.localtime(timezone.now() - datetime.timedelta(hours=1))
    data = {
        "title": f"Hội nghị quán triệt Chỉ thị — {host.name}",
        "starts_at": start.strftime("%d/%m/%Y %H:%M"),
        "duration_minutes": "180",
        "format": ConferenceFormat.IN_PERSON,
        "location": "Hội trường Đảng ủy",
        "checkin_interval": "30",
        "covered": [host.pk],
        "chair": secretary.pk,
        "presenters": [secretary.pk],
        "board_head": standing.pk if standing else "",
        "local_context": "Liên hệ tình hình chuyển đổi số ở địa phương.",
        "class_rules": "Dự đủ buổi, không dùng điện thoại.",
        "diem_cau-TOTAL_FORMS": "1",
        "diem_cau-INITIAL_FORMS": "0",
        "diem_cau-MIN_NUM_FORMS": "0",
        "diem_cau-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def create_url(plan, host):
    return reverse("study:conference_create") + f"?plan={plan.pk}&org={host.pk}"


# ---------------------------------------------------------------- Chỉ thị 28: who chairs, presents, runs the board


def test_deputy_chairing_without_a_reason_is_refused_with_the_message(plan, commune, client_as):
    secretary, _, deputy = leaders(commune)
    before = Conference.objects.count()
    response = client_as("xa1.bithu").post(create_url(plan, commune), form_data(commune, chair=deputy.pk))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["chair_reason"] == [f"Bí thư ({secretary}) không chủ trì: phải ghi rõ lý do."]
    assert f"Bí thư ({secretary}) không chủ trì: phải ghi rõ lý do." in response.content.decode()
    assert Conference.objects.count() == before


def test_deputy_chairing_with_a_reason_is_saved(plan, commune, client_as):
    _, _, deputy = leaders(commune)
    data = form_data(commune, chair=deputy.pk, chair_reason="Bí thư đi công tác tỉnh, ủy quyền Phó Bí thư.")
    response = client_as("xa1.bithu").post(create_url(plan, commune), data)
    conference = Conference.objects.get(plan=plan, host=commune)
    assert response.status_code == 302 and response["Location"] == conference.get_absolute_url()
    assert conference.chair == deputy and conference.chair_reason.startswith("Bí thư đi công tác")
    assert AuditEntry.objects.filter(action="conference.create", object_id=str(conference.pk)).exists()


def test_secretary_not_presenting_and_board_not_under_the_standing_deputy_need_reasons(plan, commune, client_as):
    secretary, standing, deputy = leaders(commune)
    assert standing is not None  # a commune committee has a standing deputy
    data = form_data(commune, presenters=[deputy.pk], board_head=deputy.pk)
    response = client_as("xa1.bithu").post(create_url(plan, commune), data)
    errors = response.context["form"].errors
    assert errors["presenter_reason"] == [f"Bí thư ({secretary}) không trực tiếp triển khai: phải ghi rõ lý do."]
    assert errors["board_reason"] == [
        f"Phó Bí thư Thường trực ({standing}) không phụ trách ban quản lý lớp học: ghi rõ lý do."
    ]
    assert "chair_reason" not in errors
    data.update(presenter_reason="Mời báo cáo viên tỉnh trình bày.", board_reason="Phó Bí thư Thường trực nghỉ phép.")
    assert client_as("xa1.bithu").post(create_url(plan, commune), data).status_code == 302
    conference = Conference.objects.get(plan=plan, host=commune)
    assert list(conference.presenters.all()) == [deputy] and conference.board_head == deputy


def test_the_service_refuses_the_same_departures(plan, commune, users):
    """The rule lives in the service too, so the API and imports cannot skip it."""
    _, _, deputy = leaders(commune)
    conference = Conference(plan=plan, host=commune, title="Hội nghị", starts_at=timezone.now(), chair=deputy)
    with pytest.raises(ValidationError) as refused:
        services.conference_record(users["admin"], conference, [commune], [deputy], [])
    assert set(refused.value.error_dict) >= {"chair_reason", "presenter_reason"}
    assert not Conference.objects.filter(plan=plan, host=commune).exists()


def test_chair_by_card_number_must_be_a_member_of_the_host_subtree(plan, commune, client_as):
    inside = Member.objects.in_subtree(commune).exclude(card_number=None).order_by("id").last()
    outside = Member.objects.in_subtree(org("X002")).exclude(card_number=None).order_by("id").first()
    client = client_as("xa1.bithu")
    data = form_data(commune, chair="", chair_number=outside.card_number, chair_reason="Ủy quyền.")
    response = client.post(create_url(plan, commune), data)
    assert response.context["form"].errors["chair_number"] == [
        f"Không có đảng viên mang số {outside.card_number} trong {commune}."
    ]
    data["chair_number"] = inside.card_number
    assert client.post(create_url(plan, commune), data).status_code == 302
    assert Conference.objects.get(plan=plan, host=commune).chair == inside


def test_presenters_and_board_members_by_number(plan, commune, client_as):
    members = list(Member.objects.in_subtree(commune).exclude(card_number=None).order_by("-id")[:3])
    data = form_data(
        commune,
        presenter_numbers=members[0].card_number,
        board_numbers=f"{members[1].card_number}, {members[2].card_number}",
    )
    assert client_as("xa1.bithu").post(create_url(plan, commune), data).status_code == 302
    conference = Conference.objects.get(plan=plan, host=commune)
    assert members[0] in conference.presenters.all()
    assert set(conference.board.all()) == {members[1], members[2]}


# ---------------------------------------------------------------- covered units, bridging points


def test_joint_conference_for_all_sub_units(plan, commune, client_as):
    data = form_data(commune, all_children="on")
    assert client_as("xa1.bithu").post(create_url(plan, commune), data).status_code == 302
    conference = Conference.objects.get(plan=plan, host=commune)
    children = Organization.objects.filter(path__startswith=commune.path, depth=commune.depth + 1).active()
    assert set(conference.covered_orgs.all()) == {commune, *children}


def test_bridge_points_are_saved_edited_and_removed(plan, commune, client_as):
    cells = list(Organization.objects.filter(path__startswith=commune.path, depth=commune.depth + 1).order_by("path"))
    bridge = {
        "diem_cau-TOTAL_FORMS": "1",
        "diem_cau-0-place": "Nhà văn hóa ấp",
        "diem_cau-0-host": cells[1].pk,
        "diem_cau-0-expected": "25",
        "diem_cau-0-actual": "",
    }
    client = client_as("xa1.bithu")
    data = form_data(commune, format=ConferenceFormat.HYBRID, **bridge)
    assert client.post(create_url(plan, commune), data).status_code == 302
    conference = Conference.objects.get(plan=plan, host=commune)
    point = conference.bridge_points.get()
    assert (point.host, point.place, point.expected, point.actual) == (cells[1], "Nhà văn hóa ấp", 25, None)
    edit = reverse("study:conference_edit", args=[conference.pk])
    data.update(
        {
            "diem_cau-TOTAL_FORMS": "2",
            "diem_cau-INITIAL_FORMS": "1",
            "diem_cau-0-id": point.pk,
            "diem_cau-0-actual": "23",
            "diem_cau-1-place": "Hội trường trường học",
            "diem_cau-1-host": cells[2].pk,
            "diem_cau-1-expected": "10",
        }
    )
    assert client.post(edit, data).status_code == 302
    assert sorted(conference.bridge_points.values_list("host_id", "actual")) == sorted(
        [(cells[1].pk, 23), (cells[2].pk, None)]
    )
    data.update({"diem_cau-0-DELETE": "on"})
    data.pop("diem_cau-1-place"), data.pop("diem_cau-1-host"), data.pop("diem_cau-1-expected")
    data["diem_cau-TOTAL_FORMS"] = "1"
    assert client.post(edit, data).status_code == 302
    assert not conference.bridge_points.exists()


def test_a_bridge_host_outside_the_host_subtree_is_refused(plan, commune, client_as):
    data = form_data(
        commune,
        **{"diem_cau-0-place": "Xã bên", "diem_cau-0-host": org("X002").pk, "diem_cau-0-expected": "5"},
    )
    response = client_as("xa1.bithu").post(create_url(plan, commune), data)
    assert response.status_code == 200 and response.context["formset"].forms[0].errors["host"]
    assert not Conference.objects.filter(plan=plan, host=commune).exists()


def test_the_service_refuses_covered_units_outside_the_host(plan, commune, users):
    secretary, _, _ = leaders(commune)
    conference = Conference(plan=plan, host=commune, title="Hội nghị", starts_at=timezone.now(), chair=secretary)
    with pytest.raises(ValidationError, match="không trực thuộc"):
        services.conference_record(users["admin"], conference, [org("X002")], [secretary], [])


# ---------------------------------------------------------------- held: obligations fulfilled


def test_marking_held_fulfils_covered_units_and_bridge_hosts(plan, commune, client_as, users):
    cells = list(Organization.objects.filter(path__startswith=commune.path, depth=commune.depth + 1).order_by("path"))
    conference = make_conference(plan, commune, users["admin"], covered=[commune, cells[0]])
    services.conference_bridges_set(users["admin"], conference, [{"host": cells[1], "place": "Ấp", "expected": 9}])
    response = client_as("xa1.bithu").post(reverse("study:conference_held", args=[conference.pk]))
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.HELD
    held_on = timezone.localtime(conference.starts_at).date()
    fulfilled = Obligation.objects.filter(plan=plan, conference=conference)
    assert set(fulfilled.values_list("org_id", flat=True)) == {commune.pk, cells[0].pk, cells[1].pk}
    assert set(fulfilled.values_list("held_on", flat=True)) == {held_on}
    # Other cells of the commune, and other communes, still owe their conference.
    assert Obligation.objects.get(plan=plan, org=cells[2]).held_on is None
    assert Obligation.objects.get(plan=plan, org=org("X002")).held_on is None
    assert "hoàn thành nhiệm vụ của 3 tổ chức" in [m.message for m in response.wsgi_request._messages][0]


def test_a_future_conference_cannot_be_marked_held(plan, commune, client_as, users):
    start = timezone.now() + datetime.timedelta(days=2)
    conference = make_conference(plan, commune, users["admin"], starts_at=start)
    response = client_as("xa1.bithu").post(reverse("study:conference_held", args=[conference.pk]), follow=True)
    assert "Hội nghị chưa diễn ra" in response.content.decode()
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.PLANNED
    assert Obligation.objects.get(plan=plan, org=commune).held_on is None


def test_an_obligation_prefills_plan_host_and_the_rule_following_people(plan, commune, client_as):
    obligation = Obligation.objects.get(plan=plan, org=commune)
    response = client_as("xa1.bithu").get(reverse("study:conference_create") + f"?obligation={obligation.pk}")
    assert response.status_code == 200
    form = response.context["form"]
    secretary, standing, _ = leaders(commune)
    assert form.host == commune and response.context["conference"].plan == plan
    assert form.initial["chair"] == secretary.pk and form.initial["presenters"] == [secretary.pk]
    assert form.initial["board_head"] == standing.pk
    assert form.initial["covered"] == [commune]


def test_creating_needs_a_published_plan(plan, commune, client_as):
    plan.status = "ket_thuc"
    plan.save(update_fields=["status"])
    response = client_as("xa1.bithu").get(create_url(plan, commune))
    assert response.status_code == 302


# ---------------------------------------------------------------- detail page and scope


def test_a_sibling_commune_secretary_neither_sees_nor_marks_it(plan, commune, client_as, users):
    conference = make_conference(plan, commune, users["admin"])
    member = services.conference_roster(conference).first()
    sibling = client_as("xa2.bithu")
    assert sibling.get(conference.get_absolute_url()).status_code == 404
    mark = reverse("study:attendance_mark", args=[conference.pk, member.pk])
    assert sibling.post(mark, {"status": AttendanceStatus.PRESENT}).status_code == 404
    assert sibling.post(reverse("study:conference_held", args=[conference.pk])).status_code == 404
    assert not Attendance.objects.filter(conference=conference).exists()
    assert client_as("tinh.tuyengiao").get(conference.get_absolute_url()).status_code == 200
    assert conference not in sibling.get(reverse("study:conferences")).context["page"].object_list


def test_detail_shows_the_rule_check_and_counts(plan, commune, client_as, users):
    secretary, _, deputy = leaders(commune)
    conference = Conference(
        plan=plan,
        host=commune,
        title="Hội nghị có Phó Bí thư chủ trì",
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        chair=deputy,
        chair_reason="Bí thư nằm viện",
        board_head=leaders(commune)[1],
    )
    services.conference_save(users["admin"], conference, [commune], [secretary], [])
    members = list(services.conference_roster(conference).order_by("id")[:2])
    services.attendance_mark(users["admin"], conference, members[0], AttendanceStatus.PRESENT)
    services.attendance_mark(users["admin"], conference, members[1], AttendanceStatus.EXCUSED, "Ốm")
    response = client_as("dangvien1").get(conference.get_absolute_url())
    assert response.status_code == 200
    rules = {r["label"]: r for r in response.context["rules"]}
    assert rules["Bí thư chủ trì"]["ok"] is False and rules["Bí thư chủ trì"]["reason"] == "Bí thư nằm viện"
    assert rules["Bí thư trực tiếp triển khai"]["ok"] is True
    assert rules["Phó Bí thư Thường trực phụ trách ban quản lý lớp học"]["ok"] is True
    assert rules["Liên hệ tình hình địa phương, đơn vị"]["ok"] is False
    html = response.content.decode()
    assert "Không</span>" in html and "lý do: Bí thư nằm viện" in html
    counts = response.context["counts"]
    assert counts["total"] == services.conference_roster(conference).count()
    assert {r["status"]: r["count"] for r in counts["rows"]}[AttendanceStatus.EXCUSED] == 1
    assert counts["unmarked"] == counts["total"] - 2
    # A plain member sees the page but not the board's buttons.
    assert reverse("study:board", args=[conference.pk]) not in html
    board_view = client_as("xa1.bithu").get(conference.get_absolute_url()).content.decode()
    assert reverse("study:board", args=[conference.pk]) in board_view


# ---------------------------------------------------------------- make-up sessions


def test_make_up_session_roster_is_the_original_absentees(plan, commune, client_as, users):
    original = make_conference(plan, commune, users["admin"])
    members = list(services.conference_roster(original).order_by("id")[:4])
    for member, status in zip(
        members,
        [AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT],
        strict=True,
    ):
        services.attendance_mark(users["admin"], original, member, status, "Ốm" if status == "vang_co_ly_do" else "")
    client = client_as("xa1.bithu")
    url = reverse("study:makeup_create", args=[original.pk])
    assert client.get(url).status_code == 302  # not held yet: no make-up
    services.conference_mark_held(users["admin"], original)
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"].initial["title"].startswith("Học bù:")
    start = timezone.localtime(timezone.now() + datetime.timedelta(days=3)).strftime("%d/%m/%Y %H:%M")
    response = client.post(url, form_data(commune, title="Học bù Chỉ thị", starts_at=start))
    makeup = Conference.objects.get(makeup_of=original)
    assert response.status_code == 302 and response["Location"] == makeup.get_absolute_url()
    # Everyone expected who did not attend: the two marked absent and those never marked at all.
    roster = set(services.conference_roster(makeup))
    assert {members[2], members[3]} <= roster and not {members[0], members[1]} & roster
    assert len(roster) == services.conference_roster(original).count() - 2
    assert makeup.plan == original.plan and makeup.host == original.host
    # The absentee sees the make-up session and can check in to it; a member who attended is not on its roster.
    assert not services.on_roster(makeup, members[0])


def test_marking_attendance_twice_keeps_one_row(plan, commune, users):
    conference = make_conference(plan, commune, users["admin"])
    member = services.conference_roster(conference).first()
    services.attendance_mark(users["admin"], conference, member, AttendanceStatus.ABSENT)
    services.attendance_mark(users["admin"], conference, member, AttendanceStatus.PRESENT)
    row = Attendance.objects.get(conference=conference, member=member)
    assert (row.status, row.source) == (AttendanceStatus.PRESENT, AttendanceSource.BOARD)


def test_the_conference_numbers_are_whole_numbers_in_text_inputs(plan, commune, client_as):
    """A duration typed "1,5" is refused, never read as 15 minutes (type="number" would drop the comma)."""
    client = client_as("xa1.bithu")
    page = client.get(create_url(plan, commune)).content.decode()
    assert 'type="number"' not in page and page.count('inputmode="numeric"') >= 2
    response = client.post(create_url(plan, commune), form_data(commune, duration_minutes="1,5"))
    assert response.context["form"].errors["duration_minutes"] == [
        "“1,5” không phải là số nguyên. Hãy nhập một số nguyên (ví dụ 30)."
    ]
    assert not Conference.objects.filter(plan=plan, host=commune).exists()


def test_detail_names_the_parent_of_covered_units_below_the_hosts_children(plan, commune, client_as, users):
    province = Organization.objects.get_parent(commune)
    cell = Organization.objects.filter(path__startswith=commune.path, depth=commune.depth + 1).order_by("path").first()
    conference = make_conference(plan, province, users["admin"], covered=[province, commune, cell])
    page = client_as("admin").get(conference.get_absolute_url()).content.decode()
    assert f"<div>{cell.name} — {commune.name}</div>" in page  # a cell of one commune, at a province conference
    assert f"<div>{commune.name}</div>" in page  # directly under the host: the page names the host already
    assert f"<div>{province.name}</div>" in page  # the host itself
    own = make_conference(plan, cell, users["admin"])
    assert f"<div>{cell.name}</div>" in client_as("admin").get(own.get_absolute_url()).content.decode()
