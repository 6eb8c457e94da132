"""API of essays: submit my essay for a plan, read my essays with their grades and verdicts.

The plan is fetched through the same function as the pages (`access.access_essay_plan`): out of
scope, or asking for no essay, is a 404.
Who may not submit is a 403, when a submission is no longer taken a 409, a bad body or text a 422,
each with a Vietnamese `detail`. "Me" endpoints read the caller's own essays only: anyone else's
essay is a 404, even for a grader who may see it on the board. The verdict a member reads is
their own: its label and scores and how many near-duplicate essays were found, never which ones
(their ids, authors or texts belong to other members).
"""

import json
from datetime import date, datetime
from decimal import Decimal

import pydantic
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate

from quantriet.core.api import MAX_ID, TAGS, Pages, TextIn

from . import services
from .access import access_essay_plan
from .models import Essay, EssayVerdict
from .text import word_count

router = Router(tags=[TAGS["essays"]])

#: HTTP status of each kind of refusal (the code of the service's ValidationError).
REFUSAL_STATUS = {
    "not_member": 403,
    "audience": 403,
    "closed": 409,
    "deadline": 409,
    "graded": 409,
    "conflict": 409,
    "invalid": 422,
}


class EssayIn(TextIn):
    text: str


class ScoreOut(Schema):
    criterion: str
    points: Decimal
    max_points: Decimal


class GradeOut(Schema):
    total: Decimal
    max_total: Decimal
    band: str
    comment: str
    graded_at: datetime
    scores: list[ScoreOut]


class VerdictOut(Schema):
    label: str = Field(..., description="Mã kết luận: chep_nghi_quyet, chep_bai_mau, sao_chep, chung_chung, doc_lap")
    label_text: str = Field(..., alias="get_label_display", description="Kết luận bằng tiếng Việt")
    flagged: bool = Field(..., description="Có dấu hiệu sao chép hoặc chung chung (mọi kết luận trừ «Độc lập»)")
    explanation: str = Field(..., description="Giải thích một dòng về kết luận")
    reference_share: float = Field(..., description="Tỷ lệ nội dung lấy nguyên từ văn bản học tập (0–1)")
    sample_score: float = Field(..., description="Mức trùng với bài mẫu trên mạng gần nhất (0–1; 0 khi dưới ngưỡng)")
    generic_score: float = Field(..., description="Mức liên hệ cụ thể: địa danh, đơn vị, số liệu, cam kết (0–1)")
    near_duplicates: int = Field(..., description="Số bài gần trùng trong cùng kế hoạch (không nêu bài nào)")
    copying: str = Field(
        ...,
        description=(
            "Cách chép của phát hiện nêu trong kết luận (bài mẫu, bài khác): verbatim, unaccented, glued, "
            "paraphrased, spliced, hoặc nhiều cách nối bằng «_» (paraphrased_unaccented); rỗng khi không chép"
        ),
    )
    copying_text: str = Field(..., description="Cách chép bằng tiếng Việt (chép nguyên văn, gõ không dấu, …)")
    computed_at: datetime

    @staticmethod
    def resolve_explanation(verdict):
        return verdict.explanation

    @staticmethod
    def resolve_near_duplicates(verdict):
        return len(verdict.duplicates or [])


def _verdict_of(essay) -> EssayVerdict | None:
    try:
        return essay.verdict
    except EssayVerdict.DoesNotExist:
        return None


class EssayOut(Schema):
    id: int
    plan_id: int
    plan_title: str = Field(..., alias="plan.title")
    essay_deadline: date | None = Field(..., alias="plan.essay_deadline")
    submitted_at: datetime
    late: bool
    words: int
    versions: int
    grade: GradeOut | None
    verdict: VerdictOut | None = Field(..., description="Kết quả kiểm tra trùng lặp của bài (null khi chưa kiểm tra)")

    @staticmethod
    def resolve_versions(essay):
        count = getattr(essay, "version_count", None)
        return essay.versions.count() if count is None else count

    @staticmethod
    def resolve_grade(essay):
        return _grade_out(essay)

    @staticmethod
    def resolve_verdict(essay):
        return _verdict_of(essay)


