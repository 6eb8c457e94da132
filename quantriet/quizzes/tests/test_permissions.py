"""Every quizzes page and API operation against the six personas, with guards that none escapes.

Out of scope is 404 (the same as missing); in scope without the right is 403. The question
bank of a central document belongs to provincial propaganda staff; results need a board role
on the organisation; an attempt is its member's alone.
"""

import pytest
from django.urls import reverse

from quantriet.quizzes import services, views

from .common import ALL, expect

QUESTION = {
    "text": "Chỉ thị 28-CT/TU ban hành ngày nào?",
    "kind": "mot",
    "choice_A": "19/10/2022",
    "choice_B": "01/01/2023",
    "correct": ["A"],
    "explanation": "",
}


@pytest.fixture
def world(quiz, users):
    attempt, _ = services.attempt_start(users["dangvien1"], quiz, users["dangvien1"].member)
    commune1 = users["xa1.bithu"].grants.get().org
    return {"quiz": quiz, "plan": quiz.plan.pk, "doc": quiz.plan.documents.get().pk, "attempt": attempt, "c1": commune1}


def page_matrix(w):
    plan, doc, attempt = w["plan"], w["doc"], w["attempt"].pk
    staff = {"admin": 200, "tinh_tuyengiao": 200}
    members = expect(admin=403, outsider=404, others=200)
    return [
        ("index", [], "get", {}, expect(others=200)),
        ("bank_template", [], "get", {}, expect(others=200)),
        ("bank", [doc], "get", {}, expect(**staff, others=403)),
        ("bank", [doc], "post", QUESTION, expect(admin=302, tinh_tuyengiao=302, others=403)),
        ("bank_import", [doc], "post", {}, expect(admin=400, tinh_tuyengiao=400, others=403)),
        ("quiz_edit", [plan], "get", {}, expect(**staff, outsider=404, others=403)),
        ("take", [plan], "get", {}, members),
        ("start", [plan], "post", {}, expect(admin=403, outsider=404, others=302)),
        ("results", [plan], "get", {}, expect(dangvien1=403, outsider=404, others=200)),
        ("results", [plan], "get", {"org": w["c1"].pk}, expect(**staff, xa1_bithu=200, others=404)),
        ("attempt", [attempt], "get", {}, expect(dangvien1=200, others=404)),
        ("attempt", [attempt], "post", {"action": "submit"}, expect(dangvien1=302, others=404)),
    ]


def _request(client, name, args, method, data):
    url = reverse(f"quizzes:{name}", args=args)
    return client.get(url, data) if method == "get" else client.post(url, data)


def test_every_page_against_every_persona(world, client_as):
    failures = []
    for name, args, method, data, expected in page_matrix(world):
        for persona in ALL:
            response = _request(client_as(persona), name, args, method, data)
            if response.status_code != expected[persona]:
                failures.append(
                    f"{name}{args}{data} {method} as {persona}: {response.status_code}, expected {expected[persona]}"
                )
    assert failures == []


def test_anonymous_users_are_sent_to_login(world, client_as):
    for name, args, method, data, _ in page_matrix(world):
        response = _request(client_as(None), name, args, method, data)
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/"), name


def test_every_quizzes_url_is_in_the_matrix(world):
    covered = {name for name, *_ in page_matrix(world)}
    assert {p.name for p in views.urlpatterns} - covered == set()


def api_matrix(w):
    return [
        (
            "post",
            f"/api/v1/plans/{w['plan']}/quiz/attempts",
            None,
            expect(admin=403, outsider=404, dangvien1=200, others=201),
        ),  # dangvien1 resumes
        ("get", f"/api/v1/quiz-attempts/{w['attempt'].pk}", None, expect(dangvien1=200, others=404)),
        (
            "post",
            f"/api/v1/quiz-attempts/{w['attempt'].pk}/answers",
            {"answers": {}},
            expect(dangvien1=200, others=404),
        ),
    ]


def test_every_api_operation_against_every_persona(world, api):
    failures = []
    for method, url, body, expected in api_matrix(world):
        for persona in ALL:
            client = api(persona)
            if method == "get":
                response = client.get(url)
            else:
                response = client.post(url, body or {}, content_type="application/json")
            if response.status_code != expected[persona]:
                failures.append(f"{method} {url} as {persona}: {response.status_code}, expected {expected[persona]}")
    assert failures == []


def test_anonymous_api_is_401(world, client_as):
    for method, url, body, _ in api_matrix(world):
        client = client_as(None)
        response = client.get(url) if method == "get" else client.post(url, body or {}, content_type="application/json")
        assert response.status_code == 401, url


TESTED_OPERATIONS = {
    ("post", "/api/v1/plans/{plan_id}/quiz/attempts"),
    ("post", "/api/v1/quiz-attempts/{attempt_id}/answers"),
    ("get", "/api/v1/quiz-attempts/{attempt_id}"),
}


def test_every_quizzes_operation_is_in_the_matrix():
    from quantriet.api import api as ninja_api

    operations = {
        (method, path)
        for path, item in ninja_api.get_openapi_schema()["paths"].items()
        for method, operation in item.items()
        if "quizzes" in operation.get("tags", [])
    }
    assert operations == TESTED_OPERATIONS
