"""Tracking the cascade: obligation status, the progress tree, to-do lists, the member's page."""

import datetime

import pytest
from django.utils import timezone

from quantriet.core.models import Notification
from quantriet.documents.models import Audience
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Organization
from quantriet.study.models import (
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    Conference,
    ConferenceStatus,
    EssayAudience,
    Level,
    Obligation,
    ObligationStatus,
)
from quantriet.study.services import essay_writers
from quantriet.study.views_plans import progress_forest

from .test_plans_common import commune_plan, days, make_document, make_plan, org

pytestmark = pytest.mark.django_db

S = ObligationStatus


# ---------------------------------------------------------------- status


def test_obligation_status_in_python_and_in_the_database_agree():
    plan = make_plan(org("X001"), {Level.UPPER: days(1)})
    today = timezone.localdate()
    cases = {
        "X001-C01": (today, today, S.ON_TIME),  # held on the deadline day: on time
        "X001-C02": (today - datetime.timedelta(days=2), today - datetime.timedelta(days=1), S.LATE),
        "X001-C03": (today, None, S.NOT_DUE),  # the deadline day itself is not yet overdue
        "X001-C04": (today - datetime.timedelta(days=1), None, S.OVERDUE),
        "X001": (today + datetime.timedelta(days=5), today - datetime.timedelta(days=3), S.ON_TIME),  # early
    }
    ids = {}
    for code, (deadline, held_on, _) in cases.items():
        ob = Obligation.objects.create(plan=plan, org=org(code), level=Level.CELL, deadline=deadline, held_on=held_on)
        ids[code] = ob.pk
    for code, (_, _, expected) in cases.items():
        assert Obligation.objects.get(pk=ids[code]).status(today) == expected, code
    mine = Obligation.objects.filter(plan=plan)
    for status in S:
        expected = {ids[code] for code, case in cases.items() if case[2] == status}
        assert set(mine.with_status(status, today).values_list("pk", flat=True)) == expected, status
    # A day later the not-yet-due one is overdue, in both.
    tomorrow = today + datetime.timedelta(days=1)
    assert Obligation.objects.get(pk=ids["X001-C03"]).status(tomorrow) == S.OVERDUE
    assert mine.with_status(S.OVERDUE, tomorrow).filter(pk=ids["X001-C03"]).exists()


# ---------------------------------------------------------------- the progress tree


def _set_states(plan):
    """X001 not due; its four cells: on time, late, overdue, not due."""
    today = timezone.localdate()
    past = today - datetime.timedelta(days=4)
    Obligation.objects.filter(plan=plan, org=org("X001-C01")).update(deadline=past, held_on=past)
    Obligation.objects.filter(plan=plan, org=org("X001-C02")).update(deadline=past, held_on=today)
    Obligation.objects.filter(plan=plan, org=org("X001-C03")).update(deadline=past, held_on=None)
    return {"X001": S.NOT_DUE, "X001-C01": S.ON_TIME, "X001-C02": S.LATE, "X001-C03": S.OVERDUE, "X001-C04": S.NOT_DUE}


def test_progress_tree_counts_per_subtree(client_as):
    plan = commune_plan()
    states = _set_states(plan)
    response = client_as("xa1.bithu").get(f"/hoc-tap/ke-hoach/{plan.pk}/")
    roots = response.context["roots"]
    assert [r.ob.org.code for r in roots] == [f"{ROOT_CODE}-X001"]
    root = roots[0]
    assert dict(root.counts) == {S.NOT_DUE: 2, S.ON_TIME: 1, S.LATE: 1, S.OVERDUE: 1}
    assert [c.ob.org.code for c in root.children] == [f"{ROOT_CODE}-X001-C0{i}" for i in range(1, 5)]
    for child in root.children:
        assert child.ob.state == states[child.ob.org.code.removeprefix(f"{ROOT_CODE}-")]
        assert dict(child.counts) == {child.ob.state: 1}
    assert [n for _, _, _, n in response.context["totals"]] == [1, 1, 2, 1]  # on time, late, not due, overdue
    html = response.content.decode()
    assert root.ob.head.full_name in html
    assert 'data-status="qua_han"' in html and "text-bg-danger" in html


