"""API of the yearly evaluation: the band counts of an organisation and its children, and the
caller's own evaluations. The summary is for those who review the organisation's evaluations
(`evaluation.review`): out of scope 404, without the right 403."""

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from quantriet.core.api import MAX_ID, TAGS
from quantriet.org.models import Organization
from quantriet.org.policy import require

from . import selectors
from .models import Evaluation

router = Router(tags=[TAGS["evaluation"]])


class BandsOut(Schema):
    xuat_sac: int = Field(..., description="Hoàn thành xuất sắc nhiệm vụ")
    tot: int = Field(..., description="Hoàn thành tốt nhiệm vụ")
    hoan_thanh: int = Field(..., description="Hoàn thành nhiệm vụ")
    khong_hoan_thanh: int = Field(..., description="Không hoàn thành nhiệm vụ")


class SummaryRowOut(Schema):
    org_id: int
    org_name: str
    evaluated: int = Field(..., description="Số đảng viên đã được quyết định xếp loại trong năm (cả cây con)")
    bands: BandsOut


class SummaryOut(Schema):
    year: int
    org: SummaryRowOut
    children: list[SummaryRowOut]


class Detail(Schema):
    detail: str


@router.get(
    "/orgs/{org_id}/evaluation-summary",
    response={200: SummaryOut, 403: Detail, 404: Detail},
    summary="Kết quả xếp loại đảng viên của một tổ chức và các tổ chức trực thuộc trong năm",
    description="Đếm theo mức xếp loại các bản đánh giá đã được quyết định; cần quyền nhận xét, đánh giá của tổ chức.",
)
def evaluation_summary(
    request,
    org_id: int = Path(..., ge=1, le=MAX_ID),
    year: int | None = Query(None, ge=2000, le=2100),
):
    org = get_object_or_404(Organization.objects.visible_to(request.user), pk=org_id)
    require(request.user, "evaluation.review", org)
    year = year or timezone.localdate().year
    own, *children = (
        {"org_id": row.org.pk, "org_name": row.org.name, "evaluated": row.evaluated, "bands": row.bands}
        for row in selectors.evaluation_summary(org, year)
    )
    return {"year": year, "org": own, "children": children}


class MyEvaluationOut(Schema):
    id: int = Field(..., alias="pk")
    year: int
    status: str = Field(..., alias="state", description="draft, self_assessed, reviewed, decided")
    status_label: str = Field(..., alias="state_label")
    total: float | None = Field(..., description="Tổng điểm khi đã quyết định")
    band: str = Field(..., description="xuat_sac, tot, hoan_thanh, khong_hoan_thanh; rỗng khi chưa quyết định")
    band_label: str
    decision_number: str
    decision_date: datetime.date | None
    study_points: str | None = Field(..., description="Điểm học tập hệ thống đề xuất từ kết quả học tập")
    study_sources: list[str] = Field(..., description="Căn cứ của điểm đề xuất (vì sao cao, thấp)")

    @staticmethod
    def resolve_study_points(evaluation):
        return evaluation.study_proposal.get("points")

    @staticmethod
    def resolve_study_sources(evaluation):
        return [s["text"] for part in evaluation.study_proposal.get("parts", []) for s in part["sources"]]


@router.get("/me/evaluations", response=list[MyEvaluationOut], summary="Các bản đánh giá, xếp loại của tôi")
def my_evaluations(request):
    member = getattr(request.user, "member", None)
    if member is None:
        return []
    return list(Evaluation.objects.filter(member=member).select_related("criteria_set").order_by("-year"))
