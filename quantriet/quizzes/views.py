"""Pages of quizzes (bài kiểm tra): question banks, the quiz of a plan, taking it, results.

Documents, plans, quizzes, questions and attempts are fetched through quizzes.access (the access
gate and the policy): out of scope is a 404. A member's attempts are theirs alone (404 to anyone
else). Keeping a document's bank needs `quiz.bank` on its issuing organisation (a central
document's at the top of the tree), and so does editing, deleting (retiring) or restoring one of
its questions, fetched within its document (another document's question is a 404); configuring a
plan's quiz needs `plan.manage` on its issuer; results and their .xlsx export need `quiz.results`
on the organisation (403 otherwise). Writes go through services.py.
"""

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quantriet.core.files import attachment
from quantriet.core.sheets import SheetError, too_large
from quantriet.documents.access import access_document
from quantriet.org.models import Organization, attach_parent_names
from quantriet.org.policy import can, widest_where
from quantriet.study.access import access_plan, access_plan_org
from quantriet.study.models import PlanStatus, StudyPlan

from . import bank_import, exports, results, services
from .access import access_attempt, access_question, access_quiz
from .forms import QuestionForm, QuizForm
from .models import GRACE, Choice, Question, Quiz

MAX_IMPORT_BYTES = 5 * 1024 * 1024
ROWS_PER_PAGE = 50


def _results_org(request, plan):
    """The organisation whose results a page (or the export) shows: ``?org=``, else the widest one
    where the user sees results; 404 out of sight, 403 without `quiz.results` there."""
    return access_plan_org(request.user, plan, "quiz.results", request.GET.get("org"))


# ---------------------------------------------------------------- index


def _my_standing(quiz, member):
    """Set QUIZ's `my_current` (MEMBER's attempt in progress; one whose time ran out is closed first, as
    on the quiz's own page), `my_closed` (their submitted attempts), and `my_best` and `my_passed` (the
    best score, and whether any attempt passed, as the results pages read them)."""
    attempts = list(quiz.attempts.filter(member=member))
    if any(a.is_open and a.expired() for a in attempts):
        services.open_attempt(quiz, member)
        attempts = list(quiz.attempts.filter(member=member))
    quiz.my_current = next((a for a in attempts if a.is_open), None)
    quiz.my_closed = [a for a in attempts if not a.is_open]
    quiz.my_best = max((a.score for a in quiz.my_closed), default=None)
    quiz.my_passed = any(a.passed for a in quiz.my_closed)


@require_GET
def index(request):
    """Bài kiểm tra: quizzes the member must take, and those the user configures or follows."""
    member = getattr(request.user, "member", None)
    quizzes = (
        Quiz.objects.filter(plan__in=StudyPlan.objects.visible_to(request.user).exclude(status=PlanStatus.DRAFT))
        .select_related("plan", "plan__issuer")
        .order_by("-plan__published_at", "-id")
    )
    mine, board = [], []
    for quiz in quizzes[:200]:
        if member is not None and services.must_take(quiz.plan, member):
            _my_standing(quiz, member)
            mine.append(quiz)
        quiz.can_configure = can(request.user, "plan.manage", quiz.plan.issuer)
        if quiz.can_configure or widest_where(request.user, "quiz.results", quiz.plan.issuer):
            board.append(quiz)
    unconfigured = StudyPlan.objects.visible_to(request.user).filter(quiz_required=True, quiz__isnull=True)
    plans = [p for p in unconfigured.select_related("issuer")[:50] if can(request.user, "plan.manage", p.issuer)]
    return render(request, "quizzes/index.html", {"mine": mine, "board": board, "unconfigured": plans})


# ---------------------------------------------------------------- question bank


@require_http_methods(["GET", "POST"])
def bank(request, doc_pk):
    """Ngân hàng câu hỏi of a document: the list and a form to add one question."""
    document = access_document(request.user, doc_pk, "quiz.bank")
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.question_add(request.user, document, data["kind"], data["text"], data["explanation"], form.choices())
        messages.success(request, "Đã thêm câu hỏi.")
        return redirect("quizzes:bank", doc_pk=document.pk)
    return _bank_page(request, document, form, status=400 if form.is_bound else 200)


def _bank_page(request, document, form, problems=(), status=200):
    questions = list(Question.objects.filter(document=document).prefetch_related("choices"))
    context = {
        "document": document,
        "questions": questions,
        "active_count": sum(1 for q in questions if q.active),
        "form": form,
        "problems": problems,
    }
    return render(request, "quizzes/bank.html", context, status=status)


