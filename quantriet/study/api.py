"""API of the study cascade: plans, conferences, check-in codes and check-in.

Every object is fetched through the same gate and policy as the pages (study/access.py): out of
scope is a 404, the same as missing; without the right a 403 saying which right. Malformed input
is a 422 with a Vietnamese message, never a 500.
"""

import json
import math
from datetime import date, datetime
from urllib.parse import urlencode

import pydantic
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Path, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate

from quantriet.core.api import MAX_ID, TAGS, Pages, TextIn

from . import checkin as codes
from . import services
from .access import access_conference, access_plan
from .models import CheckinOutcome, Conference, LevelDeadline, StudyPlan

router = Router(tags=[TAGS["study"]])

# ---------------------------------------------------------------- plans and conferences


class DeadlineOut(Schema):
    level: str
    level_label: str = Field(..., alias="get_level_display")
    deadline: date


class PlanOut(Schema):
    id: int
    title: str
    symbol: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    issuer_id: int
    issuer_name: str = Field(..., alias="issuer.name")
    published_at: datetime | None
    deadlines: list[DeadlineOut]
    documents: list[str] = Field(..., description="Số, ký hiệu các văn bản học tập")

    @staticmethod
    def resolve_deadlines(plan):
        return list(plan.deadlines.all())

    @staticmethod
    def resolve_documents(plan):
        return [document.symbol for document in plan.documents.all()]


class ConferenceOut(Schema):
    id: int
    plan_id: int
    title: str
    host_id: int
    host_code: str = Field(..., alias="host.code")
    host_name: str = Field(..., alias="host.name")
    starts_at: datetime
    ends_at: datetime
    duration_minutes: int
    format: str
    format_label: str = Field(..., alias="get_format_display")
    status: str = Field(..., description="Điều ban quản lý đã ghi nhận: `du_kien`, `da_to_chuc`, `huy`")
    status_label: str = Field(..., alias="get_status_display")
    phase: str = Field(
        ...,
        description="Trạng thái hiển thị (như trên các trang): `du_kien`, `dang_dien_ra`, `da_to_chuc`, "
        "`chua_ghi_nhan` (đã kết thúc, chưa ghi nhận), `huy`",
    )
    phase_label: str
    cancel_reason: str
    location: str
    covered_org_ids: list[int]

    @staticmethod
    def resolve_phase(conference):
        return conference.current_phase.value

    @staticmethod
    def resolve_phase_label(conference):
        return conference.current_phase.label

    @staticmethod
    def resolve_covered_org_ids(conference):
        return sorted(org.pk for org in conference.covered_orgs.all())


@router.get("/plans", response=list[PlanOut], summary="Kế hoạch học tập được xem (phân trang)")
@paginate(Pages, page_size=50)
def list_plans(request):
    """Kế hoạch đã ban hành của cấp mình và các cấp trên; bản nháp chỉ trong phạm vi được giao."""
    return (
        StudyPlan.objects.visible_to(request.user)
        .select_related("issuer")
        .prefetch_related(Prefetch("deadlines", LevelDeadline.objects.order_by("deadline", "level")), "documents")
        .order_by("-created_at", "-id")
    )


@router.get(
    "/plans/{plan_id}/conferences",
    response=list[ConferenceOut],
    summary="Các hội nghị của một kế hoạch trong phạm vi được xem (phân trang)",
)
@paginate(Pages, page_size=50)
def list_plan_conferences(request, plan_id: int = Path(..., ge=1, le=MAX_ID)):
    plan = access_plan(request.user, plan_id)
    return (
        Conference.objects.visible_to(request.user)
        .filter(plan=plan)
        .select_related("host")
        .prefetch_related("covered_orgs")
        .order_by("starts_at", "id")
    )


# ---------------------------------------------------------------- check-in


class CheckinCodeOut(Schema):
    code: str
    short_code: str = Field(
        ..., description="Mã số 6 chữ số của cùng chu kỳ, hiển thị dưới mã QR để gõ tay (nhận như `code` khi điểm danh)"
    )
    expires_in: int = Field(..., description="Số giây đến khi mã đổi (mã vừa đổi vẫn được nhận thêm một chu kỳ)")
    interval: int = Field(..., description="Chu kỳ đổi mã (giây)")
    checkin_url: str = Field(..., description="Địa chỉ trang điểm danh kèm mã, để hiển thị thành mã QR")


class Detail(Schema):
    detail: str


