"""The study API: plans, conferences, check-in codes and check-in, against the demo personas.

Out of scope is 404 (the same as missing); the check-in code is for the class board only (403
for others who can see the conference); check-in is idempotent and every refusal has its status.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from quantriet.documents.models import Audience, DocType, Document
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Member, Organization, Title
from quantriet.study import checkin as codes
from quantriet.study import services
from quantriet.study.models import (
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    CheckinAttempt,
    CheckinOutcome,
    Conference,
    ConferenceStatus,
    Level,
    LevelDeadline,
    PlanStatus,
    StudyPlan,
)
from quantriet.study.tests.test_conferences_common import wrong_short_code
from quantriet.tests.matrix import (
    ALL,
    api_anonymous_failures,
    api_failures,
    api_operations,
    expect,
    uncovered_operations,
)


def make_conference(plan, host, actor, starts_at=None, title=None):
    """A conference following the rules: the secretary chairs and presents, the standing deputy heads the board."""
    secretary = host.holder(Title.SECRETARY)
    conference = Conference(
        plan=plan,
        host=host,
        title=title or f"Hội nghị học tập, quán triệt — {host.name}",
        starts_at=starts_at or timezone.now() - timedelta(minutes=10),
        location="Hội trường",
        chair=secretary,
        board_head=host.holder(Title.STANDING_DEPUTY),
    )
    presenters = [secretary] if secretary else []
    return services.conference_save(actor, conference, covered=[host], presenters=presenters, board=[])


@pytest.fixture
def world(users):
    root = Organization.objects.get(code=ROOT_CODE)
    commune1 = Organization.objects.get(code=f"{ROOT_CODE}-X001")
    commune2 = Organization.objects.get(code=f"{ROOT_CODE}-X002")
    cell = users["dangvien1"].member.cell
    document = Document.objects.create(
        number="903",
        type_code="KL",
        issuer_code="TW",
        doc_type=DocType.CONCLUSION,
        title="Kết luận về tiếp tục đổi mới công tác học tập, quán triệt nghị quyết",
        issuer_name="Bộ Chính trị",
        issued_on=date(2025, 3, 3),
    )
    today = timezone.localdate()
    plan = StudyPlan.objects.create(
        issuer=root,
        symbol="12-KH/TU",
        title="Kế hoạch học tập, quán triệt Kết luận số 903-KL/TW",
        audiences=[Audience.MEMBERS],
        essay_deadline=today + timedelta(days=60),
    )
    plan.documents.add(document)
    LevelDeadline.objects.bulk_create(
        [
            LevelDeadline(plan=plan, level=Level.PROVINCE, deadline=today + timedelta(days=10)),
            LevelDeadline(plan=plan, level=Level.UPPER, deadline=today + timedelta(days=20)),
            LevelDeadline(plan=plan, level=Level.CELL, deadline=today + timedelta(days=30)),
        ]
    )
    admin = users["admin"]
    services.plan_publish(admin, plan)
    plan.refresh_from_db()
    return {
        "root": root,
        "commune1": commune1,
        "commune2": commune2,
        "cell": cell,
        "document": document,
        "plan": plan,
        "c1": make_conference(plan, cell, admin),
        "c2": make_conference(plan, commune2, admin),
    }


def post_code(client, conference, code, **extra):
    return client.post(
        f"/api/v1/conferences/{conference.pk}/checkin", {"code": code, **extra}, content_type="application/json"
    )


# ---------------------------------------------------------------- the permission matrix


def api_matrix(w):
    """(method, url, body or None, expected status per persona)."""
    plan, c1, c2 = w["plan"], w["c1"], w["c2"]
    return [
        ("get", "/api/v1/plans", None, expect(others=200)),
        ("get", f"/api/v1/plans/{plan.pk}/conferences", None, expect(outsider=404, others=200)),
        (
            "get",
            f"/api/v1/conferences/{c1.pk}/checkin-code",
            None,
            expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, dangvien1=403, others=404),
        ),
        (
            "get",
            f"/api/v1/conferences/{c2.pk}/checkin-code",
            None,
            expect(admin=200, tinh_tuyengiao=200, xa2_bithu=200, others=404),
        ),
        # Check-in with a genuine code: only members on the roster get in; the board's staff
        # who are not on it are refused (403), and those who cannot see the conference get 404.
        (
            "post",
            f"/api/v1/conferences/{c1.pk}/checkin",
            {"code": codes.make_code(c1)},
            expect(admin=403, tinh_tuyengiao=403, xa1_bithu=403, dangvien1=200, others=404),
        ),
        (
            "post",
            f"/api/v1/conferences/{c2.pk}/checkin",
            {"code": codes.make_code(c2)},
            expect(admin=403, tinh_tuyengiao=403, xa2_bithu=200, others=404),
        ),
    ]


def refusals_say_why(row, response):
    """A 404 is the plain "not found" (as for a missing conference); a refused check-in code names the class board."""
    method, status = row[0], response.status_code
    if status == 404 and response.json() != {"detail": "Không tìm thấy."}:
        return f"404 body {response.content!r}"
    if status == 403 and method == "get" and "ban quản lý lớp học" not in response.json()["detail"]:
        return f"403 body {response.content!r}"
    return None


@pytest.mark.parametrize("persona", ALL)
def test_api_matrix(persona, api, world):
    assert api_failures(api_matrix(world), api, personas=[persona], check=refusals_say_why) == []


def test_api_without_token_is_401(client_as, world):
    assert api_anonymous_failures(api_matrix(world), client_as) == []


def test_every_study_operation_is_in_the_matrix(world):
    """A new plans/conferences endpoint must be added to the matrix (and so get its negative access test)."""
    operations = api_operations("study")
    assert operations, "the study endpoints are not mounted"
    assert uncovered_operations(operations, api_matrix(world)) == set()


# ---------------------------------------------------------------- plans and conferences


def test_plan_list_fields(api, world):
    plan = world["plan"]
    body = api("dangvien1").get("/api/v1/plans").json()
    assert body["count"] == len(body["items"]) >= 1
    (item,) = [p for p in body["items"] if p["id"] == plan.pk]
    assert item == {
        "id": plan.pk,
        "title": plan.title,
        "symbol": "12-KH/TU",
        "status": PlanStatus.PUBLISHED,
        "status_label": "Đã ban hành",
        "issuer_id": world["root"].pk,
        "issuer_name": world["root"].name,
        "published_at": item["published_at"],
        "deadlines": [
            {"level": d.level, "level_label": d.get_level_display(), "deadline": d.deadline.isoformat()}
            for d in plan.deadlines.order_by("deadline")
        ],
        "documents": ["903-KL/TW"],
    }
    assert item["published_at"] is not None
    assert item["deadlines"][0]["level_label"] == "Cấp tỉnh"


def test_outsider_sees_no_plans(api, world):
    assert api("outsider").get("/api/v1/plans").json() == {"items": [], "count": 0}


def test_draft_plans_only_inside_the_granted_subtree(api, world):
    draft = StudyPlan.objects.create(issuer=world["root"], title="Kế hoạch dự thảo", audiences=[Audience.MEMBERS])
    for persona, sees in [("admin", True), ("tinh.tuyengiao", True), ("xa1.bithu", False), ("dangvien1", False)]:
        ids = {p["id"] for p in api(persona).get("/api/v1/plans").json()["items"]}
        assert (draft.pk in ids) is sees, persona
        assert world["plan"].pk in ids
    assert api("xa1.bithu").get(f"/api/v1/plans/{draft.pk}/conferences").status_code == 404


def test_plan_issued_by_a_sibling_commune_is_hidden(api, world, users):
    plan = StudyPlan.objects.create(issuer=world["commune2"], title="Kế hoạch của xã 2", audiences=[Audience.MEMBERS])
    plan.documents.add(world["document"])
    LevelDeadline.objects.create(plan=plan, level=Level.CELL, deadline=timezone.localdate() + timedelta(days=9))
    plan.essay_deadline = timezone.localdate() + timedelta(days=30)
    plan.save()
    services.plan_publish(users["admin"], plan)
    assert plan.pk in {p["id"] for p in api("xa2.bithu").get("/api/v1/plans").json()["items"]}
    assert plan.pk not in {p["id"] for p in api("xa1.bithu").get("/api/v1/plans").json()["items"]}
    assert api("xa1.bithu").get(f"/api/v1/plans/{plan.pk}/conferences").status_code == 404
    assert api("xa2.bithu").get(f"/api/v1/plans/{plan.pk}/conferences").json()["count"] == 0


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("admin", {"c1", "c2"}),
        ("tinh.tuyengiao", {"c1", "c2"}),
        ("xa1.bithu", {"c1"}),
        ("xa2.bithu", {"c2"}),
        ("dangvien1", {"c1"}),
    ],
)
def test_conferences_of_a_plan_in_scope(api, world, persona, expected):
    body = api(persona).get(f"/api/v1/plans/{world['plan'].pk}/conferences").json()
    assert {c["id"] for c in body["items"]} == {world[name].pk for name in expected}
    assert body["count"] == len(expected)


def test_conference_fields(api, world):
    c1, cell = world["c1"], world["cell"]
    (item,) = api("dangvien1").get(f"/api/v1/plans/{world['plan'].pk}/conferences").json()["items"]
    assert item["id"] == c1.pk and item["plan_id"] == world["plan"].pk
    assert (item["host_id"], item["host_code"], item["host_name"]) == (cell.pk, cell.code, cell.name)
    assert item["duration_minutes"] == 180
    assert item["format"] == "truc_tiep" and item["format_label"] == "Trực tiếp"
    assert item["status"] == "du_kien" and item["status_label"] == "Dự kiến"
    assert item["location"] == "Hội trường"
    assert item["covered_org_ids"] == [cell.pk]
    starts, ends = (timezone.datetime.fromisoformat(item[k]) for k in ("starts_at", "ends_at"))
    assert abs(starts - c1.starts_at) < timedelta(milliseconds=1)  # JSON keeps milliseconds
    assert ends - starts == timedelta(minutes=180)


# ---------------------------------------------------------------- check-in codes


def test_checkin_code_for_the_board(api, world):
    c1 = world["c1"]
    body = api("xa1.bithu").get(f"/api/v1/conferences/{c1.pk}/checkin-code").json()
    conference_id, slot, mac = codes.parse_code(body["code"])
    assert conference_id == c1.pk and codes.is_authentic(c1, slot, mac)
    assert slot in {codes.current_slot(c1) - 1, codes.current_slot(c1)}
    assert body["short_code"] == codes.make_short_code(c1, slot)
    assert body["interval"] == c1.checkin_interval == 30
    assert 1 <= body["expires_in"] <= body["interval"]
    assert body["checkin_url"] == f"http://testserver/hoc-tap/hoi-nghi/{c1.pk}/diem-danh/?ma={body['code']}"


def test_board_members_get_the_code(api, world, users):
    c1, me = world["c1"], users["dangvien1"].member
    url = f"/api/v1/conferences/{c1.pk}/checkin-code"
    assert api("dangvien1").get(url).status_code == 403
    c1.board.add(me)
    assert api("dangvien1").get(url).status_code == 200
    c1.board.clear()
    Conference.objects.filter(pk=c1.pk).update(board_head=me)
    assert api("dangvien1").get(url).status_code == 200


def test_code_from_the_api_checks_in(api, world):
    code = api("xa1.bithu").get(f"/api/v1/conferences/{world['c1'].pk}/checkin-code").json()["code"]
    response = post_code(api("dangvien1"), world["c1"], code)
    assert response.status_code == 200 and response.json()["outcome"] == CheckinOutcome.OK


def test_short_code_from_the_api_checks_in(api, world):
    short = api("xa1.bithu").get(f"/api/v1/conferences/{world['c1'].pk}/checkin-code").json()["short_code"]
    response = post_code(api("dangvien1"), world["c1"], short)
    assert response.status_code == 200 and response.json()["outcome"] == CheckinOutcome.OK


# ---------------------------------------------------------------- check-in


def test_checkin_ok_then_again_with_the_same_time(api, world, users):
    c1, me = world["c1"], users["dangvien1"].member
    client = api("dangvien1")
    first = post_code(client, c1, codes.make_code(c1))
    assert first.status_code == 200, first.content
    assert first.json() | {"checked_in_at": None} == {
        "outcome": CheckinOutcome.OK,
        "message": "Đã điểm danh",
        "checked_in_at": None,
        "status": AttendanceStatus.PRESENT,
        "status_label": "Có mặt",
    }
    again = post_code(client, c1, codes.make_code(c1))
    assert again.status_code == 200
    assert again.json()["outcome"] == CheckinOutcome.AGAIN
    assert again.json()["message"] == "Đã điểm danh trước đó"
    assert again.json()["checked_in_at"] == first.json()["checked_in_at"]
    row = Attendance.objects.get(conference=c1, member=me)
    assert row.source == AttendanceSource.QR
    stored = timezone.datetime.fromisoformat(first.json()["checked_in_at"])
    assert abs(stored - row.checked_in_at) < timedelta(milliseconds=1)
    assert CheckinAttempt.objects.filter(conference=c1, user=users["dangvien1"]).count() == 2


def test_member_id_in_the_body_is_ignored(api, world, users):
    c1, me = world["c1"], users["dangvien1"].member
    other = Member.objects.filter(cell=world["cell"]).exclude(pk=me.pk).first()
    response = post_code(api("dangvien1"), c1, codes.make_code(c1), member=other.pk, member_id=other.pk)
    assert response.status_code == 200
    assert list(Attendance.objects.filter(conference=c1).values_list("member_id", flat=True)) == [me.pk]


def _refusals(w, users):
    """(persona, conference, code, expected status, outcome), each a distinct refusal."""
    c1, c2 = w["c1"], w["c2"]
    old = codes.current_slot(c1) - 5
    replayed = old - 1
    someone = Member.objects.filter(cell=w["cell"]).exclude(pk=users["dangvien1"].member.pk).first()
    Attendance.objects.create(
        conference=c1,
        member=someone,
        status=AttendanceStatus.PRESENT,
        source=AttendanceSource.QR,
        checked_in_at=timezone.now() - timedelta(minutes=4),
        checkin_slot=replayed,
    )
    later = make_conference(
        w["plan"], w["cell"], users["admin"], starts_at=timezone.now() + timedelta(days=2), title="Hội nghị tuần sau"
    )
    _, slot, mac = codes.parse_code(codes.make_code(c1))
    locked = make_conference(w["plan"], w["cell"], users["admin"], title="Hội nghị bị đoán mã")
    CheckinAttempt.objects.bulk_create(
        CheckinAttempt(conference=locked, user=users["dangvien1"], outcome=CheckinOutcome.FORGED, short_code=True)
        for _ in range(codes.FAILURES_ALLOWED)
    )
    cancelled = make_conference(w["plan"], w["cell"], users["admin"], title="Hội nghị đã hủy")
    Conference.objects.filter(pk=cancelled.pk).update(status=ConferenceStatus.CANCELLED)
    return [
        ("admin", c1, codes.make_code(c1), 403, CheckinOutcome.NOT_A_MEMBER),
        ("xa1.bithu", c1, codes.make_code(c1), 403, CheckinOutcome.NOT_ON_ROSTER),
        ("dangvien1", c1, codes.make_code(c1, old), 409, CheckinOutcome.EXPIRED),
        ("dangvien1", c1, codes.make_code(c1, replayed), 409, CheckinOutcome.REPLAYED),
        ("dangvien1", later, codes.make_code(later), 409, CheckinOutcome.OUT_OF_WINDOW),
        ("dangvien1", c1, "không phải mã", 422, CheckinOutcome.FORGED),
        ("dangvien1", c1, f"{c1.pk}.{slot}.{'0' * 20}", 422, CheckinOutcome.FORGED),
        ("dangvien1", c1, codes.make_code(c1, codes.current_slot(c1) + 3), 422, CheckinOutcome.FORGED),
        ("dangvien1", c1, f"9999999999999999999.{slot}.{mac}", 422, CheckinOutcome.FORGED),
        ("dangvien1", c1, "", 422, CheckinOutcome.FORGED),
        ("dangvien1", c1, codes.make_code(c2), 422, CheckinOutcome.OTHER_CONFERENCE),
        ("dangvien1", c1, wrong_short_code(users["dangvien1"], c1), 422, CheckinOutcome.FORGED),
        ("dangvien1", locked, codes.make_short_code(locked), 429, CheckinOutcome.TOO_MANY),
        ("dangvien1", cancelled, codes.make_short_code(cancelled), 409, CheckinOutcome.CANCELLED),
    ]


def test_every_refusal_has_its_status_and_outcome(api, world, users):
    labels = dict(CheckinOutcome.choices)
    cases = _refusals(world, users)
    assert {outcome for *_, outcome in cases} == set(CheckinOutcome) - {CheckinOutcome.OK, CheckinOutcome.AGAIN}
    before = Attendance.objects.count()
    for persona, conference, code, status, outcome in cases:
        response = post_code(api(persona), conference, code)
        assert response.status_code == status, (persona, code, response.content)
        body = response.json()
        assert body["outcome"] == outcome, (persona, code, body)
        assert body["message"] == labels[outcome]
        assert body["detail"]
        attempt = CheckinAttempt.objects.filter(conference=conference).order_by("-at", "-id").first()
        assert attempt.outcome == outcome
    assert Attendance.objects.count() == before


def test_checkin_out_of_scope_changes_nothing(api, world):
    response = post_code(api("xa2.bithu"), world["c1"], codes.make_code(world["c1"]))
    assert response.status_code == 404
    assert not CheckinAttempt.objects.filter(conference=world["c1"]).exists()


@pytest.mark.parametrize(
    "body,message",
    [
        ("{", "không phải JSON hợp lệ"),
        ("", "phải là một đối tượng JSON"),
        ("[]", "phải là một đối tượng JSON"),
        ('"mã"', "phải là một đối tượng JSON"),
        ("null", "phải là một đối tượng JSON"),
        ("{}", "thiếu giá trị bắt buộc"),
        ('{"ma": "1.2.3"}', "thiếu giá trị bắt buộc"),
        ('{"code": 12}', "phải là chuỗi ký tự"),
        ('{"code": null}', "phải là chuỗi ký tự"),
        ('{"code": ["a"]}', "phải là chuỗi ký tự"),
        ('{"code": "' + "1" * 500 + '"}', "giá trị không hợp lệ"),
        (b"\xff\xfe", "không phải JSON hợp lệ"),
        ("[" * 100_000, "không phải JSON hợp lệ"),
    ],
)
def test_malformed_checkin_body_is_422(api, world, body, message):
    response = api("dangvien1").post(
        f"/api/v1/conferences/{world['c1'].pk}/checkin", body, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    payload = response.json()
    assert payload["detail"].startswith("Dữ liệu không hợp lệ")
    assert payload["errors"][0]["message"] == message
    assert not Attendance.objects.filter(conference=world["c1"]).exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/plans?page=0",
        "/api/v1/plans?page=x",
        "/api/v1/plans?page=100000000000000000000000",
        "/api/v1/plans?page_size=0",
        "/api/v1/plans/1/conferences?page=100000000000000000000000",
        "/api/v1/plans/0/conferences",
        "/api/v1/plans/abc/conferences",
        "/api/v1/plans/99999999999999999999999/conferences",
        "/api/v1/conferences/0/checkin-code",
        "/api/v1/conferences/x/checkin-code",
        "/api/v1/conferences/99999999999999999999999/checkin-code",
    ],
)
def test_malformed_ids_are_422(api, world, url):
    response = api("tinh.tuyengiao").get(url)
    assert response.status_code == 422, response.content
    assert response.json()["detail"].startswith("Dữ liệu không hợp lệ")


@pytest.mark.parametrize("conference_id", ["0", "abc", "99999999999999999999999"])
def test_malformed_conference_id_on_checkin_is_422(api, world, conference_id):
    response = api("dangvien1").post(
        f"/api/v1/conferences/{conference_id}/checkin", {"code": "1.2.3"}, content_type="application/json"
    )
    assert response.status_code == 422


def test_missing_and_out_of_scope_look_the_same(api, world):
    client = api("xa1.bithu")
    for template in ["/api/v1/conferences/{}/checkin-code", "/api/v1/plans/{}/conferences"]:
        missing = client.get(template.format(987654321))
        assert missing.status_code == 404 and missing.json() == {"detail": "Không tìm thấy."}
    hidden = client.get(f"/api/v1/conferences/{world['c2'].pk}/checkin-code")
    assert hidden.status_code == 404 and hidden.json() == missing.json()
    response = post_code(client, Conference(pk=987654321), "1.2.3")
    assert response.status_code == 404
