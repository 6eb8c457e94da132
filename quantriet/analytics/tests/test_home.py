"""The landing page by role and the member's study record (analytics.home).

A secretary lands on their work, provincial staff on the plans' fidelity summary, a member on
what they must do next; the member page shows the study record to the member and to those
with the right to study results in the member's subtree.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quantriet.analytics.rollup import refresh
from quantriet.essays import services as essays
from quantriet.essays.tests.common import ESSAY, essay_plan
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Grant, Organization, Role
from quantriet.quizzes.tests.common import quiz_plan, take
from quantriet.study import services as study
from quantriet.study.models import AttendanceStatus, Obligation
from quantriet.study.tests.test_conferences_common import make_conference, make_plan, org
from quantriet.study.tests.test_plans_common import close_other_plans

pytestmark = pytest.mark.django_db


def points(total):
    """A grade as the pages show it (decimal comma)."""
    return str(total).replace(".", ",")


def home(client_as, persona):
    response = client_as(persona).get("/")
    assert response.status_code == 200
    return response.content.decode()


def cell_of(commune, exclude=None):
    cells = Organization.objects.filter(path__startswith=org(commune).path).cells().order_by("path")
    return cells.exclude(pk=getattr(exclude, "pk", None)).first()


@pytest.fixture
def overdue(users):
    """A provincial plan where one cell of each commune is overdue, with today's conference in each commune."""
    plan = make_plan(users["admin"], number="881")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    mine, theirs = cell_of("X001"), cell_of("X002")
    Obligation.objects.filter(plan=plan, org__in=[mine, theirs]).update(deadline=yesterday)
    soon = timezone.now() + datetime.timedelta(minutes=5)
    if timezone.localtime(soon).date() != timezone.localdate():  # just before midnight: keep it today
        soon = timezone.now()
    today1 = make_conference(plan, cell_of("X001", exclude=mine), starts_at=soon, title="Hội nghị hôm nay của xã 1")
    today2 = make_conference(plan, cell_of("X002", exclude=theirs), starts_at=soon, title="Hội nghị hôm nay của xã 2")
    refresh(plan)
    return {"plan": plan, "mine": mine, "theirs": theirs, "today1": today1, "today2": today2}


def section(html, name):
    start = html.index(f'id="{name}"')
    return html[start : html.index("</section>", start)]


def test_a_secretary_lands_on_the_work_of_their_subtree(overdue, users, client_as):
    plan = essay_plan(users["admin"], number="882")
    essays.essay_submit(users["dangvien1"], plan, users["dangvien1"].member, ESSAY)
    html = home(client_as, "xa1.bithu")
    assert "<h1" in html and "Việc cần làm</h1>" in html
    work = section(html, "home-work")
    mine = Obligation.objects.get(plan=overdue["plan"], org=overdue["mine"]).pk
    theirs = Obligation.objects.get(plan=overdue["plan"], org=overdue["theirs"]).pk
    assert f'data-obligation="{mine}"' in work and "Quá hạn từ" in work
    assert f'data-obligation="{theirs}"' not in work
    assert f"?obligation={mine}" in work
    assert "Hội nghị hôm nay của xã 1" in work and "Hội nghị hôm nay của xã 2" not in work
    board = reverse("essays:board", args=[plan.pk]) + f"?org={org('X001').pk}&amp;loc=chua_cham"
    assert board in work and "1 bài" in work
    # then the plans' summary, naming the overdue cell among the units to watch
    plans = section(html, "home-plans")
    assert html.index('id="home-work"') < html.index('id="home-plans"')
    card = plans[plans.index(f'data-plan="{overdue["plan"].pk}"') :]
    flagged = card[card.index(f'data-org="{overdue["mine"].pk}"') :]
    assert "Quá hạn chưa tổ chức" in flagged[: flagged.index("</li>")]
    assert f'data-org="{overdue["theirs"].pk}"' not in plans
    assert reverse("analytics:dashboard", args=[overdue["plan"].pk]) + f"?org={org('X001').pk}" in card
    # the tree stays one click away
    assert reverse("org:tree") in html


def test_provincial_staff_land_on_the_plans_summary(overdue, client_as):
    close_other_plans(overdue["plan"])  # the demo plan's overdue units would come first
    html = home(client_as, "tinh.tuyengiao")
    assert "Tổng quan các kế hoạch học tập, quán triệt</h1>" in html
    assert html.index('id="home-plans"') < html.index('id="home-work"')
    root = Organization.objects.get(code=ROOT_CODE)
    plans = section(html, "home-plans")
    assert reverse("analytics:dashboard", args=[overdue["plan"].pk]) + f"?org={root.pk}" in plans
    assert reverse("analytics:report", args=[overdue["plan"].pk]) + f"?org={root.pk}" in plans
    work = section(html, "home-work")
    assert "Hội nghị hôm nay của xã 1" in work and "Hội nghị hôm nay của xã 2" in work
    # units of different communes are named with their commune
    theirs = Obligation.objects.get(plan=overdue["plan"], org=overdue["theirs"]).pk
    row = work[work.index(f'data-obligation="{theirs}"') :]
    assert f"{overdue['theirs'].name} — {org('X002').name}" in row[: row.index("</li>")]


