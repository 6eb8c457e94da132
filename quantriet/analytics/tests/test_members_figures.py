"""Essays, grades, verdicts and quiz results reach the rows: by the refresh, and by the after-commit hooks."""

import datetime
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from quantriet.analytics.changes import refresh_changed
from quantriet.analytics.models import FidelityScore
from quantriet.analytics.rollup import refresh
from quantriet.essays import services as essays
from quantriet.org.models import Grant, Role
from quantriet.quizzes.models import Quiz, QuizResult
from quantriet.study.models import EssayAudience

from .common import build_tree, days_ago

pytestmark = pytest.mark.django_db

ESSAY = (
    "Sau khi học tập chỉ thị, tôi nhận thức rõ trách nhiệm nêu gương của người đảng viên ở ấp Bình Lợi. "
    "Bản thân tôi đăng ký vận động 10 hộ dân tham gia làm lại tuyến đường liên ấp dài 2 cây số, "
    "kèm cặp một đảng viên trẻ tự học trên ứng dụng, và báo cáo kết quả với chi bộ vào buổi sinh hoạt "
    "tháng 12/2026. Tôi cũng cam kết không để con em trong tổ bỏ học sớm, phối hợp với đoàn thanh niên."
)


def row(tree, org):
    return FidelityScore.objects.get(plan=tree.plan, org=org)


@pytest.fixture
def tree():
    tree = build_tree(essays=EssayAudience.ALL_MEMBERS)  # essays due in five days
    refresh(tree.plan)
    return tree


def test_a_submitted_and_graded_essay_reaches_the_rows_on_the_next_incremental_run(tree, users):
    writer = tree.members["b"][1]
    essay = essays.essay_submit(None, tree.plan, writer, ESSAY)
    refresh_changed(tree.plan)
    b = row(tree, tree.b)
    assert (b.writers, b.submitted, b.checked, b.independent) == (4, 1, 1, 1)
    assert b.components["original"] == 1.0
    assert b.components["essays"] is None  # the essay deadline has not passed yet
    assert row(tree, tree.t).submitted == 1

    grader = users["admin"]
    Grant.objects.create(user=grader, org=tree.t, role=Role.ADMIN)
    rubric = essays.rubric_ensure(grader, tree.plan)
    points = {c.pk: c.max_points / 2 for c in rubric.criteria.all()}
    essays.essay_grade(grader, essay, points)
    refresh_changed(tree.plan)
    b = row(tree, tree.b)
    assert b.graded == 1 and b.components["grade"] == pytest.approx(0.5)
    assert row(tree, tree.c).components["grade"] == pytest.approx(0.5)


def test_the_submission_rate_counts_once_the_essay_deadline_has_passed(tree):
    essays.essay_submit(None, tree.plan, tree.members["a"][0], ESSAY)
    tree.plan.essay_deadline = days_ago(1)
    tree.plan.save(update_fields=["essay_deadline"])
    refresh(tree.plan)
    assert row(tree, tree.a).components["essays"] == 0.25
    assert row(tree, tree.c).components["essays"] == 0.125


def test_quiz_results_give_the_mean_and_the_pass_rate_among_those_who_took_it(tree):
    tree.plan.quiz_required = True
    tree.plan.save(update_fields=["quiz_required"])
    quiz = Quiz.objects.create(plan=tree.plan)
    at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    for member, score, passed in ((tree.members["a"][0], "90", True), (tree.members["a"][1], "50", False)):
        QuizResult.objects.create(
            quiz=quiz, member=member, attempts=1, best_score=Decimal(score), passed=passed, last_submitted_at=at
        )
    refresh(tree.plan)
    a = row(tree, tree.a)
    assert (a.takers, a.took, a.passed) == (4, 2, 1)
    assert a.components["quiz_mean"] == pytest.approx(0.7)
    assert a.components["quiz_pass"] == 0.5
    assert row(tree, tree.b).components["quiz_mean"] is None


def test_a_new_quiz_result_is_picked_up_and_new_quiz_settings_recompute_everything(tree):
    tree.plan.quiz_required = True
    tree.plan.save(update_fields=["quiz_required"])
    quiz = Quiz.objects.create(plan=tree.plan)
    assert refresh_changed(tree.plan) == 4  # quiz settings changed since the last run: the whole plan
    assert row(tree, tree.a).takers == 4
    QuizResult.objects.create(quiz=quiz, member=tree.members["a"][3], attempts=1, best_score=Decimal("80"), passed=True)
    Quiz.objects.filter(pk=quiz.pk).update(updated_at=timezone.now() - timedelta(days=2))
    assert refresh_changed(tree.plan) >= 1
    assert (row(tree, tree.a).took, row(tree, tree.t).passed) == (1, 1)