def test_progress_tree_skips_levels_without_obligations():
    root = org(ROOT_CODE)
    plan = make_plan(root, {Level.PROVINCE: days(3), Level.CELL: days(20)}, publish=True)  # no commune level
    obligations = list(Obligation.objects.filter(plan=plan).select_related("org", "head"))
    roots = progress_forest(obligations, timezone.localdate())
    assert [r.ob.org for r in roots] == [root]
    cells_of_x001 = [n.ob.org.code for n in roots[0].children if n.ob.org.code.startswith(f"{ROOT_CODE}-X001-")]
    assert cells_of_x001 == [o.code for o in Organization.objects.get_children(org("X001")).order_by("path")]
    assert roots[0].total == len(obligations)


def test_htmx_children_of_a_node(client_as):
    root = org(ROOT_CODE)
    plan = make_plan(root, {Level.PROVINCE: days(3), Level.UPPER: days(10), Level.CELL: days(20)}, publish=True)
    _set_states(plan)
    x1 = Obligation.objects.get(plan=plan, org=org("X001"))
    response = client_as("tinh.tuyengiao").get(f"/hoc-tap/ke-hoach/{plan.pk}/tien-do/{x1.pk}/")
    assert response.status_code == 200
    nodes = response.context["nodes"]
    assert [n.ob.org.code for n in nodes] == [f"{ROOT_CODE}-X001-C0{i}" for i in range(1, 5)]
    html = response.content.decode()
    assert "<html" not in html and html.count('class="tree-node"') == 4
    # The province page shows the root and its direct children, each commune with its subtree counts.
    page = client_as("tinh.tuyengiao").get(f"/hoc-tap/ke-hoach/{plan.pk}/")
    commune = next(n for n in page.context["roots"][0].children if n.ob.pk == x1.pk)
    assert dict(commune.counts) == {S.NOT_DUE: 2, S.ON_TIME: 1, S.LATE: 1, S.OVERDUE: 1}
    assert f'hx-get="/hoc-tap/ke-hoach/{plan.pk}/tien-do/{x1.pk}/"' in page.content.decode()


def test_the_tree_shows_only_what_the_viewer_may_see(client_as, users):
    root = org(ROOT_CODE)
    plan = make_plan(root, {Level.PROVINCE: days(3), Level.UPPER: days(10), Level.CELL: days(20)}, publish=True)
    response = client_as("xa2.bithu").get(f"/hoc-tap/ke-hoach/{plan.pk}/")
    assert [r.ob.org.code for r in response.context["roots"]] == [f"{ROOT_CODE}-X002"]
    assert response.context["total"] == 1 + Organization.objects.get_children(org("X002")).count()
    html = response.content.decode()
    assert org("X001").name not in html and org(ROOT_CODE).name not in html.split("Tiến độ")[1]
    x1 = Obligation.objects.get(plan=plan, org=org("X001"))
    assert client_as("xa2.bithu").get(f"/hoc-tap/ke-hoach/{plan.pk}/tien-do/{x1.pk}/").status_code == 404
    # A plain member sees the plan and only their own cell's line.
    cell = users["dangvien1"].member.cell
    response = client_as("dangvien1").get(f"/hoc-tap/ke-hoach/{plan.pk}/")
    assert [r.ob.org for r in response.context["roots"]] == [cell]
    # An obligation of another plan is not a node of this one.
    other = make_plan(org("X002"), {Level.UPPER: days(3)}, publish=True)
    x2_other = Obligation.objects.get(plan=other, org=org("X002"))
    assert client_as("tinh.tuyengiao").get(f"/hoc-tap/ke-hoach/{plan.pk}/tien-do/{x2_other.pk}/").status_code == 404


def test_overdue_only_list(client_as):
    plan = commune_plan()
    _set_states(plan)
    Obligation.objects.filter(plan=plan, org=org("X001")).update(deadline=days(-1))
    response = client_as("xa1.bithu").get(f"/hoc-tap/ke-hoach/{plan.pk}/?trang_thai=qua_han")
    rows = list(response.context["page"])
    assert [ob.org.code for ob in rows] == [f"{ROOT_CODE}-X001-C03", f"{ROOT_CODE}-X001"]  # oldest deadline first
    assert rows[0].org.parent_name == org("X001").name and rows[0].days_late == 4
    assert dict((s, n) for s, _, _, n in response.context["totals"])[S.OVERDUE] == 2
    html = response.content.decode()
    assert "Chỉ hiện đơn vị quá hạn" in html and org("X001-C04").name not in html
    assert "roots" not in response.context