def test_the_admin_sees_the_province_from_the_rollups_not_raw_attendance(overdue, client_as):
    client = client_as("admin")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    assert "Tổng quan các kế hoạch học tập, quán triệt</h1>" in html and 'id="home-mine"' not in html
    assert not [q["sql"] for q in queries if "study_attendance" in q["sql"]]
    assert any("analytics_fidelityscore" in q["sql"] for q in queries)


def test_a_member_lands_on_what_they_must_do_next(users, client_as):
    me = users["dangvien1"].member
    graded = essay_plan(users["admin"], number="883")
    essay = essays.essay_submit(users["dangvien1"], graded, me, ESSAY)
    criteria = list(essays.rubric_ensure(users["admin"], graded).criteria.all())
    essays.essay_grade(users["xa1.bithu"], essay, {c.pk: 1 for c in criteria})
    due = essay_plan(users["admin"], number="884", deadline_in=3)
    quiz = quiz_plan(users["admin"], number="885")
    passed = quiz_plan(users["admin"], number="886")
    take(passed, me, perfect=True)
    next_one = make_conference(
        quiz.plan, me.cell, starts_at=timezone.now() + datetime.timedelta(days=2), title="Hội nghị sắp tới của tôi"
    )

    html = home(client_as, "dangvien1")
    assert "Việc học tập của tôi</h1>" in html and 'id="home-work"' not in html and 'id="home-plans"' not in html
    mine = section(html, "home-mine")
    assert "Hội nghị sắp tới của tôi" in mine and next_one.get_absolute_url() in mine
    todo = mine[mine.index('id="home-due"') : mine.index('id="home-results"')]
    assert reverse("essays:write", args=[due.pk]) in todo and reverse("essays:write", args=[graded.pk]) not in todo
    assert reverse("quizzes:take", args=[quiz.plan.pk]) in todo
    assert reverse("quizzes:take", args=[passed.plan.pk]) not in todo  # passed: nothing left to do
    results = mine[mine.index('id="home-results"') :]
    assert f"{points(essay.grade.total)} điểm, {essay.grade.band}" in results and "Đạt" in results
    assert reverse("org:member", args=[me.pk]) in results


def test_someone_linked_to_nothing_is_told_so(client_as):
    assert "chưa gắn với đảng viên hay tổ chức nào" in home(client_as, "outsider")


# ---------------------------------------------------------------- the member's record


@pytest.fixture
def record(users):
    """dangvien1 attended one plan's conference, was excused at another's, wrote a graded essay, took a quiz."""
    me = users["dangvien1"].member
    attended = make_plan(users["admin"], number="887")
    excused = make_plan(users["admin"], number="888")
    for plan, status, reason in [
        (attended, AttendanceStatus.PRESENT, ""),
        (excused, AttendanceStatus.EXCUSED, "Ốm, có giấy của trạm y tế"),
    ]:
        conference = make_conference(plan, me.cell, title=f"Hội nghị chi bộ — {plan.symbol}")
        study.attendance_mark(users["admin"], conference, me, status, reason)
        study.conference_mark_held(users["admin"], conference)
    plan = essay_plan(users["admin"], number="889")
    essay = essays.essay_submit(users["dangvien1"], plan, me, ESSAY)
    criteria = list(essays.rubric_ensure(users["admin"], plan).criteria.all())
    essays.essay_grade(users["xa1.bithu"], essay, {c.pk: 2 for c in criteria})
    quiz = quiz_plan(users["admin"], number="890")
    take(quiz, me, perfect=False)
    return {"member": me, "attended": attended, "excused": excused, "essay": essay, "quiz": quiz}


def test_the_member_record_shows_conferences_essays_and_quizzes(record, client_as):
    essay = record["essay"]
    essay.refresh_from_db()
    for persona in ["dangvien1", "xa1.bithu", "tinh.tuyengiao"]:
        response = client_as(persona).get(reverse("analytics:member_record", args=[record["member"].pk]))
        assert response.status_code == 200, persona
        html = response.content.decode()
        conferences = html[html.index('id="record-conferences"') : html.index('id="record-essays"')]
        row = conferences[conferences.index(record["attended"].title) :]
        assert "Có mặt" in row[: row.index("</tr>")]
        row = conferences[conferences.index(record["excused"].title) :]
        assert "Vắng có lý do" in row[: row.index("</tr>")] and "Ốm, có giấy của trạm y tế" in row
        essays_part = html[html.index('id="record-essays"') : html.index('id="record-quizzes"')]
        assert f"{points(essay.grade.total)} — {essay.grade.band}" in essays_part
        assert essay.verdict.get_label_display() in essays_part
        quizzes = html[html.index('id="record-quizzes"') :]
        assert record["quiz"].plan.title in quizzes and "Chưa đạt" in quizzes


def test_the_member_page_loads_the_record_only_for_those_allowed(record, users, client_as, outsider):
    me = record["member"]
    url = reverse("analytics:member_record", args=[me.pk])
    for persona in ["dangvien1", "xa1.bithu"]:
        assert f'hx-get="{url}"' in client_as(persona).get(reverse("org:member", args=[me.pk])).content.decode()
    # Inspection staff of the commune see the member but not their study results.
    Grant.objects.create(user=outsider, org=org("X001"), role=Role.INSPECTION)
    client = client_as("outsider")
    page = client.get(reverse("org:member", args=[me.pk]))
    assert page.status_code == 200 and f'hx-get="{url}"' not in page.content.decode()
    assert client.get(url).status_code == 403
    assert client_as("xa2.bithu").get(url).status_code == 404
