"""Editing and deleting bank questions: free while unused; once in an attempt, wording only, retired on delete."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from quantriet.core.models import AuditEntry
from quantriet.quizzes import services
from quantriet.quizzes.bank_import import import_bank
from quantriet.quizzes.forms import QuestionForm
from quantriet.quizzes.models import Choice, Question, QuestionKind
from quantriet.quizzes.services import question_state
from quantriet.study.tests.test_conferences_common import make_plan

from .common import take, xlsx


def url(name, question):
    return reverse(f"quizzes:{name}", args=[question.document_id, question.pk])


def state(question):
    """The question as stored now."""
    return question_state(Question.objects.get(pk=question.pk))


def form_data(question, **changes):
    return QuestionForm.initial_for(question) | changes


@pytest.fixture
def staff(client_as):
    return client_as("tinh.tuyengiao")


@pytest.fixture
def taken(quiz, users):
    """dangvien1's first attempt, submitted all right: five of the twelve questions are now used."""
    return take(quiz, users["dangvien1"].member, perfect=True)


def single(quiz, used=False):
    return quiz.bank().filter(kind=QuestionKind.SINGLE, used=used).order_by("id").first()


def test_the_edit_form_shows_the_question(quiz, staff):
    question = single(quiz)
    page = staff.get(url("question_edit", question)).content.decode()
    assert question.text in page and "Lưu câu hỏi" in page
    for choice in question.choices.all():
        assert f'value="{choice.text}"' in page
    assert '<input type="checkbox" name="correct" value="B" id="id_correct_1" checked>' in page  # B is right
    assert page.count(" checked>") == 1


def test_an_unused_question_is_edited_freely_and_audited(quiz, users, staff):
    question = single(quiz)
    ids = list(question.choices.values_list("pk", flat=True))
    data = {
        "text": "  Chỉ thị 28-CT/TU nêu những việc nào?  ",
        "kind": QuestionKind.MULTIPLE,
        "choice_A": "Một",
        "choice_B": "Hai",
        "choice_C": "Ba",
        "correct": ["A", "C"],
        "explanation": "Giải thích mới.",
    }
    response = staff.post(url("question_edit", question), data)
    assert response.status_code == 302 and response["Location"] == reverse(
        "quizzes:bank", args=[quiz.plan.documents.get().pk]
    )
    question.refresh_from_db()
    assert (question.text, question.kind, question.explanation) == (
        "Chỉ thị 28-CT/TU nêu những việc nào?",
        QuestionKind.MULTIPLE,
        "Giải thích mới.",
    )
    # The first three choices keep their ids; the fourth is gone.
    assert [(c.pk, c.text, c.correct) for c in question.choices.all()] == [
        (ids[0], "Một", True),
        (ids[1], "Hai", False),
        (ids[2], "Ba", True),
    ]
    assert not Choice.objects.filter(pk=ids[3]).exists()
    entry = AuditEntry.objects.get(action="quiz.question_update", object_id=str(question.pk))
    assert entry.actor == users["tinh.tuyengiao"]
    assert entry.before["kind"] == QuestionKind.SINGLE and len(entry.before["choices"]) == 4
    assert entry.after["choices"] == [["Một", True], ["Hai", False], ["Ba", True]]


