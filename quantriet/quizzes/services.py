"""Writes of question banks, quizzes and attempts; each runs in one transaction and is audited.

Decisions:
- Who takes the quiz (``quiz_takers``): the members of the cells that have an obligation under
  the published plan (the cascade's own audience, the same cells ``essays`` draws its writers
  from), when the plan requires a quiz (``StudyPlan.quiz_required``) and the quiz is configured.
  ``essays.services.essay_writers`` is not reused because it is keyed on the essay audience,
  which a plan may leave empty while still requiring a quiz.
- Drawing: ``random.Random(seed)`` with a seed stored on the attempt; ``sample`` draws the
  questions, and with ``shuffle`` on, the question order and each question's choices are shuffled.
  The layout is stored on the attempt, so reloading the page shows the same paper.
- Scoring: a question counts as right only when the set of chosen answers equals the set of
  correct ones — for a multiple-choice question that is all-or-nothing (no partial credit).
  Score = right / drawn × 100, passed when score ≥ the pass mark.
- Time: the server's clock decides. Answers are taken up to ``deadline_at + GRACE`` (30 s);
  after that they are refused and the attempt is closed with the answers saved before
  (``attempt_save``), scored as such. One open attempt at a time; starting again resumes it.
- Editing the bank: a question drawn into any attempt is ``used``; from then on only its wording
  and explanation can change (its kind, choices and correct answers are what past attempts were
  scored against), and deleting it retires it (no longer drawn; old attempts still show it). An
  unused question is edited freely and deleted outright. Drawing marks the drawn questions used
  and checks them again afterwards, so an edit racing a draw either lands before (and the draw
  sees it) or is refused.
- Answers revealed (``answers_revealed``): per ``Quiz.reveal``, after each attempt, never, or only
  once the member has used every attempt allowed or passed — and, for that last setting, never while
  one of their attempts is still open, so a passed first attempt does not lend its answers to the next.
- Results: ``attempt_close`` rewrites the member's ``QuizResult`` from their closed attempts in the
  same transaction; ``rebuild_results`` recomputes a whole quiz's.
"""

import random
import secrets
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from quantriet.core.audit import audit_record, snapshot
from quantriet.org.models import Member
from quantriet.study.models import PlanStatus
from quantriet.study.services import plan_members

from .models import (
    MAX_CHOICES,
    Answer,
    Attempt,
    Choice,
    Question,
    QuestionKind,
    Quiz,
    QuizResult,
    RevealPolicy,
)

MAX_QUESTION = 2_000
MAX_CHOICE = Choice._meta.get_field("text").max_length
#: Rows written per INSERT when a quiz's results are rebuilt.
REBUILD_BATCH = 1000
QUIZ_FIELDS = ["time_limit_minutes", "questions_per_attempt", "attempts_allowed", "pass_mark", "shuffle", "reveal"]


# ---------------------------------------------------------------- who takes the quiz


def quiz_takers(plan):
    """Members PLAN requires to take its quiz (see the module docstring)."""
    if plan.status != PlanStatus.PUBLISHED or not plan.quiz_required:
        return Member.objects.none()
    return plan_members(plan)


def must_take(plan, member) -> bool:
    return member is not None and quiz_takers(plan).filter(pk=member.pk).exists()


# ---------------------------------------------------------------- the question bank


NO_CORRECT = "Chưa chỉ ra đáp án đúng."


def question_problems(kind, text, choices) -> list[tuple[str, str]]:
    """What is wrong with a question, as (field, Vietnamese message); field is text, choices or correct.

    CHOICES is [(text, correct)] of the filled-in answers.
    """
    problems = []
    if not text.strip():
        problems.append(("text", "Chưa có nội dung câu hỏi."))
    elif len(text) > MAX_QUESTION:
        problems.append(("text", f"Câu hỏi dài quá {MAX_QUESTION} ký tự."))
    if len(choices) < 2:
        problems.append(("choices", "Cần ít nhất hai đáp án."))
    if len(choices) > MAX_CHOICES:
        problems.append(("choices", f"Tối đa {MAX_CHOICES} đáp án."))
    if any(len(t) > MAX_CHOICE for t, _ in choices):
        problems.append(("choices", f"Mỗi đáp án tối đa {MAX_CHOICE} ký tự."))
    right = sum(1 for _, correct in choices if correct)
    if right == 0:
        problems.append(("correct", NO_CORRECT))
    elif kind == QuestionKind.SINGLE and right > 1:
        problems.append(("correct", "Câu hỏi một đáp án chỉ được có một đáp án đúng."))
    return problems