@require_http_methods(["GET", "POST"])
def question_edit(request, doc_pk, pk):
    """Sửa câu hỏi: wording and explanation always; kind and choices only while no attempt has drawn it."""
    question = access_question(request.user, doc_pk, pk)
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.question_update(
                request.user, question, data["kind"], data["text"], data["explanation"], form.choices()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Đã lưu câu hỏi.")
            return redirect("quizzes:bank", doc_pk=question.document_id)
    context = {"document": question.document, "question": question, "form": form}
    return render(request, "quizzes/question_edit.html", context, status=400 if form.is_bound else 200)


@require_POST
def question_delete(request, doc_pk, pk):
    """Xóa câu hỏi: outright while unused; a question already in members' attempts is retired instead."""
    question = access_question(request.user, doc_pk, pk)
    if services.question_delete(request.user, question) == "deleted":
        messages.success(request, "Đã xóa câu hỏi.")
    else:
        messages.info(
            request,
            "Câu hỏi đã có trong bài làm của đảng viên nên không xóa hẳn mà chuyển sang ngừng sử dụng: không còn "
            "được rút cho các lần làm mới, các bài đã làm vẫn hiển thị câu hỏi này.",
        )
    return redirect("quizzes:bank", doc_pk=question.document_id)


@require_POST
def question_restore(request, doc_pk, pk):
    """Dùng lại a retired question."""
    question = access_question(request.user, doc_pk, pk)
    services.question_restore(request.user, question)
    messages.success(request, "Câu hỏi được dùng lại cho các lần làm mới.")
    return redirect("quizzes:bank", doc_pk=question.document_id)


@require_POST
def bank_import_view(request, doc_pk):
    document = access_document(request.user, doc_pk, "quiz.bank")
    upload = request.FILES.get("file")
    if upload is None:
        problems = ["Chưa chọn tệp."]
    elif upload.size > MAX_IMPORT_BYTES:
        problems = [too_large(MAX_IMPORT_BYTES)]
    else:
        try:
            count = bank_import.import_bank(request.user, document, upload.read(), upload.name)
        except SheetError as error:
            problems = [str(p) for p in error.problems]
        else:
            messages.success(request, f"Đã nhập {count} câu hỏi.")
            return redirect("quizzes:bank", doc_pk=document.pk)
    return _bank_page(request, document, QuestionForm(), problems, status=400)


@require_GET
def bank_template(request):
    out = io.BytesIO()
    bank_import.write_template(out)
    return attachment(out.getvalue(), "mau-ngan-hang-cau-hoi.xlsx")


# ---------------------------------------------------------------- the quiz of a plan


@require_http_methods(["GET", "POST"])
def quiz_edit(request, plan_pk):
    """Cấu hình bài kiểm tra: time limit, questions drawn, attempts, pass mark, shuffling."""
    plan = access_plan(request.user, plan_pk, "plan.manage")
    quiz = Quiz.objects.filter(plan=plan).first()
    form = QuizForm(request.POST or None, instance=quiz)
    if request.method == "POST" and form.is_valid():
        services.quiz_save(request.user, plan, **form.cleaned_data)
        messages.success(request, "Đã lưu cấu hình bài kiểm tra.")
        return redirect("quizzes:quiz_edit", plan_pk=plan.pk)
    documents = plan.documents.all()
    for document in documents:
        document.question_count = Question.objects.filter(document=document, active=True).count()
    context = {"plan": plan, "quiz": quiz, "form": form, "documents": documents}
    return render(request, "quizzes/quiz_edit.html", context, status=400 if form.is_bound else 200)


# ---------------------------------------------------------------- taking it


def _refused(request, plan, refusal):
    return render(request, "quizzes/refused.html", {"plan": plan, "refusal": refusal}, status=403)


@require_GET
def take(request, plan_pk):
    """The member's page of a quiz: its rules, their attempts, and the button to start."""
    quiz = access_quiz(request.user, plan_pk)
    member = getattr(request.user, "member", None)
    refusal = services.who_refusal(quiz, member)
    if refusal is not None and refusal.code != "closed":
        return _refused(request, quiz.plan, refusal)
    current = services.open_attempt(quiz, member) if refusal is None else None
    context = {
        "quiz": quiz,
        "plan": quiz.plan,
        "attempts": list(quiz.attempts.filter(member=member)),
        "current": current,
        "refusal": refusal or (None if current else services.start_refusal(quiz, member)),
        "grace": int(GRACE.total_seconds()),
    }
    return render(request, "quizzes/take.html", context)


@require_POST
def start(request, plan_pk):
    quiz = access_quiz(request.user, plan_pk)
    try:
        attempt, _ = services.attempt_start(request.user, quiz, getattr(request.user, "member", None))
    except ValidationError as refusal:
        if refusal.code in {"not_member", "audience"}:
            return _refused(request, quiz.plan, refusal)
        messages.error(request, refusal.message)
        return redirect("quizzes:take", plan_pk=quiz.plan_id)
    return redirect("quizzes:attempt", pk=attempt.pk)


def _posted_answers(request, attempt):
    """{question id: [choice ids]} from the form fields q<id>; non-numbers are a 400."""
    answers = {}
    for qid in attempt.question_ids():
        values = request.POST.getlist(f"q{qid}")
        if not all(v.isdigit() and len(v) < 19 for v in values):
            raise ValidationError("Dữ liệu bài làm không hợp lệ.", "invalid")
        answers[qid] = [int(v) for v in values]
    return answers


def _paper(attempt, reveal):
    """The attempt's questions in the drawn order, choices in the shown order; correctness only if REVEAL."""
    questions = Question.objects.in_bulk(attempt.question_ids())
    choices = Choice.objects.in_bulk([c for item in attempt.layout for c in item["c"]])
    answers = {a.question_id: a for a in attempt.answers.all()}
    paper = []
    for number, item in enumerate(attempt.layout, start=1):
        answer = answers.get(item["q"])
        chosen = set(answer.choice_ids) if answer else set()
        rows = [{"id": c, "text": choices[c].text, "chosen": c in chosen} for c in item["c"] if c in choices]
        if reveal:
            for row in rows:
                row["correct"] = choices[row["id"]].correct
        entry = {"number": number, "question": questions.get(item["q"]), "choices": rows}
        entry["right"] = answer.correct if (reveal and answer) else False
        paper.append(entry)
    return [p for p in paper if p["question"] is not None]


@require_http_methods(["GET", "POST"])
def attempt(request, pk):
    """One attempt of the member's own: the paper while time remains, the result afterwards."""
    attempt = access_attempt(request.user, pk)
    if attempt.is_open and attempt.expired():
        services.attempt_close(request.user, attempt)
        messages.warning(request, "Đã hết giờ: bài được đóng với các câu trả lời đã lưu.")
        if request.method == "POST":  # answers sent after the grace are not taken
            return redirect("quizzes:attempt", pk=attempt.pk)
    if request.method == "POST":
        return _answer(request, attempt)
    remaining = max(0, int((attempt.deadline_at - timezone.now()).total_seconds()))
    revealed = services.answers_revealed(attempt)
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "plan": attempt.quiz.plan,
        "paper": _paper(attempt, reveal=revealed),
        "revealed": revealed,
        "remaining": remaining,
    }
    return render(request, "quizzes/attempt.html", context)


