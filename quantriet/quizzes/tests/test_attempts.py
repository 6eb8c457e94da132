"""Taking a quiz: audience, drawing and shuffling, scoring, the server-side time limit, attempts allowed."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from quantriet.core.models import AuditEntry
from quantriet.quizzes import services
from quantriet.quizzes.models import GRACE, Attempt, QuestionKind

from .common import quiz_plan, right_answers


def me(users, name="dangvien1"):
    return users[name].member


def test_draw_is_a_seeded_sample_with_shuffled_choices():
    bank = {q: [q * 10 + i for i in range(4)] for q in range(1, 13)}
    first = services.draw(bank, 5, True, seed=1)
    assert first == services.draw(bank, 5, True, seed=1)  # reproducible from the stored seed
    assert len(first) == 5 and len({item["q"] for item in first}) == 5
    assert all(sorted(item["c"]) == bank[item["q"]] for item in first)
    papers = {str(services.draw(bank, 5, True, seed=s)) for s in range(20)}
    assert len(papers) == 20
    plain = services.draw(bank, 12, False, seed=3)
    assert [i["q"] for i in plain] == sorted(bank) and all(i["c"] == bank[i["q"]] for i in plain)


def test_different_attempts_get_different_papers(quiz, users):
    quiz.attempts_allowed = 3
    quiz.save()
    layouts = []
    for _ in range(3):
        attempt, created = services.attempt_start(users["dangvien1"], quiz, me(users))
        assert created and len(attempt.layout) == 5
        layouts.append(attempt.layout)
        services.attempt_submit(users["dangvien1"], attempt, {})
    assert len({str(layout) for layout in layouts}) > 1
    assert Attempt.objects.filter(member=me(users)).count() == 3


def test_starting_again_resumes_the_open_attempt(quiz, users):
    first, created = services.attempt_start(None, quiz, me(users))
    again, created_again = services.attempt_start(None, quiz, me(users))
    assert created and not created_again and again.pk == first.pk


def test_attempts_allowed_is_enforced(quiz, users):
    for _ in range(2):
        attempt, _ = services.attempt_start(None, quiz, me(users))
        services.attempt_submit(None, attempt, {})
    with pytest.raises(ValidationError) as error:
        services.attempt_start(None, quiz, me(users))
    assert error.value.code == "used_up" and "2 lần" in error.value.message


def test_audience_is_the_plan_cascade_members(quiz, users):
    assert services.must_take(quiz.plan, me(users)) and services.must_take(quiz.plan, me(users, "xa2.bithu"))
    with pytest.raises(ValidationError) as error:
        services.attempt_start(None, quiz, None)  # admin has no member record
    assert error.value.code == "not_member"
    quiz.plan.quiz_required = False
    quiz.plan.save()
    with pytest.raises(ValidationError) as error:
        services.attempt_start(None, quiz, me(users))
    assert error.value.code == "audience"


def test_scoring_single_and_all_or_nothing_multiple(users):
    small = quiz_plan(users["admin"], count=6, per_attempt=6, pass_mark=50)
    attempt, _ = services.attempt_start(None, small, me(users))
    right = right_answers(attempt)
    kinds = dict(small.bank().values_list("pk", "kind"))
    multi = [q for q in right if kinds[q] == QuestionKind.MULTIPLE]
    single = [q for q in right if kinds[q] == QuestionKind.SINGLE]
    assert len(multi) == 2 and len(single) == 4
    answers = {q: right[q] for q in single[:3]}  # three singles right, one left blank
    answers[multi[0]] = right[multi[0]]  # a multiple fully right
    answers[multi[1]] = right[multi[1]][:1]  # a multiple half right: counts as wrong
    attempt = services.attempt_submit(users["dangvien1"], attempt, answers)
    assert attempt.correct_count == 4 and attempt.score == Decimal("66.67") and attempt.passed
    assert AuditEntry.objects.filter(action="quiz.attempt_submit", object_id=str(attempt.pk)).exists()


def test_wrong_extra_choice_on_multiple_is_wrong_and_malformed_answers_are_refused(users):
    small = quiz_plan(users["admin"], count=3, per_attempt=3, pass_mark=100)
    attempt, _ = services.attempt_start(None, small, me(users))
    kinds = dict(small.bank().values_list("pk", "kind"))
    single = next(q for q in attempt.question_ids() if kinds[q] == QuestionKind.SINGLE)
    item = next(i for i in attempt.layout if i["q"] == single)
    for bad in ({single: item["c"][:2]}, {"999999": [1]}, {single: [item["c"][0] + 10_000]}, {single: "A"}, []):
        with pytest.raises(ValidationError) as error:
            services.attempt_submit(None, attempt, bad)
        assert error.value.code == "invalid"
    multi = next(q for q in attempt.question_ids() if kinds[q] == QuestionKind.MULTIPLE)
    every = next(i["c"] for i in attempt.layout if i["q"] == multi)
    attempt = services.attempt_submit(None, attempt, {str(multi): every})
    assert attempt.correct_count == 0 and not attempt.passed


def test_answers_after_the_deadline_are_refused_and_saved_ones_scored(quiz, users):
    attempt, _ = services.attempt_start(None, quiz, me(users))
    right = right_answers(attempt)
    first, *rest = attempt.question_ids()
    services.attempt_save(None, attempt, {first: right[first]})
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - GRACE - datetime.timedelta(seconds=1))
    with pytest.raises(ValidationError) as error:
        services.attempt_submit(None, attempt, right)
    assert error.value.code == "deadline"
    attempt.refresh_from_db()
    assert attempt.closed_late and attempt.correct_count == 1 and attempt.score == 20
    assert attempt.answers.count() == 1  # the late answers were not stored


def test_within_the_grace_the_answers_are_taken(quiz, users):
    attempt, _ = services.attempt_start(None, quiz, me(users))
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - GRACE / 2)
    attempt = services.attempt_submit(None, attempt, right_answers(attempt))
    assert attempt.score == 100 and not attempt.closed_late


def test_submitted_attempt_cannot_be_changed(quiz, users):
    attempt, _ = services.attempt_start(None, quiz, me(users))
    services.attempt_submit(None, attempt, {})
    with pytest.raises(ValidationError) as error:
        services.attempt_submit(None, attempt, right_answers(attempt))
    assert error.value.code == "submitted"


def test_page_never_shows_correctness_before_submission(quiz, users, client_as):
    client = client_as("dangvien1")
    response = client.post(reverse("quizzes:start", args=[quiz.plan_id]))
    attempt = Attempt.objects.get(member=me(users))
    assert response["Location"] == reverse("quizzes:attempt", args=[attempt.pk])
    page = client.get(response["Location"]).content.decode()
    assert "đáp án đúng" not in page and "Giải thích câu" not in page and "text-success" not in page
    for item in attempt.layout:  # choices in the shuffled order, as stored
        positions = [page.index(f'id="c{c}"') for c in item["c"]]
        assert positions == sorted(positions)
    right = right_answers(attempt)
    data = {f"q{q}": [str(c) for c in cs] for q, cs in right.items()}
    client.post(reverse("quizzes:attempt", args=[attempt.pk]), data | {"action": "submit"})
    result = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert "100" in result and "Đạt" in result and "Giải thích câu" in result


def test_page_after_deadline_closes_the_attempt(quiz, users, client_as):
    attempt, _ = services.attempt_start(None, quiz, me(users))
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - datetime.timedelta(minutes=5))
    client = client_as("dangvien1")
    response = client.post(reverse("quizzes:attempt", args=[attempt.pk]), {"action": "submit"})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert not attempt.is_open and attempt.closed_late and attempt.score == 0
