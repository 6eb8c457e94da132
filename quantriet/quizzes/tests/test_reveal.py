"""When a member sees the correct answers and explanations: after each attempt, after the last (or a pass), never.

Until they are revealed, neither the attempt page nor the API shows correct flags, right/wrong marks
or explanations of a submitted attempt — only the score.
"""

import pytest
from django.urls import reverse
from django.utils.formats import localize

from quantriet.core.models import AuditEntry
from quantriet.quizzes import services
from quantriet.quizzes.models import Quiz, RevealPolicy

from .common import quiz_plan, right_answers, take


def me(users):
    return users["dangvien1"].member


@pytest.fixture
def see(client_as, api):
    """see(attempt) → (page HTML, API JSON, API text) as its member sees them."""
    page_client, api_client = client_as("dangvien1"), api("dangvien1")

    def look(attempt):
        page = page_client.get(reverse("quizzes:attempt", args=[attempt.pk]))
        response = api_client.get(f"/api/v1/quiz-attempts/{attempt.pk}")
        assert page.status_code == 200 and response.status_code == 200
        return page.content.decode(), response.json(), response.content.decode()

    return look


def assert_hidden(seen, attempt):
    page, body, text = seen
    assert f"{localize(attempt.score)}%" in page and body["score"] == f"{attempt.score:.2f}"
    assert "Giải thích câu" not in page and "(đáp án đúng)" not in page and "text-success" not in page
    assert ">Sai</span>" not in page and ">Đúng</span>" not in page
    assert 'id="not-revealed"' in page
    assert body["review"] is None
    assert "Giải thích câu" not in text and "correct_choices" not in text and '"right"' not in text


def assert_revealed(seen, attempt):
    page, body, _ = seen
    assert f"{localize(attempt.score)}%" in page and "Giải thích câu" in page and "(đáp án đúng)" in page
    assert 'id="not-revealed"' not in page
    right = right_answers(attempt)
    review = {row["question_id"]: row for row in body["review"]}
    assert list(review) == attempt.question_ids()
    assert all(review[q]["correct_choices"] == [c for c in item["c"] if c in right[q]] for q, item in _items(attempt))
    assert all(row["explanation"].startswith("Giải thích câu") for row in review.values())
    assert sum(row["right"] for row in review.values()) == attempt.correct_count


def _items(attempt):
    return [(item["q"], item) for item in attempt.layout]


def test_the_default_is_after_the_last_attempt(quiz):
    assert Quiz._meta.get_field("reveal").default == RevealPolicy.LAST and quiz.reveal == RevealPolicy.LAST


def test_after_each_attempt(users, see):
    quiz = quiz_plan(users["tinh.tuyengiao"], reveal=RevealPolicy.EACH)
    first = take(quiz, me(users), perfect=False)
    assert_revealed(see(first), first)


def test_after_the_last_attempt(quiz, users, see):
    first = take(quiz, me(users), perfect=False)
    assert not first.passed
    assert_hidden(see(first), first)
    second = take(quiz, me(users), perfect=False)
    assert_revealed(see(second), second)
    assert_revealed(see(first), first)


def test_after_a_pass_but_not_while_another_attempt_is_open(quiz, users, see):
    first = take(quiz, me(users), perfect=True)
    assert first.passed
    assert_revealed(see(first), first)
    second, _ = services.attempt_start(None, quiz, me(users))  # a second try, for a better score
    assert_hidden(see(first), first)
    second = services.attempt_submit(None, second, {})
    assert_revealed(see(first), first)
    assert_revealed(see(second), second)


def test_never(users, see):
    quiz = quiz_plan(users["tinh.tuyengiao"], reveal=RevealPolicy.NEVER)
    first = take(quiz, me(users), perfect=True)
    second = take(quiz, me(users), perfect=False)
    for attempt in (first, second):
        seen = see(attempt)
        assert_hidden(seen, attempt)
        assert "không công bố" in seen[0]


def test_submitting_through_the_api_answers_with_the_score_only_until_revealed(quiz, users, api):
    client = api("dangvien1")
    attempt_id = client.post(f"/api/v1/plans/{quiz.plan_id}/quiz/attempts", content_type="application/json").json()[
        "id"
    ]
    response = client.post(f"/api/v1/quiz-attempts/{attempt_id}/answers", {"answers": {}}, "application/json")
    assert response.status_code == 200 and response.json()["score"] == "0.00" and response.json()["review"] is None
    attempt_id = client.post(f"/api/v1/plans/{quiz.plan_id}/quiz/attempts", content_type="application/json").json()[
        "id"
    ]
    response = client.post(f"/api/v1/quiz-attempts/{attempt_id}/answers", {"answers": {}}, "application/json")
    assert len(response.json()["review"]) == quiz.questions_per_attempt  # the last attempt allowed


def test_changing_the_setting_applies_to_past_attempts(quiz, users, see):
    first = take(quiz, me(users), perfect=False)
    assert_hidden(see(first), first)
    quiz.reveal = RevealPolicy.EACH
    quiz.save()
    assert_revealed(see(first), first)


def test_the_setting_is_kept_through_the_form_and_audited(quiz, client_as):
    client = client_as("tinh.tuyengiao")
    url = reverse("quizzes:quiz_edit", args=[quiz.plan_id])
    page = client.get(url).content.decode()
    for label in RevealPolicy.labels:
        assert label in page
    data = {
        "time_limit_minutes": 15,
        "questions_per_attempt": 5,
        "attempts_allowed": 2,
        "pass_mark": 60,
        "shuffle": "on",
        "reveal": RevealPolicy.NEVER,
    }
    assert client.post(url, data).status_code == 302
    quiz.refresh_from_db()
    assert quiz.reveal == RevealPolicy.NEVER
    entry = AuditEntry.objects.filter(action="quiz.save", object_id=str(quiz.pk)).latest("id")
    assert entry.before["reveal"] == RevealPolicy.LAST and entry.after["reveal"] == RevealPolicy.NEVER
    bad = client.post(url, data | {"reveal": "luon"})
    assert bad.status_code == 400 and "Hãy chọn một lựa chọn hợp lệ" in bad.content.decode()


def test_the_quiz_numbers_are_whole_and_a_comma_is_not_eaten(quiz, client_as):
    """The pass mark and the other settings are whole numbers: "7,5" is refused, never read as 75."""
    client = client_as("tinh.tuyengiao")
    url = reverse("quizzes:quiz_edit", args=[quiz.plan_id])
    page = client.get(url).content.decode()
    assert 'type="number"' not in page and page.count('inputmode="numeric"') == 4
    data = {
        "time_limit_minutes": "15",
        "questions_per_attempt": "5",
        "attempts_allowed": "2",
        "pass_mark": "7,5",
        "shuffle": "on",
        "reveal": RevealPolicy.NEVER,
    }
    before = quiz.pass_mark
    bad = client.post(url, data)
    assert bad.status_code == 400 and "“7,5” không phải là số nguyên" in bad.content.decode()
    quiz.refresh_from_db()
    assert quiz.pass_mark == before
    assert client.post(url, data | {"pass_mark": "70"}).status_code == 302
    quiz.refresh_from_db()
    assert quiz.pass_mark == 70
