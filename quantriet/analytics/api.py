"""API of the fidelity rollups: one organisation's row and its children's rows."""

from datetime import date, datetime

from ninja import Field, Path, Query, Router, Schema, Status

from quantriet.core.api import MAX_ID, TAGS

from .access import access_fidelity_org, access_fidelity_plan
from .components import LABELS, STATES
from .models import FidelityScore

router = Router(tags=[TAGS["fidelity"]])


class HeadOut(Schema):
    id: int
    full_name: str


class FidelityRowOut(Schema):
    org_id: int
    org_code: str = Field(..., alias="org.code")
    org_name: str = Field(..., alias="org.name")
    level: str
    index: float | None = Field(..., description="Chỉ số làm kỹ 0–100 (None: chưa đủ dữ liệu để đánh giá)")
    parent_index: float | None
    decay: float | None = Field(..., description="Số điểm thấp hơn cấp trên (dương: yếu hơn cấp trên)")
    lam_luot: bool = Field(..., description="Gắn cờ làm lướt; luôn false với đơn vị chưa đến hạn")
    state: str = Field(
        ...,
        description=(
            "Tình trạng hội nghị của đơn vị: da_to_chuc (đã tổ chức), chua_den_han (chưa tổ chức, chưa qua hạn: "
            "không có chỉ số, không có cờ, số liệu đảng viên tạm tính), qua_han (quá hạn chưa tổ chức), "
            "chuỗi rỗng (không có nhiệm vụ tổ chức)"
        ),
    )
    state_label: str
    flags: list[str]
    flag_labels: list[str]
    components: dict[str, float | None] = Field(..., description="Từng thành phần 0–1")
    component_labels: dict[str, str]
    head: HeadOut | None
    deadline: date | None
    held_on: date | None
    members: int
    attended: int
    refreshed_at: datetime

    @staticmethod
    def resolve_state_label(row):
        return STATES.get(row.state, "")

    @staticmethod
    def resolve_component_labels(row):
        return {key: LABELS[key] for key in row.components if key in LABELS}


class FidelityOut(Schema):
    plan_id: int
    org: FidelityRowOut
    children: list[FidelityRowOut]


class Detail(Schema):
    detail: str


@router.get(
    "/plans/{plan_id}/fidelity",
    response={200: FidelityOut, 403: Detail, 404: Detail},
    summary="Chỉ số làm kỹ của một tổ chức và các tổ chức trực thuộc",
    description=(
        "Lãnh đạo, văn phòng, tuyên giáo, kiểm tra cấp ủy (hoặc quản trị) xem được tổ chức trong phạm vi "
        "được giao; bỏ `org` thì lấy cấp cao nhất được giao trong kế hoạch. Ngoài phạm vi: 404."
    ),
)
def plan_fidelity(
    request,
    plan_id: int = Path(..., ge=1, le=MAX_ID),
    org: int | None = Query(None, ge=1, le=MAX_ID),
):
    plan = access_fidelity_plan(request.user, plan_id)
    organisation = access_fidelity_org(request.user, plan, org)
    rows = FidelityScore.objects.filter(plan=plan).select_related("org", "head")
    own = rows.filter(org=organisation).first()
    if own is None:
        return Status(404, {"detail": "Chưa có số liệu chỉ số làm kỹ của tổ chức này trong kế hoạch."})
    return {"plan_id": plan.pk, "org": own, "children": list(rows.filter(parent_org=organisation).order_by("path"))}