def _create_question(actor, document, kind, text, explanation, choices):
    question = Question.objects.create(
        document=document, kind=kind, text=text.strip(), explanation=explanation.strip(), created_by=actor
    )
    Choice.objects.bulk_create(
        Choice(question=question, position=i, text=t.strip(), correct=c) for i, (t, c) in enumerate(choices)
    )
    return question


@transaction.atomic
def question_add(actor, document, kind, text, explanation, choices) -> Question:
    problems = question_problems(kind, text, choices)
    if problems:
        raise ValidationError([message for _, message in problems])
    question = _create_question(actor, document, kind, text, explanation, choices)
    audit_record(actor, "quiz.question_add", question, None, {"document": document.pk, "kind": kind})
    return question


USED_FROZEN = (
    "Câu hỏi này đã có trong bài làm của đảng viên nên không đổi được loại câu hỏi, các đáp án hay đáp án đúng "
    "(các bài đã làm được chấm theo đúng các đáp án này). Chỉ sửa được nội dung câu hỏi và phần giải thích. "
    "Nếu cần đổi đáp án, hãy ngừng sử dụng câu hỏi này (nút “Xóa” sẽ chuyển nó sang ngừng sử dụng) "
    "rồi thêm một câu hỏi mới."
)


def question_state(question) -> dict:
    """What an edit can change, JSON-ready (for the audit log and the freeze check)."""
    return {
        "kind": question.kind,
        "text": question.text,
        "explanation": question.explanation,
        "active": question.active,
        "choices": [[c.text, c.correct] for c in question.choices.order_by("position", "id")],
    }


def _locked_question(question):
    return Question.objects.select_for_update().get(pk=question.pk)


def _rewrite_choices(question, choices):
    """Set QUESTION's choices to CHOICES [(text, correct)], keeping the ids of those at the same positions."""
    existing = list(question.choices.order_by("position", "id"))
    for position, (choice, (text, correct)) in enumerate(zip(existing, choices, strict=False)):
        choice.position, choice.text, choice.correct = position, text, correct
    Choice.objects.bulk_update(existing[: len(choices)], ["position", "text", "correct"])
    Choice.objects.bulk_create(
        Choice(question=question, position=i, text=t, correct=c)
        for i, (t, c) in enumerate(choices)
        if i >= len(existing)
    )
    Choice.objects.filter(pk__in=[c.pk for c in existing[len(choices) :]]).delete()


@transaction.atomic
def question_update(actor, question, kind, text, explanation, choices) -> Question:
    """Change a question of the bank. A used question keeps its kind and choices (ValidationError code "used")."""
    problems = question_problems(kind, text, choices)
    if problems:
        raise ValidationError([message for _, message in problems])
    question = _locked_question(question)
    before = question_state(question)
    choices = [[t.strip(), bool(c)] for t, c in choices]
    if question.used and (kind != question.kind or choices != before["choices"]):
        raise ValidationError(USED_FROZEN, "used")
    question.kind, question.text, question.explanation = kind, text.strip(), explanation.strip()
    question.save(update_fields=["kind", "text", "explanation"])
    if not question.used:
        _rewrite_choices(question, choices)
    audit_record(actor, "quiz.question_update", question, before, question_state(question))
    return question


@transaction.atomic
def question_delete(actor, question) -> str:
    """Delete an unused question ("deleted"); retire a used one instead ("retired")."""
    question = _locked_question(question)
    before = question_state(question)
    if question.used:
        if question.active:
            question.active = False
            question.save(update_fields=["active"])
            audit_record(actor, "quiz.question_retire", question, before, question_state(question))
        return "retired"
    audit_record(actor, "quiz.question_delete", question, before, None)
    question.delete()
    return "deleted"


@transaction.atomic
def question_restore(actor, question) -> Question:
    """Put a retired question back into use (drawn again for new attempts)."""
    question = _locked_question(question)
    if not question.active:
        before = question_state(question)
        question.active = True
        question.save(update_fields=["active"])
        audit_record(actor, "quiz.question_restore", question, before, question_state(question))
    return question


# ---------------------------------------------------------------- the quiz of a plan


