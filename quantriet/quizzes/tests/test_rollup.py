"""The QuizResult rollup: kept by every path that closes an attempt, equal to a recomputation from the raw
attempts, rebuilt on demand and by the migration, and read by the results pages with bounded queries."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Exists, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from quantriet.core.models import AuditEntry
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Gender, Member, MemberStatus, Organization, OrgKind
from quantriet.quizzes import results, services
from quantriet.quizzes.demo import seed_quiz
from quantriet.quizzes.models import GRACE, Attempt, Question, QuizResult
from quantriet.study.demo import PLAN_SYMBOL
from quantriet.study.models import Level, Obligation

from .common import right_answers, take

# ---------------------------------------------------------------- recomputation from the raw attempts


def from_attempts(quiz):
    """{member id: (attempts, best score, passed, last submitted)} straight from the closed attempts."""
    out = {}
    for a in Attempt.objects.filter(quiz=quiz, submitted_at__isnull=False):
        n, best, passed, last = out.get(a.member_id, (0, None, False, None))
        out[a.member_id] = (
            n + 1,
            a.score if best is None else max(best, a.score),
            passed or bool(a.passed),
            a.submitted_at if last is None else max(last, a.submitted_at),
        )
    return out


def from_rollup(quiz):
    return {
        r.member_id: (r.attempts, r.best_score, r.passed, r.last_submitted_at)
        for r in QuizResult.objects.filter(quiz=quiz)
    }


# The results functions as they were before the rollup (subqueries over the attempts): the page must not change.


def old_member_results(quiz, org):
    done = Attempt.objects.filter(quiz=quiz, member=OuterRef("pk"), submitted_at__isnull=False)
    tries = done.order_by().values("member").annotate(n=Count("pk")).values("n")
    best = done.order_by().values("member").annotate(best=Max("score")).values("best")
    return (
        services.quiz_takers(quiz.plan)
        .filter(cell__path__startswith=org.path)
        .annotate(
            best_score=Subquery(best),
            attempt_count=Coalesce(Subquery(tries, output_field=IntegerField()), 0),
            has_passed=Exists(done.filter(passed=True)),
        )
        .order_by("cell__path", "name_key", "id")
    )


def old_org_summary(quiz, org):
    totals = old_member_results(quiz, org).aggregate(
        takers=Count("pk"),
        took=Count("pk", filter=Q(attempt_count__gt=0)),
        mean=Avg("best_score"),
        passed=Count("pk", filter=Q(has_passed=True)),
    )
    totals["pass_rate"] = round(100 * totals["passed"] / totals["takers"], 1) if totals["takers"] else None
    totals["org"] = org
    return totals


def old_child_summaries(quiz, org, visible):
    rows = [old_org_summary(quiz, child) for child in org.visible_children(visible)]
    return [row for row in rows if row["takers"]]


def member_rows(rows):
    return [(m.pk, m.best_score, m.attempt_count, bool(m.has_passed)) for m in rows]


def summary_row(row):
    mean = None if row["mean"] is None else round(float(row["mean"]), 6)
    return (row["org"].pk, row["takers"], row["took"], row["passed"], row["pass_rate"], mean)


# ---------------------------------------------------------------- a mixed sequence of attempts


def late(attempt):
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - GRACE - datetime.timedelta(seconds=5))
    attempt.refresh_from_db()
    return attempt


@pytest.fixture
def mixed(quiz, users):
    """Attempts of every kind on QUIZ: failed, passed, closed late in two ways, still open, three tries."""
    quiz.attempts_allowed = 3
    quiz.save()
    commune1, commune2 = (users[u].grants.get().org for u in ("xa1.bithu", "xa2.bithu"))
    takers = services.quiz_takers(quiz.plan).filter(user__isnull=True).order_by("id")
    a, b, c, d = takers.filter(cell__path__startswith=commune1.path)[:4]
    e, f = takers.filter(cell__path__startswith=commune2.path)[:2]
    me, xa2 = users["dangvien1"].member, users["xa2.bithu"].member

    take(quiz, me, perfect=False)
    take(quiz, me, perfect=True)
    take(quiz, xa2, perfect=False)
    for perfect in (True, True, False):
        take(quiz, a, perfect)
    # b: one answer saved, then the time ran out; closed when next looked at (open_attempt).
    attempt, _ = services.attempt_start(None, quiz, b)
    first = attempt.question_ids()[0]
    services.attempt_save(None, attempt, {first: right_answers(attempt)[first]})
    late(attempt)
    assert services.open_attempt(quiz, b) is None
    # c: submitted after the deadline: refused, closed with nothing saved.
    attempt, _ = services.attempt_start(None, quiz, c)
    with pytest.raises(ValidationError):
        services.attempt_submit(None, late(attempt), right_answers(attempt))
    # d: still answering.
    services.attempt_start(None, quiz, d)
    # e: failed, then closed late on the second try, then passed.
    take(quiz, e, perfect=False)
    attempt, _ = services.attempt_start(None, quiz, e)
    services.attempt_close(None, late(attempt))
    take(quiz, e, perfect=True)
    # f: closed late through the attempt page's path (attempt_close after the deadline).
    attempt, _ = services.attempt_start(None, quiz, f)
    services.attempt_close(None, late(attempt))
    return {"me": me, "xa2": xa2, "a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "c1": commune1, "c2": commune2}


def test_the_rollup_equals_a_recomputation_from_the_attempts(quiz, mixed):
    rollup = from_rollup(quiz)
    assert rollup == from_attempts(quiz)
    m = mixed
    assert set(rollup) == {m[k].pk for k in ("me", "xa2", "a", "b", "c", "e", "f")}  # d has no closed attempt
    assert rollup[m["me"].pk][:3] == (2, 100, True)
    assert rollup[m["a"].pk][:3] == (3, 100, True)
    assert rollup[m["b"].pk][:3] == (1, 20, False) and rollup[m["c"].pk][:3] == (1, 0, False)
    assert rollup[m["e"].pk][:3] == (3, 100, True) and rollup[m["f"].pk][:3] == (1, 0, False)
    late_one = Attempt.objects.get(quiz=quiz, member=m["f"])
    assert late_one.closed_late and rollup[m["f"].pk][3] == late_one.deadline_at


def test_the_pages_figures_are_unchanged(quiz, mixed):
    visible = Organization.objects.all()
    for org in (quiz.plan.issuer, mixed["c1"], mixed["c2"]):
        assert member_rows(results.member_results(quiz, org)) == member_rows(old_member_results(quiz, org))
        assert summary_row(results.org_summary(quiz, org)) == summary_row(old_org_summary(quiz, org))
        new = [summary_row(r) for r in results.child_summaries(quiz, org, visible)]
        assert new == [summary_row(r) for r in old_child_summaries(quiz, org, visible)]
    children = {r["org"].pk: r for r in results.child_summaries(quiz, quiz.plan.issuer, visible)}
    assert children[mixed["c1"].pk]["took"] == 4 and children[mixed["c2"].pk]["took"] == 3


def test_rebuild_results_recomputes_a_whole_quiz(quiz, mixed, users):
    expected = from_attempts(quiz)
    QuizResult.objects.filter(quiz=quiz).delete()
    QuizResult.objects.create(quiz=quiz, member=mixed["d"], attempts=9, best_score=99, passed=True)  # stale
    assert services.rebuild_results(quiz, users["admin"]) == len(expected)
    assert from_rollup(quiz) == expected
    entry = AuditEntry.objects.get(action="quiz.results_rebuild", object_id=str(quiz.pk))
    assert entry.before == {"results": 1} and entry.after == {"results": len(expected)}


def test_the_migration_back_fills_results_and_used_questions(quiz, mixed):
    expected = from_attempts(quiz)
    drawn = {item["q"] for layout in Attempt.objects.values_list("layout", flat=True) for item in layout}
    QuizResult.objects.all().delete()
    Question.objects.update(used=False)
    migration = importlib.import_module("quantriet.quizzes.migrations.0003_backfill_used_and_results")
    migration.forwards(django_apps, None)
    assert from_rollup(quiz) == expected
    assert set(Question.objects.filter(used=True).values_list("pk", flat=True)) == drawn


def test_the_demo_seeder_writes_the_rollup(db):
    summary = seed_quiz()
    assert summary["created"] and summary["attempts"] > 0
    quiz = Attempt.objects.filter(quiz__plan__symbol=PLAN_SYMBOL).first().quiz
    assert from_rollup(quiz) == from_attempts(quiz)
    assert len(from_rollup(quiz)) == summary["takers"]
    drawn = {item["q"] for layout in quiz.attempts.values_list("layout", flat=True) for item in layout}
    assert drawn and set(quiz.bank().filter(used=True).values_list("pk", flat=True)) == drawn


# ---------------------------------------------------------------- bounded queries


def add_commune(root, plan, number):
    """A new commune under ROOT with one cell (obliged under PLAN) and one member who took the quiz."""
    commune = Organization.objects.add_child(
        root, {"code": f"{ROOT_CODE}-QZ{number}", "name": f"Đảng ủy xã Thử {number}", "kind": OrgKind.DANG_UY_XA}
    )
    cell = Organization.objects.add_child(
        commune, {"code": f"{ROOT_CODE}-QZ{number}-C", "name": f"Chi bộ ấp Thử {number}", "kind": OrgKind.CHI_BO}
    )
    Obligation.objects.create(plan=plan, org=cell, level=Level.CELL, deadline=timezone.localdate())
    return Member.objects.create(
        full_name=f"Nguyễn Văn Thử {number}",
        card_number=f"9{number:07d}",
        date_of_birth=datetime.date(1980, 1, 1),
        gender=Gender.MALE,
        joined_on=datetime.date(2005, 1, 1),
        official_on=datetime.date(2006, 1, 1),
        status=MemberStatus.FULL,
        cell=cell,
    )


def test_child_summaries_take_two_queries_whatever_the_number_of_children(quiz, mixed, django_assert_max_num_queries):
    visible = Organization.objects.all()
    root = Organization.objects.get(pk=quiz.plan.issuer_id)
    with django_assert_max_num_queries(2):
        before = results.child_summaries(quiz, root, visible)
    with django_assert_max_num_queries(2):
        results.child_summaries(quiz, mixed["c1"], visible)
    for number in range(12):
        take(quiz, add_commune(Organization.objects.get(pk=root.pk), quiz.plan, number), perfect=number % 2 == 0)
    root = Organization.objects.get(pk=root.pk)
    with django_assert_max_num_queries(2):
        after = results.child_summaries(quiz, root, visible)
    assert len(after) == len(before) + 12 >= 14
    added = [row for row in after if row["org"].code.startswith(f"{ROOT_CODE}-QZ")]
    assert [(r["takers"], r["took"], r["passed"]) for r in added] == [(1, 1, n % 2 == 0) for n in range(12)]
    assert [summary_row(r) for r in after] == [summary_row(r) for r in old_child_summaries(quiz, root, visible)]
