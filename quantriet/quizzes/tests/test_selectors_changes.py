"""What changed since a time (quizzes.selectors), as the incremental fidelity rollups read it."""

from django.utils import timezone

from quantriet.quizzes import selectors, services
from quantriet.study.tests.test_conferences_common import member_of

from .common import quiz_plan, take


def test_a_result_after_a_time_names_the_members_cell_and_new_settings_are_seen(users):
    quiz = quiz_plan(users["tinh.tuyengiao"])
    member = member_of(users["dangvien1"])
    before = timezone.now()
    assert not selectors.quiz_changed_since(quiz.plan, before)
    take(quiz, member, perfect=True)
    assert list(selectors.quiz_results_changed_since(quiz.plan, before)) == [member.cell_id]
    assert list(selectors.quiz_results_changed_since(quiz.plan, timezone.now())) == []
    services.quiz_save(users["tinh.tuyengiao"], quiz.plan, time_limit_minutes=20)
    assert selectors.quiz_changed_since(quiz.plan, before)