@transaction.atomic
def quiz_save(actor, plan, **values) -> Quiz:
    quiz = Quiz.objects.select_for_update().filter(plan=plan).first()
    before = snapshot(quiz, QUIZ_FIELDS) if quiz else None
    quiz = quiz or Quiz(plan=plan)
    for name in QUIZ_FIELDS:
        setattr(quiz, name, values.get(name, getattr(quiz, name)))
    quiz.updated_by, quiz.updated_at = actor, timezone.now()
    quiz.full_clean()
    quiz.save()
    audit_record(actor, "quiz.save", quiz, before, snapshot(quiz, QUIZ_FIELDS))
    return quiz


# ---------------------------------------------------------------- attempts


def draw(bank, count, shuffle, seed) -> list[dict]:
    """The paper of one attempt; BANK is {question id: [choice ids in bank order]}."""
    rng = random.Random(seed)  # noqa: S311 (fairness of a quiz, not secrecy)
    ids = sorted(bank)
    drawn = rng.sample(ids, min(count, len(ids)))
    if not shuffle:
        drawn.sort()
    layout = []
    for qid in drawn:
        choices = list(bank[qid])
        if shuffle:
            rng.shuffle(choices)
        layout.append({"q": qid, "c": choices})
    return layout


def _choice_ids(questions):
    bank = {}
    for qid, cid in (
        Choice.objects.filter(question__in=questions)
        .order_by("question_id", "position", "id")
        .values_list("question_id", "id")
    ):
        bank.setdefault(qid, []).append(cid)
    return bank


def _bank_layout_source(quiz):
    return _choice_ids(quiz.bank())


def mark_used(layout) -> bool:
    """Mark the questions of LAYOUT used (frozen), then check they are still active with the same choices.

    False when an edit or a retirement got in first: the caller draws again.
    """
    ids = [item["q"] for item in layout]
    if Question.objects.filter(pk__in=ids, active=True).update(used=True) != len(ids):
        return False
    current = _choice_ids(ids)
    return all(sorted(item["c"]) == current.get(item["q"]) for item in layout)


class _StaleDraw(Exception):
    pass


def _draw_marked(quiz, seed) -> list[dict]:
    """A paper drawn from the bank, its questions marked used; drawn again if an edit got in between."""
    for _ in range(3):
        layout = draw(_bank_layout_source(quiz), quiz.questions_per_attempt, quiz.shuffle, seed)
        try:
            with transaction.atomic():  # a savepoint: a stale draw leaves no question marked
                if not mark_used(layout):
                    raise _StaleDraw
        except _StaleDraw:
            continue
        return layout
    raise ValidationError("Ngân hàng câu hỏi đang được sửa; xin thử lại sau ít phút.", "closed")


def _used(quiz, member):
    return Attempt.objects.filter(quiz=quiz, member=member)


def who_refusal(quiz, member) -> ValidationError | None:
    """Why MEMBER may not take QUIZ at all, or None (codes: not_member, audience, closed)."""
    if member is None:
        return ValidationError(
            "Tài khoản này chưa gắn với hồ sơ đảng viên nên không làm bài kiểm tra được.", "not_member"
        )
    if not must_take(quiz.plan, member):
        return ValidationError("Đồng chí không thuộc đối tượng làm bài kiểm tra của kế hoạch này.", "audience")
    if not quiz.bank().exists():
        return ValidationError("Bài kiểm tra chưa có câu hỏi; xin quay lại sau.", "closed")
    return None


def _used_up(quiz, member) -> ValidationError | None:
    if _used(quiz, member).count() >= quiz.attempts_allowed:
        return ValidationError(f"Đồng chí đã làm hết {quiz.attempts_allowed} lần được phép.", "used_up")
    return None


def start_refusal(quiz, member) -> ValidationError | None:
    """Why MEMBER may not start a new attempt now, or None (who_refusal's codes, and used_up)."""
    return who_refusal(quiz, member) or _used_up(quiz, member)


def open_attempt(quiz, member, at=None):
    """MEMBER's attempt still in progress, closing one whose time ran out."""
    attempt = _used(quiz, member).filter(submitted_at__isnull=True).first()
    if attempt is not None and attempt.expired(at):
        attempt_close(None, attempt, at)
        return None
    return attempt