@router.get(
    "/conferences/{conference_id}/checkin-code",
    response={200: CheckinCodeOut, 403: Detail},
    summary="Mã điểm danh hiện hành (ban quản lý lớp học)",
    description=(
        "Chỉ ban quản lý lớp học: lãnh đạo, văn phòng, tuyên giáo cấp ủy (hoặc quản trị) của cấp tổ chức "
        "hội nghị, trưởng ban và thành viên ban quản lý lớp học. Người khác xem được hội nghị nhận 403; "
        "hội nghị ngoài phạm vi nhận 404."
    ),
)
def checkin_code(request, conference_id: int = Path(..., ge=1, le=MAX_ID)):
    conference = access_conference(request.user, conference_id, "conference.run")
    now = timezone.now()
    slot = codes.current_slot(conference, now)
    code = codes.make_code(conference, slot)
    turns_at = (slot + 1) * conference.checkin_interval
    path = f"{reverse('study:checkin', args=[conference.pk])}?{urlencode({'ma': code})}"
    return {
        "code": code,
        "short_code": codes.make_short_code(conference, slot),
        "expires_in": max(1, math.ceil(turns_at - now.timestamp())),
        "interval": conference.checkin_interval,
        "checkin_url": request.build_absolute_uri(path),
    }


class CheckinIn(TextIn):
    code: str = Field(
        ...,
        max_length=200,
        description="Mã đang hiển thị trên màn hình ban quản lý lớp học: mã đầy đủ trong mã QR, hoặc mã số 6 chữ số",
    )


class CheckinOut(Schema):
    outcome: str
    message: str
    checked_in_at: datetime
    status: str
    status_label: str


class CheckinRefusal(Schema):
    outcome: str
    message: str
    detail: str


#: HTTP status of each refused check-in: who you are (403), when (409), what code (422).
REFUSAL_STATUS = {
    CheckinOutcome.NOT_A_MEMBER: 403,
    CheckinOutcome.NOT_ON_ROSTER: 403,
    CheckinOutcome.EXPIRED: 409,
    CheckinOutcome.REPLAYED: 409,
    CheckinOutcome.OUT_OF_WINDOW: 409,
    CheckinOutcome.CANCELLED: 409,
    CheckinOutcome.TOO_MANY: 429,
    CheckinOutcome.FORGED: 422,
    CheckinOutcome.OTHER_CONFERENCE: 422,
}


CHECKIN_DESCRIPTION = """Điểm danh bằng mã của chính người gọi (mọi mã đảng viên trong thân yêu cầu bị bỏ qua).

`code` là mã đầy đủ trong mã QR hoặc mã số 6 chữ số hiển thị dưới mã QR (cùng chu kỳ, cùng các lý do từ chối).

Gọi lại nhiều lần cũng chỉ ghi một lần: lần sau trả 200 với `outcome` = `lap_lai` và giờ điểm danh đầu tiên.

| HTTP | outcome | nghĩa |
|---|---|---|
| 200 | `ok`, `lap_lai` | đã điểm danh (lần đầu / trước đó) |
| 403 | `khong_phai_dang_vien`, `khong_co_ten` | tài khoản không gắn đảng viên / không có tên trong danh sách |
| 409 | `het_han`, `dung_lai`, `ngoai_gio`, `da_huy` | mã hết hạn / mã cũ dùng lại / ngoài giờ / hội nghị đã hủy |
| 422 | `gia_mao`, `hoi_nghi_khac` | mã không hợp lệ (cả mã số 6 chữ số gõ sai) / mã của hội nghị khác |
| 429 | `sai_qua_nhieu` | đã nhập sai mã 5 lần trong 10 phút: chờ rồi thử lại |
| 404 | — | hội nghị không có hoặc ngoài phạm vi |
| 422 | — | thân yêu cầu sai dạng (`detail`, `errors`) |
"""


def _body_errors(errors, prefix=("body", "payload")):
    return [{**error, "loc": (*prefix, *error.get("loc", ()))} for error in errors]


def _read_checkin(request) -> CheckinIn:
    """The JSON body, parsed here so that unreadable JSON is a 422 in Vietnamese like any other bad input."""
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise ValidationError(_body_errors([{"type": "json_invalid", "loc": ()}])) from None
    if not isinstance(data, dict):
        raise ValidationError(_body_errors([{"type": "dict_type", "loc": ()}]))
    try:
        return CheckinIn.model_validate(data)
    except pydantic.ValidationError as error:
        raise ValidationError(_body_errors(error.errors(include_url=False, include_input=False))) from None


@router.post(
    "/conferences/{conference_id}/checkin",
    response={200: CheckinOut, frozenset({403, 409, 422, 429}): CheckinRefusal},
    summary="Điểm danh bằng mã",
    description=CHECKIN_DESCRIPTION,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": CheckinIn.model_json_schema()}},
        }
    },
)
def checkin(request, conference_id: int = Path(..., ge=1, le=MAX_ID)):
    payload = _read_checkin(request)
    conference = access_conference(request.user, conference_id)
    outcome, row = services.checkin(request.user, conference, payload.code)
    message = CheckinOutcome(outcome).label
    if row is None:
        refusal = {
            "outcome": outcome,
            "message": message,
            "detail": services.checkin_message(outcome, None, conference),
        }
        return Status(REFUSAL_STATUS.get(outcome, 409), refusal)
    return Status(
        200,
        {
            "outcome": outcome,
            "message": message,
            "checked_in_at": row.checked_in_at,
            "status": row.status,
            "status_label": row.get_status_display(),
        },
    )