def _answer(request, attempt):
    """Save or submit the posted answers; the page's countdown submits them itself at zero (``auto``)."""
    submit = request.POST.get("action") != "save"
    try:
        answers = _posted_answers(request, attempt)
        if submit:
            services.attempt_submit(request.user, attempt, answers)
        else:
            services.attempt_save(request.user, attempt, answers)
    except ValidationError as error:
        level = messages.ERROR if error.code == "invalid" else messages.WARNING
        messages.add_message(request, level, " ".join(error.messages))
        return redirect("quizzes:attempt", pk=attempt.pk)
    if not submit:
        messages.success(request, "Đã lưu tạm các câu trả lời.")
    elif request.POST.get("auto") == "1":
        messages.info(request, "Hết giờ làm bài: bài đã được tự động nộp với các câu trả lời đã chọn.")
    else:
        messages.success(request, "Đã nộp bài.")
    return redirect("quizzes:attempt", pk=attempt.pk)


# ---------------------------------------------------------------- results


@require_GET
def results_view(request, plan_pk):
    """Kết quả kiểm tra of an organisation: its child organisations and its members."""
    quiz = access_quiz(request.user, plan_pk)
    org = _results_org(request, quiz.plan)
    visible = Organization.objects.visible_to(request.user)
    page = Paginator(results.member_results(quiz, org), ROWS_PER_PAGE).get_page(request.GET.get("trang"))
    attach_parent_names([m.cell for m in page], within=org)
    context = {
        "quiz": quiz,
        "plan": quiz.plan,
        "org": org,
        "summary": results.org_summary(quiz, org),
        "children": results.child_summaries(quiz, org, visible),
        "page": page,
    }
    return render(request, "quizzes/results.html", context)


@require_GET
def results_xlsx(request, plan_pk):
    """The results page as .xlsx: a sheet of member rows and a sheet of child organisation summaries."""
    quiz = access_quiz(request.user, plan_pk)
    org = _results_org(request, quiz.plan)
    out = io.BytesIO()
    exports.write_results_xlsx(quiz, org, Organization.objects.visible_to(request.user), out)
    return attachment(out.getvalue(), exports.results_filename(quiz, org))


urlpatterns = [
    path("", index, name="index"),
    path("mau-ngan-hang-cau-hoi.xlsx", bank_template, name="bank_template"),
    path("van-ban/<int:doc_pk>/cau-hoi/", bank, name="bank"),
    path("van-ban/<int:doc_pk>/nhap-cau-hoi/", bank_import_view, name="bank_import"),
    path("van-ban/<int:doc_pk>/cau-hoi/<int:pk>/sua/", question_edit, name="question_edit"),
    path("van-ban/<int:doc_pk>/cau-hoi/<int:pk>/xoa/", question_delete, name="question_delete"),
    path("van-ban/<int:doc_pk>/cau-hoi/<int:pk>/dung-lai/", question_restore, name="question_restore"),
    path("ke-hoach/<int:plan_pk>/cau-hinh/", quiz_edit, name="quiz_edit"),
    path("ke-hoach/<int:plan_pk>/", take, name="take"),
    path("ke-hoach/<int:plan_pk>/bat-dau/", start, name="start"),
    path("ke-hoach/<int:plan_pk>/ket-qua/", results_view, name="results"),
    path("ke-hoach/<int:plan_pk>/ket-qua.xlsx", results_xlsx, name="results_xlsx"),
    path("lan-lam/<int:pk>/", attempt, name="attempt"),
]