@transaction.atomic
def attempt_start(actor, quiz, member, at=None, seed=None) -> tuple[Attempt, bool]:
    """A new attempt (drawn and shuffled), or the one in progress; (attempt, created).

    SEED fixes the draw (the demo's reproducible papers); by default it is secret and random.
    """
    at = at or timezone.now()
    refusal = who_refusal(quiz, member)
    if refusal is not None:
        raise refusal
    Member.objects.select_for_update().filter(pk=member.pk).first()  # one start at a time per member
    current = open_attempt(quiz, member, at)
    if current is not None:
        return current, False
    refusal = _used_up(quiz, member)
    if refusal is not None:
        raise refusal
    seed = secrets.randbits(62) if seed is None else seed
    attempt = Attempt.objects.create(
        quiz=quiz,
        member=member,
        number=_used(quiz, member).count() + 1,
        seed=seed,
        layout=_draw_marked(quiz, seed),
        started_at=at,
        deadline_at=at + timedelta(minutes=quiz.time_limit_minutes),
    )
    audit_record(
        actor,
        "quiz.attempt_start",
        attempt,
        None,
        {"number": attempt.number, "deadline": attempt.deadline_at.isoformat()},
    )
    return attempt, True


def answers_clean(attempt, raw) -> dict[int, list[int]]:
    """RAW ({question id: [choice ids]}, keys possibly strings) checked against the attempt's paper."""
    if not isinstance(raw, dict):
        raise ValidationError("Câu trả lời phải có dạng {mã câu hỏi: [mã đáp án]}.", "invalid")
    paper = {item["q"]: set(item["c"]) for item in attempt.layout}
    single = set(Question.objects.filter(pk__in=paper, kind=QuestionKind.SINGLE).values_list("pk", flat=True))
    clean = {}
    for key, chosen in raw.items():
        qid = int(key) if isinstance(key, int) or (isinstance(key, str) and key.isdigit() and len(key) < 19) else None
        if qid not in paper:
            raise ValidationError(f"Câu hỏi “{key}” không có trong bài làm này.", "invalid")
        if not isinstance(chosen, list) or not all(isinstance(c, int) and not isinstance(c, bool) for c in chosen):
            raise ValidationError(f"Câu {key}: đáp án phải là danh sách mã đáp án.", "invalid")
        if not set(chosen) <= paper[qid]:
            raise ValidationError(f"Câu {key}: có đáp án không thuộc câu hỏi này.", "invalid")
        if qid in single and len(set(chosen)) > 1:
            raise ValidationError(f"Câu {key}: câu hỏi một đáp án chỉ được chọn một đáp án.", "invalid")
        clean[qid] = sorted(set(chosen))
    return clean


def _store(attempt, answers, at):
    for qid, chosen in answers.items():
        Answer.objects.update_or_create(
            attempt=attempt, question_id=qid, defaults={"choice_ids": chosen, "saved_at": at}
        )


def _deadline_refusal(attempt):
    return ValidationError(
        f"Đã hết giờ làm bài ({timezone.localtime(attempt.deadline_at):%H:%M:%S %d/%m/%Y}): câu trả lời gửi sau "
        f"không được nhận; bài đã được đóng với các câu trả lời đã lưu trước đó (đạt {attempt.score}%).",
        "deadline",
    )


def _locked_open(attempt):
    attempt = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
    if not attempt.is_open:
        raise ValidationError("Bài làm này đã nộp, không sửa được nữa.", "submitted")
    return attempt


def _take(actor, attempt, raw, at, submit):
    at = at or timezone.now()
    with transaction.atomic():
        attempt = _locked_open(attempt)
        late = attempt.expired(at)
        if not late:
            _store(attempt, answers_clean(attempt, raw), at)
        if late or submit:
            attempt_close(actor, attempt, at, late=late)
    if late:
        raise _deadline_refusal(attempt)
    return attempt


def attempt_save(actor, attempt, raw, at=None) -> Attempt:
    """Save answers without submitting (the page's "Lưu tạm"); after the time is up, as attempt_submit."""
    return _take(actor, attempt, raw, at, submit=False)


def attempt_submit(actor, attempt, raw, at=None) -> Attempt:
    """Save the answers and score the attempt. After the deadline (+ grace) the answers are refused,
    the attempt is closed with those saved before, and ValidationError(code "deadline") is raised."""
    return _take(actor, attempt, raw, at, submit=True)


def _is_right(chosen, correct) -> bool:
    return bool(correct) and set(chosen) == set(correct)


