"""API of action programmes: a plan's programmes for an organisation and its children, with their
concreteness (docs/programmes.md). Following them is `programme.follow` on the organisation (the
committee's leaders, office, propaganda and inspection): out of scope 404, without the right 403.
"""

from datetime import datetime

from ninja import Field, Path, Query, Router, Schema

from quantriet.core.api import MAX_ID, TAGS
from quantriet.study.access import access_plan, access_plan_org

from .models import Programme
from .selectors import programme_children

router = Router(tags=[TAGS["plans"]])


class CopiedFromOut(Schema):
    programme: int = Field(..., description="Mã chương trình bị chép")
    share: float = Field(..., description="Phần của chương trình này tìm thấy trong chương trình đó (0–1)")
    kind: str = Field(
        ..., description="Cách chép: verbatim, unaccented, glued, paraphrased, spliced… (nhiều cách nối bằng «_»)"
    )


class ProgrammeOut(Schema):
    programme_id: int = Field(..., alias="pk")
    org_id: int
    org_name: str = Field(..., alias="org.name")
    parent_programme_id: int | None = Field(..., alias="parent_id")
    title: str
    status: str = Field(
        ..., alias="state", description="draft, consultation, approved, in_force, concluded (bản dự thảo → đã tổng kết)"
    )
    status_label: str = Field(..., alias="state_label")
    concreteness: int | None = Field(..., description="Mức độ cụ thể hóa 0–100; null: chưa kiểm tra")
    copied_share: float | None = Field(..., description="Tỷ lệ sao chép của cấp trên và đơn vị khác (0–1)")
    complete_share: float | None = Field(..., description="Tỷ lệ nhiệm vụ đủ chủ trì, thời hạn, sản phẩm, chỉ tiêu")
    local_share: float | None = Field(..., description="Nội dung riêng của đơn vị (0–1)")
    own_share: float | None = Field(..., description="Tỷ lệ nhiệm vụ do đơn vị hoặc đơn vị trực thuộc chủ trì")
    flags: list[str] = Field(..., description="sao_chep (sao chép), chua_cu_the (chưa cụ thể hóa)")
    flag_labels: list[str]
    copied_from: list[CopiedFromOut]
    checked_at: datetime | None

    @staticmethod
    def resolve_flag_labels(programme):
        return programme.flag_labels()


class ProgrammesOut(Schema):
    plan_id: int
    org_id: int
    org_name: str
    org: ProgrammeOut | None = Field(..., description="Chương trình của chính tổ chức; null: chưa có")
    children: list[ProgrammeOut] = Field(..., description="Chương trình của các tổ chức trực thuộc")


class Detail(Schema):
    detail: str


@router.get(
    "/plans/{plan_id}/programmes",
    response={200: ProgrammesOut, 403: Detail, 404: Detail},
    summary="Chương trình hành động của một tổ chức và các tổ chức trực thuộc, với mức độ cụ thể hóa",
    description=(
        "Lãnh đạo, văn phòng, tuyên giáo, kiểm tra cấp ủy (hoặc quản trị) xem được tổ chức trong phạm vi "
        "được giao; bỏ `org` thì lấy cấp cao nhất được giao trong kế hoạch. Ngoài phạm vi: 404."
    ),
)
def plan_programmes(
    request,
    plan_id: int = Path(..., ge=1, le=MAX_ID),
    org: int | None = Query(None, ge=1, le=MAX_ID),
):
    plan = access_plan(request.user, plan_id)
    organisation = access_plan_org(request.user, plan, "programme.follow", org)
    own = Programme.objects.filter(plan=plan, org=organisation).select_related("org").first()
    return {
        "plan_id": plan.pk,
        "org_id": organisation.pk,
        "org_name": organisation.name,
        "org": own,
        "children": programme_children(plan, organisation, own),
    }
