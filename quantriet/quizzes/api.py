"""API of quizzes: start an attempt, submit its answers, read one's own attempt.

The quiz and the attempt are fetched through the same functions as the pages (quizzes.access):
a plan out of scope is a 404, so is someone else's attempt. Not in the audience is a 403; no attempts left, the deadline
passed or the attempt already submitted a 409; a malformed body or answer a 422. The correct
answers are never sent while an attempt is open; after submission they come in ``review`` only
once the quiz's reveal setting allows (services.answers_revealed), else ``review`` is null and
the attempt shows its score alone.
"""

import json
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from ninja import Field, Path, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError

from quantriet.core.api import MAX_ID, TAGS

from . import services
from .access import access_attempt, access_quiz
from .models import Answer, Choice, Question

router = Router(tags=[TAGS["quizzes"]])

REFUSAL_STATUS = {
    "not_member": 403,
    "audience": 403,
    "closed": 409,
    "used_up": 409,
    "deadline": 409,
    "submitted": 409,
    "invalid": 422,
}


class ChoiceOut(Schema):
    id: int
    text: str


class QuestionOut(Schema):
    id: int
    kind: str
    text: str
    choices: list[ChoiceOut]


class ReviewOut(Schema):
    question_id: int
    chosen: list[int]
    correct_choices: list[int]
    right: bool
    explanation: str


class AttemptOut(Schema):
    id: int
    plan_id: int
    number: int
    started_at: datetime
    deadline_at: datetime
    submitted_at: datetime | None
    closed_late: bool
    score: Decimal | None
    passed: bool | None
    correct_count: int | None
    questions: list[QuestionOut]
    review: list[ReviewOut] | None = Field(
        None, description="Đáp án đúng và giải thích từng câu; null khi chưa được công bố (theo cấu hình bài kiểm tra)."
    )


class Detail(Schema):
    detail: str


def _review(attempt, questions, choices):
    """Per question of the paper: the member's choices, the correct ones, right or not, the explanation."""
    answers = {a.question_id: a for a in Answer.objects.filter(attempt=attempt)}
    review = []
    for item in attempt.layout:
        question, answer = questions.get(item["q"]), answers.get(item["q"])
        if question is None:
            continue
        review.append(
            {
                "question_id": question.pk,
                "chosen": answer.choice_ids if answer else [],
                "correct_choices": [c for c in item["c"] if c in choices and choices[c].correct],
                "right": bool(answer and answer.correct),
                "explanation": question.explanation,
            }
        )
    return review


def _attempt_out(attempt):
    """The attempt with its questions and choices in the shown order; correctness only in a revealed review."""
    questions = Question.objects.in_bulk(attempt.question_ids())
    choices = Choice.objects.in_bulk([c for item in attempt.layout for c in item["c"]])
    paper = [
        {
            "id": q.pk,
            "kind": q.kind,
            "text": q.text,
            "choices": [{"id": c, "text": choices[c].text} for c in item["c"] if c in choices],
        }
        for item in attempt.layout
        if (q := questions.get(item["q"])) is not None
    ]
    fields = ["id", "number", "started_at", "deadline_at", "submitted_at", "closed_late", "score", "passed"]
    return {name: getattr(attempt, name) for name in fields} | {
        "plan_id": attempt.quiz.plan_id,
        "correct_count": attempt.correct_count,
        "questions": paper,
        "review": _review(attempt, questions, choices) if services.answers_revealed(attempt) else None,
    }


def _refusal(error):
    return Status(REFUSAL_STATUS.get(error.code, 422), {"detail": " ".join(error.messages)})


def _read_answers(request):
    """The JSON body's "answers" object, parsed here so that bad JSON is a 422 in Vietnamese."""
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, RecursionError):
        raise NinjaValidationError([{"type": "json_invalid", "loc": ("body", "payload")}]) from None
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        raise NinjaValidationError([{"type": "dict_type", "loc": ("body", "payload", "answers")}])
    return data["answers"]


@router.post(
    "/plans/{plan_id}/quiz/attempts",
    response={200: AttemptOut, 201: AttemptOut, frozenset({403, 409}): Detail},
    summary="Bắt đầu một lần làm bài kiểm tra",
    description=(
        "Rút câu hỏi và xáo trộn đáp án cho lần làm mới; nếu đang có lần làm chưa nộp và còn giờ thì trả lại "
        "lần đó (200). Không bao giờ kèm đáp án đúng. 403: không thuộc đối tượng làm bài; 409: đã hết lượt "
        "làm hoặc bài kiểm tra chưa có câu hỏi; 404: kế hoạch không có, ngoài phạm vi hoặc chưa có bài kiểm tra."
    ),
)
def start_attempt(request, plan_id: int = Path(..., ge=1, le=MAX_ID)):
    quiz = access_quiz(request.user, plan_id)
    try:
        attempt, created = services.attempt_start(request.user, quiz, getattr(request.user, "member", None))
    except ValidationError as error:
        return _refusal(error)
    return Status(201 if created else 200, _attempt_out(attempt))


@router.post(
    "/quiz-attempts/{attempt_id}/answers",
    response={200: AttemptOut, frozenset({409, 422}): Detail},
    summary="Nộp bài: gửi câu trả lời và nhận điểm",
    description=(
        'Thân yêu cầu: {"answers": {"<mã câu hỏi>": [<mã đáp án>, ...]}}. Máy chủ kiểm tra giờ: quá hạn '
        "(deadline_at + 30 giây) thì câu trả lời không được nhận, lần làm được đóng với các câu đã lưu trước "
        "đó (409). Câu nhiều đáp án chỉ đúng khi chọn đủ và chỉ chọn đáp án đúng. 409: đã nộp hoặc hết giờ; "
        "422: câu hỏi hoặc đáp án không thuộc bài làm, câu một đáp án chọn nhiều; 404: không phải bài của mình."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["answers"],
                        "properties": {
                            "answers": {
                                "type": "object",
                                "additionalProperties": {"type": "array", "items": {"type": "integer"}},
                            }
                        },
                    }
                }
            },
        }
    },
)
def submit_answers(request, attempt_id: int = Path(..., ge=1, le=MAX_ID)):
    attempt = access_attempt(request.user, attempt_id)
    answers = _read_answers(request)
    try:
        attempt = services.attempt_submit(request.user, attempt, answers)
    except ValidationError as error:
        return _refusal(error)
    return Status(200, _attempt_out(attempt))


@router.get(
    "/quiz-attempts/{attempt_id}",
    response=AttemptOut,
    summary="Một lần làm bài kiểm tra của tôi",
    description=(
        "Chỉ lần làm của chính người gọi (của người khác: 404). Lần làm đã hết giờ được đóng và chấm. Đáp án "
        "đúng và giải thích (review) chỉ có khi cấu hình bài kiểm tra cho phép công bố: sau mỗi lần làm, chỉ "
        "sau lần làm cuối cùng được phép (hoặc khi đã đạt), hoặc không bao giờ; chưa công bố thì chỉ có điểm."
    ),
)
def get_attempt(request, attempt_id: int = Path(..., ge=1, le=MAX_ID)):
    attempt = access_attempt(request.user, attempt_id)
    if attempt.is_open and attempt.expired():
        services.attempt_close(request.user, attempt)
    return _attempt_out(attempt)
