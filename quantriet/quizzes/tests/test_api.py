"""The quizzes API: start, submit, read; no correctness before submission; 409/422 with Vietnamese details."""

import datetime

from django.utils import timezone

from quantriet.quizzes.models import GRACE, Attempt

from .common import right_answers


def start(client, plan_id):
    return client.post(f"/api/v1/plans/{plan_id}/quiz/attempts", content_type="application/json")


def answer(client, attempt_id, body):
    return client.post(f"/api/v1/quiz-attempts/{attempt_id}/answers", body, content_type="application/json")


def test_start_never_leaks_correctness_and_submit_scores(api, quiz):
    client = api("dangvien1")
    response = start(client, quiz.plan_id)
    assert response.status_code == 201
    body = response.json()
    text = response.content.decode()
    assert '"correct":' not in text and "explanation" not in text and "Giải thích" not in text
    attempt = Attempt.objects.get(pk=body["id"])
    assert [q["id"] for q in body["questions"]] == attempt.question_ids()
    assert [[c["id"] for c in q["choices"]] for q in body["questions"]] == [i["c"] for i in attempt.layout]
    right = {str(q): c for q, c in right_answers(attempt).items()}
    done = answer(client, attempt.pk, {"answers": right})
    assert done.status_code == 200 and done.json()["score"] == "100.00" and done.json()["passed"] is True
    assert client.get(f"/api/v1/quiz-attempts/{attempt.pk}").json()["submitted_at"]
    again = answer(client, attempt.pk, {"answers": right})
    assert again.status_code == 409 and "đã nộp" in again.json()["detail"]


def test_deadline_passed_is_409_and_closes_the_attempt(api, quiz):
    client = api("dangvien1")
    attempt_id = start(client, quiz.plan_id).json()["id"]
    Attempt.objects.filter(pk=attempt_id).update(deadline_at=timezone.now() - GRACE - datetime.timedelta(seconds=5))
    attempt = Attempt.objects.get(pk=attempt_id)
    response = answer(client, attempt_id, {"answers": {str(q): c for q, c in right_answers(attempt).items()}})
    assert response.status_code == 409 and "hết giờ" in response.json()["detail"]
    attempt.refresh_from_db()
    assert attempt.closed_late and attempt.score == 0


def test_no_attempts_left_is_409(api, quiz):
    client = api("dangvien1")
    for _ in range(quiz.attempts_allowed):
        attempt_id = start(client, quiz.plan_id).json()["id"]
        assert answer(client, attempt_id, {"answers": {}}).status_code == 200
    response = start(client, quiz.plan_id)
    assert response.status_code == 409 and "hết" in response.json()["detail"]


def test_malformed_bodies_are_422(api, quiz):
    client = api("dangvien1")
    attempt_id = start(client, quiz.plan_id).json()["id"]
    for body in ["{not json", "[]", {"answers": []}, {"answers": {"abc": [1]}}, {"answers": {"1": "x"}}]:
        response = answer(client, attempt_id, body)
        assert response.status_code == 422, body
        assert response.json()["detail"]
    assert api("dangvien1").get("/api/v1/quiz-attempts/99999999999999999999").status_code == 422
