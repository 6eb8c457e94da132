"""The quiz attempt page's countdown in a real browser: when it reaches zero, the paper is submitted with
what the member has chosen, never saved before (the server takes it within its grace)."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from quantriet.quizzes import services
from quantriet.quizzes.models import Attempt
from quantriet.quizzes.tests.common import quiz_plan, right_answers

from .test_browse import log_in

SECONDS_LEFT = 4


def test_the_countdown_submits_the_chosen_answers_at_zero(page):
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["tinh.tuyengiao", "dangvien1"])}
    member = users["dangvien1"].member
    quiz = quiz_plan(users["tinh.tuyengiao"])
    log_in(page, "dangvien1")
    attempt, _ = services.attempt_start(None, quiz, member)
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() + datetime.timedelta(seconds=SECONDS_LEFT))
    first = attempt.layout[0]["q"]
    chosen = right_answers(attempt)[first]

    page.goto(f"/kiem-tra/lan-lam/{attempt.pk}/")
    for choice in chosen:
        page.locator(f"#c{choice}").check()  # chosen, not saved: only the countdown sends it
    assert not attempt.answers.exists()

    expect(page.locator("#result")).to_be_visible(timeout=(SECONDS_LEFT + 8) * 1000)
    expect(page.get_by_text("bài đã được tự động nộp với các câu trả lời đã chọn")).to_be_visible()
    attempt.refresh_from_db()
    assert not attempt.is_open and not attempt.closed_late
    assert attempt.answers.get(question_id=first).choice_ids == chosen
    assert attempt.correct_count == 1
