"""Every quizzes page and API operation against the six personas, with guards that none escapes.

Out of scope is 404 (the same as missing); in scope without the right is 403. The question
bank of a central document belongs to provincial propaganda staff; results need a board role
on the organisation; an attempt is its member's alone.
"""

import pytest
from django.urls import reverse

from quantriet.quizzes import services, views
from quantriet.quizzes.forms import QuestionForm
from quantriet.quizzes.models import Question
from quantriet.tests.matrix import (
    anonymous_failures,
    api_anonymous_failures,
    api_failures,
    api_operations,
    expect,
    page_failures,
)

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
    used = Question.objects.get(pk=attempt.layout[0]["q"])  # drawn: edits keep its choices, deleting retires it
    return {
        "quiz": quiz,
        "plan": quiz.plan.pk,
        "doc": quiz.plan.documents.get().pk,
        "attempt": attempt,
        "c1": commune1,
        "used": used.pk,
        "reworded": QuestionForm.initial_for(used) | {"text": "Câu hỏi được viết lại cho rõ hơn?"},
    }


def page_matrix(w):
    plan, doc, attempt, used = w["plan"], w["doc"], w["attempt"].pk, w["used"]
    staff = {"admin": 200, "tinh_tuyengiao": 200}
    members = expect(admin=403, outsider=404, others=200)
    return [
        ("index", [], "get", {}, expect(others=200)),
        ("bank_template", [], "get", {}, expect(others=200)),
        ("bank", [doc], "get", {}, expect(**staff, others=403)),
        ("bank", [doc], "post", QUESTION, expect(admin=302, tinh_tuyengiao=302, others=403)),
        ("bank_import", [doc], "post", {}, expect(admin=400, tinh_tuyengiao=400, others=403)),
        ("question_edit", [doc, used], "get", {}, expect(**staff, others=403)),
        ("question_edit", [doc, used], "post", w["reworded"], expect(admin=302, tinh_tuyengiao=302, others=403)),
        ("question_delete", [doc, used], "post", {}, expect(admin=302, tinh_tuyengiao=302, others=403)),
        ("question_restore", [doc, used], "post", {}, expect(admin=302, tinh_tuyengiao=302, others=403)),
        ("quiz_edit", [plan], "get", {}, expect(**staff, outsider=404, others=403)),
        ("take", [plan], "get", {}, members),
        ("start", [plan], "post", {}, expect(admin=403, outsider=404, others=302)),
        ("results", [plan], "get", {}, expect(dangvien1=403, outsider=404, others=200)),
        ("results", [plan], "get", {"org": w["c1"].pk}, expect(**staff, xa1_bithu=200, others=404)),
        ("results_xlsx", [plan], "get", {}, expect(dangvien1=403, outsider=404, others=200)),
        ("results_xlsx", [plan], "get", {"org": w["c1"].pk}, expect(**staff, xa1_bithu=200, others=404)),
        ("attempt", [attempt], "get", {}, expect(dangvien1=200, others=404)),
        ("attempt", [attempt], "post", {"action": "submit"}, expect(dangvien1=302, others=404)),
    ]


def test_every_page_against_every_persona(world, client_as):
    assert page_failures(page_matrix(world), client_as, "quizzes") == []


def test_anonymous_users_are_sent_to_login(world, client_as):
    assert anonymous_failures(page_matrix(world), client_as, "quizzes") == []


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
    assert api_failures(api_matrix(world), api) == []


def test_anonymous_api_is_401(world, client_as):
    assert api_anonymous_failures(api_matrix(world), client_as) == []


TESTED_OPERATIONS = {
    ("post", "/api/v1/plans/{plan_id}/quiz/attempts"),
    ("post", "/api/v1/quiz-attempts/{attempt_id}/answers"),
    ("get", "/api/v1/quiz-attempts/{attempt_id}"),
}


def test_every_quizzes_operation_is_in_the_matrix():
    assert api_operations("quizzes") == TESTED_OPERATIONS


def test_a_refusal_names_the_right_it_needs(world, client_as):
    """The 403 page says which action of the policy was refused, and where the right is held."""
    bank = client_as("xa1.bithu").get(reverse("quizzes:bank", args=[world["doc"]]))
    assert bank.status_code == 403
    assert "Soạn ngân hàng câu hỏi cần quyền" in bank.content.decode() and "cấp tỉnh" in bank.content.decode()
    cell = world["attempt"].member.cell
    results = client_as("dangvien1").get(reverse("quizzes:results", args=[world["plan"]]), {"org": cell.pk})
    assert results.status_code == 403
    assert "Xem kết quả kiểm tra cần quyền" in results.content.decode() and cell.name in results.content.decode()