def test_tree_queries_do_not_grow_with_the_number_of_units(client_as, django_assert_max_num_queries):
    small = make_plan(org("X001"), {Level.UPPER: days(3)}, publish=True)
    big = make_plan(
        org(ROOT_CODE),
        {Level.PROVINCE: days(3), Level.UPPER: days(10), Level.GRASSROOTS: days(15), Level.CELL: days(20)},
        publish=True,
    )
    assert big.obligations.count() > 300
    client = client_as("tinh.tuyengiao")
    client.get(f"/hoc-tap/ke-hoach/{small.pk}/")  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small_queries:
        client.get(f"/hoc-tap/ke-hoach/{small.pk}/")
    with django_assert_max_num_queries(len(small_queries)):
        response = client.get(f"/hoc-tap/ke-hoach/{big.pk}/")
    assert response.context["total"] == big.obligations.count()


# ---------------------------------------------------------------- to-do list


def test_todo_lists_the_obligations_of_the_orgs_one_leads(client_as):
    plan = commune_plan()
    held = make_plan(org("X001"), {Level.UPPER: days(-5)}, publish=True, title="Kế hoạch đã xong")
    Obligation.objects.filter(plan=held, org=org("X001")).update(held_on=days(-6))
    response = client_as("xa1.bithu").get("/hoc-tap/viec-can-lam/")
    rows = list(response.context["page"])
    mine = [ob for ob in rows if ob.plan_id in (plan.pk, held.pk)]
    assert {ob.org for ob in rows} == {org("X001")}  # the commune's own duties, not its cells'
    assert [ob.plan_id for ob in mine] == [plan.pk, held.pk]
    open_ob = mine[0]
    assert open_ob.record_url.endswith(f"?obligation={open_ob.pk}") and mine[1].record_url is None
    assert all(ob.held_on is None for ob in rows[: rows.index(mine[1])])  # open ones first
    assert f"?obligation={open_ob.pk}" in response.content.decode()


def test_todo_of_one_org_and_of_a_plain_member(client_as, users):
    plan = commune_plan()
    cell = users["dangvien1"].member.cell
    assert list(client_as("dangvien1").get("/hoc-tap/viec-can-lam/").context["page"]) == []
    response = client_as("dangvien1").get(f"/hoc-tap/viec-can-lam/?org={cell.pk}")
    assert Obligation.objects.get(plan=plan, org=cell) in list(response.context["page"])
    assert client_as("dangvien1").get(f"/hoc-tap/viec-can-lam/?org={org('X001').pk}").status_code == 404


# ---------------------------------------------------------------- the member's page


def test_my_study_for_a_member(client_as, users):
    me = users["dangvien1"].member
    other_cell = org("X001-C03") if me.cell != org("X001-C03") else org("X001-C04")
    document = make_document("777")
    plan = make_plan(
        org("X001"),
        {Level.UPPER: days(5), Level.CELL: days(15)},
        documents=[document],
        publish=True,
        materials="Sổ tay học tập nghị quyết",
        essay_audience=EssayAudience.ALL_MEMBERS,
        essay_deadline=days(25),
    )
    cadres_only = make_plan(
        org("X001"), {Level.UPPER: days(5)}, publish=True, audiences=[Audience.KEY_CADRES], title="Chỉ cán bộ"
    )
    now = timezone.now()

    def conference(title, cell, starts_at, **extra):
        c = Conference.objects.create(plan=plan, host=cell, title=title, starts_at=starts_at, **extra)
        c.covered_orgs.set([cell])
        return c

    mine = conference("Hội nghị chi bộ của tôi", me.cell, now + datetime.timedelta(days=2))
    theirs = conference("Hội nghị chi bộ khác", other_cell, now + datetime.timedelta(days=2))
    past = conference("Hội nghị tháng trước", me.cell, now - datetime.timedelta(days=30), status=ConferenceStatus.HELD)
    Attendance.objects.create(
        conference=past, member=me, status=AttendanceStatus.EXCUSED, reason="Đi công tác", source=AttendanceSource.BOARD
    )

    response = client_as("dangvien1").get("/hoc-tap/cua-toi/")
    assert response.status_code == 200
    upcoming = response.context["conferences"]
    assert mine in upcoming and theirs not in upcoming and past not in upcoming
    assert [a.conference for a in response.context["attendance"] if a.conference == past] == [past]
    plans = {p.pk: p for p in response.context["plans"]}
    assert plan.pk in plans and cadres_only.pk not in plans
    ((doc, digests),) = plans[plan.pk].my_documents
    assert doc == document and [d.audience for d in digests] == [Audience.MEMBERS, Audience.KEY_CADRES]
    assert plans[plan.pk].cell_obligation.org == me.cell
    assert plan.pk in [p.pk for p in response.context["essays"]]
    html = response.content.decode()
    for text in [
        "Hội nghị chi bộ của tôi",
        "Vắng có lý do",
        "Đi công tác",
        "Sổ tay học tập nghị quyết",
        "Tóm tắt cho đảng viên",
        days(25).strftime("%d/%m/%Y"),
    ]:
        assert text in html, text
    assert html.index("Tóm tắt cho đảng viên") < html.index("Tóm tắt cho cán bộ chủ chốt")
    assert "Hội nghị chi bộ khác" not in html