class VersionOut(Schema):
    number: int
    submitted_at: datetime
    late: bool
    source: str
    source_label: str = Field(..., alias="get_source_display")
    words: int
    text: str

    @staticmethod
    def resolve_words(version):
        return word_count(version.text)


class EssayDetailOut(EssayOut):
    text: str
    source: str
    versions: list[VersionOut] = Field(..., description="Mọi lần nộp, lần mới nhất trước")

    @staticmethod
    def resolve_versions(essay):
        return list(essay.versions.all())


class Detail(Schema):
    detail: str


def _grade_out(essay):
    grade = getattr(essay, "grade", None)
    if grade is None:
        return None
    scores = [
        {"criterion": s.criterion.name, "points": s.points, "max_points": s.criterion.max_points}
        for s in grade.scores.all()
    ]
    return {
        "total": grade.total,
        "max_total": sum((s["max_points"] for s in scores), Decimal(0)),
        "band": grade.band,
        "comment": grade.comment,
        "graded_at": grade.graded_at,
        "scores": scores,
    }


def _body_errors(errors):
    return [{**error, "loc": ("body", "payload", *error.get("loc", ()))} for error in errors]


def _read_essay(request) -> EssayIn:
    """The JSON body, parsed here so that unreadable JSON is a 422 in Vietnamese like any other bad input."""
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, RecursionError):
        raise NinjaValidationError(_body_errors([{"type": "json_invalid", "loc": ()}])) from None
    if not isinstance(data, dict):
        raise NinjaValidationError(_body_errors([{"type": "dict_type", "loc": ()}]))
    try:
        return EssayIn.model_validate(data)
    except pydantic.ValidationError as error:
        raise NinjaValidationError(_body_errors(error.errors(include_url=False, include_input=False))) from None


@router.post(
    "/plans/{plan_id}/essay",
    response={201: EssayOut, frozenset({403, 409, 422}): Detail},
    summary="Nộp bài thu hoạch (gõ trực tiếp)",
    description=(
        "Nộp hoặc nộp lại bài thu hoạch của chính người gọi cho kế hoạch. Nộp lần đầu sau hạn vẫn được "
        "nhận nhưng bị ghi nộp muộn; nộp lại chỉ được đến hết ngày hạn nộp và khi bài chưa được chấm. "
        "403: không phải đảng viên hoặc không thuộc đối tượng viết thu hoạch; 409: kế hoạch không nhận bài, "
        "quá hạn nộp lại hoặc bài đã chấm; 422: nội dung quá ngắn, quá dài hoặc thân yêu cầu sai dạng; "
        "404: kế hoạch không có hoặc ngoài phạm vi."
    ),
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": EssayIn.model_json_schema()}}}
    },
)
def submit_essay(request, plan_id: int = Path(..., ge=1, le=MAX_ID)):
    payload = _read_essay(request)
    plan = access_essay_plan(request.user, plan_id)
    member = getattr(request.user, "member", None)
    try:
        essay = services.essay_submit(request.user, plan, member, payload.text)
    except ValidationError as error:
        return Status(REFUSAL_STATUS.get(error.code, 422), {"detail": " ".join(error.messages)})
    return Status(201, essay)


def _my_essays(request):
    return (
        Essay.objects.filter(member__user=request.user)
        .select_related("plan", "grade", "verdict")
        .prefetch_related("grade__scores__criterion")
    )


@router.get(
    "/me/essays",
    response=list[EssayOut],
    summary="Bài thu hoạch của tôi, kết quả chấm và kết quả kiểm tra trùng lặp (phân trang)",
)
@paginate(Pages, page_size=50)
def my_essays(request):
    return _my_essays(request).annotate(version_count=Count("versions")).order_by("-submitted_at", "-id")


@router.get(
    "/me/essays/{essay_id}",
    response=EssayDetailOut,
    summary="Một bài thu hoạch của tôi: các lần nộp, kết quả chấm, kết quả kiểm tra trùng lặp",
    description="Chỉ bài của chính người gọi; bài của người khác (kể cả bài mình được chấm) hoặc không có: 404.",
)
def my_essay(request, essay_id: int = Path(..., ge=1, le=MAX_ID)):
    return get_object_or_404(_my_essays(request).prefetch_related("versions"), pk=essay_id)