@transaction.atomic
def attempt_close(actor, attempt, at=None, late=None):
    """Score ATTEMPT with its saved answers and close it (on submit, or when its time has run out)."""
    at = at or timezone.now()
    late = attempt.expired(at) if late is None else late
    ids = attempt.question_ids()
    correct = {}
    for qid, cid in Choice.objects.filter(question_id__in=ids, correct=True).values_list("question_id", "id"):
        correct.setdefault(qid, []).append(cid)
    answers = list(Answer.objects.filter(attempt=attempt))
    for answer in answers:
        answer.correct = _is_right(answer.choice_ids, correct.get(answer.question_id))
    Answer.objects.bulk_update(answers, ["correct"])
    right = sum(1 for a in answers if a.correct)
    score = (Decimal(100 * right) / max(len(ids), 1)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    attempt.correct_count, attempt.score = right, score
    attempt.passed = score >= attempt.quiz.pass_mark
    attempt.submitted_at = attempt.deadline_at if late else at
    attempt.closed_late = late
    attempt.save(update_fields=["correct_count", "score", "passed", "submitted_at", "closed_late"])
    result_refresh(attempt.quiz, attempt.member_id)
    action = "quiz.attempt_expire" if late else "quiz.attempt_submit"
    audit_record(actor, action, attempt, None, {"score": str(score), "passed": attempt.passed, "right": right})
    return attempt


def answers_revealed(attempt) -> bool:
    """Whether the member may see ATTEMPT's correct answers and explanations (see the module docstring)."""
    policy = attempt.quiz.reveal
    if attempt.is_open or policy == RevealPolicy.NEVER:
        return False
    if policy == RevealPolicy.EACH:
        return True
    mine = _used(attempt.quiz, attempt.member_id).aggregate(
        made=Count("pk"),
        open=Count("pk", filter=Q(submitted_at__isnull=True)),
        passed=Count("pk", filter=Q(passed=True, submitted_at__isnull=False)),
    )
    return not mine["open"] and (mine["passed"] > 0 or mine["made"] >= attempt.quiz.attempts_allowed)


# ---------------------------------------------------------------- results rollup


def _rollup(attempts):
    """ATTEMPTS' closed ones summed per (quiz, member), as dicts of QuizResult's fields."""
    return (
        attempts.filter(submitted_at__isnull=False)
        .order_by()
        .values("quiz_id", "member_id")
        .annotate(
            attempts=Count("pk"),
            best_score=Max("score"),
            passed_count=Count("pk", filter=Q(passed=True)),
            last_submitted_at=Max("submitted_at"),
        )
    )


def _result(row) -> QuizResult:
    return QuizResult(
        quiz_id=row["quiz_id"],
        member_id=row["member_id"],
        attempts=row["attempts"],
        best_score=row["best_score"],
        passed=row["passed_count"] > 0,
        last_submitted_at=row["last_submitted_at"],
    )


def result_refresh(quiz, member_id) -> QuizResult | None:
    """Rewrite one member's QuizResult from their attempts; called by attempt_close inside its transaction."""
    rows = list(_rollup(Attempt.objects.filter(quiz=quiz, member_id=member_id)))
    row = rows[0] if rows else None
    if row is None:
        QuizResult.objects.filter(quiz=quiz, member_id=member_id).delete()
        return None
    fresh = _result(row)
    fields = ["attempts", "best_score", "passed", "last_submitted_at"]
    result, _ = QuizResult.objects.update_or_create(
        quiz=quiz, member_id=member_id, defaults={name: getattr(fresh, name) for name in fields}
    )
    return result


@transaction.atomic
def rebuild_results(quiz, actor=None) -> int:
    """Recompute every QuizResult of QUIZ from its attempts (back-fill, repair); returns the rows written."""
    before = QuizResult.objects.filter(quiz=quiz).count()
    QuizResult.objects.filter(quiz=quiz).delete()
    written, batch = 0, []
    for row in _rollup(Attempt.objects.filter(quiz=quiz)).iterator(chunk_size=REBUILD_BATCH):
        batch.append(_result(row))
        if len(batch) == REBUILD_BATCH:
            written += len(QuizResult.objects.bulk_create(batch))
            batch = []
    written += len(QuizResult.objects.bulk_create(batch))
    audit_record(actor, "quiz.results_rebuild", quiz, {"results": before}, {"results": written})
    return written