def test_my_study_without_a_member_record(client_as):
    response = client_as("outsider").get("/hoc-tap/cua-toi/")
    assert response.status_code == 200 and "chưa gắn với đảng viên" in response.content.decode()


# ---------------------------------------------------------------- notifications


def test_notifications_list_and_mark_read(client_as, users):
    mine = Notification.objects.create(user=users["xa1.bithu"], text="Quá hạn: chi bộ A", url="/hoc-tap/ke-hoach/")
    theirs = Notification.objects.create(user=users["xa2.bithu"], text="Quá hạn: chi bộ B")
    client = client_as("xa1.bithu")
    response = client.get("/hoc-tap/thong-bao/")
    assert list(response.context["page"]) == [mine] and response.context["unread"] == 1
    assert "chi bộ B" not in response.content.decode()
    assert client.post(f"/hoc-tap/thong-bao/{theirs.pk}/da-doc/").status_code == 404
    response = client.post(f"/hoc-tap/thong-bao/{mine.pk}/da-doc/", {"follow": "1"})
    assert response.status_code == 302 and response["Location"] == "/hoc-tap/ke-hoach/"
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    Notification.objects.create(user=users["xa1.bithu"], text="Thêm một")
    client.post("/hoc-tap/thong-bao/da-doc-het/")
    assert not Notification.objects.filter(user=users["xa1.bithu"], read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_my_study_asks_for_an_essay_only_where_the_essays_pages_take_it(client_as, users):
    """A plan with no deadline for the cells concerns no cell member: no essay is asked of dangvien1."""
    upper_only = make_plan(
        org("X001"),
        {Level.UPPER: days(5)},
        publish=True,
        title="Chỉ cấp xã học",
        essay_audience=EssayAudience.ALL_MEMBERS,
        essay_deadline=days(25),
    )
    response = client_as("dangvien1").get("/hoc-tap/cua-toi/")
    plans = {p.pk: p for p in response.context["plans"]}
    assert plans[upper_only.pk].essay_due is None
    assert upper_only.pk not in [p.pk for p in response.context["essays"]]
    assert not essay_writers(upper_only).filter(pk=users["dangvien1"].member.pk).exists()


def test_my_study_links_the_directive_and_the_quiz(client_as, users):
    from quantriet.quizzes.tests.common import quiz_plan

    quiz = quiz_plan(users["admin"], number="891")
    html = client_as("dangvien1").get("/hoc-tap/cua-toi/").content.decode()
    document = quiz.plan.documents.get()
    assert f'href="/van-ban/{document.pk}/"' in html
    assert f'href="/kiem-tra/ke-hoach/{quiz.plan.pk}/"' in html


def test_the_plan_page_links_its_dashboard_and_report_for_those_who_see_them(client_as):
    plan = make_plan(org(ROOT_CODE), {Level.UPPER: days(5)}, publish=True)
    dashboard, report = f"/chi-so-lam-ky/ke-hoach/{plan.pk}/", f"/chi-so-lam-ky/ke-hoach/{plan.pk}/bao-cao.docx"
    for persona in ["tinh.tuyengiao", "xa1.bithu"]:
        html = client_as(persona).get(plan.get_absolute_url()).content.decode()
        assert f'href="{dashboard}"' in html and f'href="{report}"' in html, persona
        assert client_as(persona).get(dashboard).status_code == 200, persona
    member = client_as("dangvien1").get(plan.get_absolute_url()).content.decode()
    assert dashboard not in member and report not in member