def test_an_edit_can_add_choices(quiz, staff):
    question = single(quiz)
    response = staff.post(url("question_edit", question), form_data(question, choice_E="Năm", choice_F="Sáu"))
    assert response.status_code == 302
    assert [c.letter for c in question.choices.all()] == list("ABCDEF")
    assert question.choices.get(position=5).text == "Sáu"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"correct": ["A", "B"]}, "Câu hỏi một đáp án chỉ được có một đáp án đúng."),
        ({"kind": QuestionKind.MULTIPLE, "correct": []}, "Chưa chỉ ra đáp án đúng."),
        ({"correct": []}, "Chưa chỉ ra đáp án đúng."),
        ({"choice_B": "", "choice_C": "", "choice_D": "", "correct": ["A"]}, "Cần ít nhất hai đáp án."),
        ({"text": "   "}, "Trường này là bắt buộc."),
    ],
)
def test_an_invalid_edit_is_refused_in_vietnamese(quiz, staff, changes, message):
    question = single(quiz)
    before = question_state(question)
    response = staff.post(url("question_edit", question), form_data(question, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert state(question) == before
    assert not AuditEntry.objects.filter(action="quiz.question_update").exists()


def test_a_multiple_choice_question_needs_only_one_correct_answer(quiz):
    question = single(quiz)
    services.question_update(None, question, QuestionKind.MULTIPLE, question.text, "", [("X", True), ("Y", False)])
    assert state(question)["choices"] == [["X", True], ["Y", False]]


def test_a_used_question_keeps_its_choices_but_may_be_reworded(quiz, taken, staff, client_as):
    question = Question.objects.get(pk=taken.layout[0]["q"])
    assert question.used and not single(quiz, used=False).used
    before = question_state(question)
    right = form_data(question)["correct"]
    wrong = [next(letter for letter in "ABCD" if letter not in right)]
    for changes in (
        {"correct": wrong},  # another correct answer
        {"choice_A": "Một đáp án khác"},  # another choice text
        {"choice_E": "Đáp án thêm"},  # one more choice
        {"kind": QuestionKind.MULTIPLE if question.kind == QuestionKind.SINGLE else QuestionKind.SINGLE},
    ):
        response = staff.post(url("question_edit", question), form_data(question, **changes))
        page = response.content.decode()
        assert response.status_code == 400, changes
        assert "đã có trong bài làm của đảng viên" in page and "ngừng sử dụng" in page and "câu hỏi mới" in page
        assert state(question) == before
    with pytest.raises(ValidationError) as error:
        services.question_update(None, question, question.kind, question.text, "", [("A", True), ("B", False)])
    assert error.value.code == "used"

    response = staff.post(
        url("question_edit", question), form_data(question, text="Câu hỏi viết lại?", explanation="Rõ hơn.")
    )
    assert response.status_code == 302
    assert state(question) == before | {"text": "Câu hỏi viết lại?", "explanation": "Rõ hơn."}
    taken.refresh_from_db()
    assert taken.score == 100  # the past attempt is unchanged, and still shows the question
    page = client_as("dangvien1").get(reverse("quizzes:attempt", args=[taken.pk])).content.decode()
    assert "Câu hỏi viết lại?" in page


def test_the_edit_page_warns_that_a_used_question_is_frozen(quiz, taken, staff):
    used = Question.objects.get(pk=taken.layout[0]["q"])
    assert 'id="used-note"' in staff.get(url("question_edit", used)).content.decode()
    assert 'id="used-note"' not in staff.get(url("question_edit", single(quiz))).content.decode()


def test_deleting_an_unused_question_removes_it(quiz, taken, users, staff):
    question = single(quiz)
    response = staff.post(url("question_delete", question))
    assert response.status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()
    entry = AuditEntry.objects.get(action="quiz.question_delete", object_id=str(question.pk))
    assert entry.before["text"] == question.text and entry.after is None and entry.actor == users["tinh.tuyengiao"]


def test_deleting_a_used_question_retires_it(quiz, taken, users, staff, client_as):
    retired = Question.objects.get(pk=taken.layout[0]["q"])
    deleted = single(quiz)
    staff.post(url("question_delete", deleted))
    response = staff.post(url("question_delete", retired), follow=True)
    assert "ngừng sử dụng" in response.content.decode()
    retired.refresh_from_db()
    assert not retired.active and retired.choices.count() == 4
    assert AuditEntry.objects.get(action="quiz.question_retire", object_id=str(retired.pk)).after["active"] is False
    bank = staff.get(reverse("quizzes:bank", args=[retired.document_id])).content.decode()
    assert "10 câu hỏi đang sử dụng" in bank and "Dùng lại" in bank
    # The old attempt still shows it, and it is scored as before.
    page = client_as("dangvien1").get(reverse("quizzes:attempt", args=[taken.pk])).content.decode()
    assert retired.text in page and "Giải thích câu" in page
    # New attempts draw from the ten left only.
    quiz.questions_per_attempt, quiz.attempts_allowed = 12, 3
    quiz.save()
    attempt, _ = services.attempt_start(None, quiz, users["dangvien1"].member)
    drawn = attempt.question_ids()
    assert len(drawn) == 10 and retired.pk not in drawn and deleted.pk not in drawn
    # Deleting it again changes nothing; bringing it back makes it drawable again.
    assert services.question_delete(None, retired) == "retired"
    assert AuditEntry.objects.filter(action="quiz.question_retire", object_id=str(retired.pk)).count() == 1
    assert staff.post(url("question_restore", retired)).status_code == 302
    retired.refresh_from_db()
    assert retired.active and quiz.bank().filter(pk=retired.pk).exists()
    assert AuditEntry.objects.filter(action="quiz.question_restore", object_id=str(retired.pk)).exists()


def test_a_retired_question_can_come_back_corrected_through_the_import(quiz, taken, users):
    retired = Question.objects.get(pk=taken.layout[0]["q"])
    services.question_delete(users["tinh.tuyengiao"], retired)
    row = [retired.text, "Một đáp án", "Đáp án mới 1", "Đáp án mới 2", "", "", "", "", "B", ""]
    assert import_bank(users["tinh.tuyengiao"], retired.document, xlsx([row]), "sua.xlsx") == 1
    assert Question.objects.filter(document=retired.document, text=retired.text).count() == 2


def test_a_question_of_another_document_is_not_found(quiz, users, staff):
    other = make_plan(users["admin"], number="842").documents.get()
    question = single(quiz)
    for name, method in [
        ("question_edit", staff.get),
        ("question_delete", staff.post),
        ("question_restore", staff.post),
    ]:
        response = method(reverse(f"quizzes:{name}", args=[other.pk, question.pk]))
        assert response.status_code == 404, name
    assert Question.objects.filter(pk=question.pk, active=True).exists()


def test_a_draw_that_races_an_edit_is_not_kept(quiz):
    """mark_used fails when a drawn question was retired, or its choices changed, between the draw and the mark."""
    bank = services._bank_layout_source(quiz)
    layout = services.draw(bank, 12, True, seed=7)
    Question.objects.filter(pk=layout[0]["q"]).update(active=False)
    assert not services.mark_used(layout)
    Question.objects.filter(pk=layout[0]["q"]).update(active=True)
    Choice.objects.filter(question_id=layout[1]["q"]).order_by("-position").first().delete()
    assert not services.mark_used(layout)
    assert services.mark_used(services.draw(services._bank_layout_source(quiz), 12, True, seed=7))


def test_a_stale_draw_leaves_no_question_marked(quiz, monkeypatch):
    """The bank was read just before another session retired one of the drawn questions: the marks of that
    draw are rolled back and the paper is drawn again from the bank as it now is."""
    snapshot = services._bank_layout_source(quiz)  # read before the retirement
    stale = services.draw(snapshot, quiz.questions_per_attempt, quiz.shuffle, 11)
    retired = stale[0]["q"]
    Question.objects.filter(pk=retired).update(active=False)  # the other session's retirement, committed
    reads = []
    real = services._bank_layout_source

    def first_read_is_stale(the_quiz):
        reads.append(the_quiz)
        return snapshot if len(reads) == 1 else real(the_quiz)

    monkeypatch.setattr(services, "_bank_layout_source", first_read_is_stale)
    layout = services._draw_marked(quiz, seed=11)
    drawn = {item["q"] for item in layout}
    assert len(reads) == 2 and retired not in drawn and len(drawn) == quiz.questions_per_attempt
    assert {item["q"] for item in stale} - drawn - {retired}  # with this seed the second paper differs
    assert set(Question.objects.filter(used=True).values_list("pk", flat=True)) == drawn
