"""API of yearly commitments: the caller's own (`/me/commitments`), read and written.

"Me" operations read and write the caller's own commitments only: anyone else's does not exist
for them (404). The copy check a member reads is their own: whether it is flagged, the share and
the kind of copying, and whether the source is a sample or another member's commitment — never
which member's, nor its text.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Path, Router, Schema, Status

from quantriet.core.api import TAGS, TextIn

from . import services_commitments as services
from .models_commitments import HEADINGS, Commitment, Heading

router = Router(tags=[TAGS["plans"]])


class CommitmentItemOut(Schema):
    heading: str = Field(..., description="Mã nội dung: " + ", ".join(HEADINGS))
    heading_text: str = Field(..., description="Tên nội dung (“Về tư tưởng chính trị”, …)")
    content: str = Field(..., description="Nội dung cam kết của đảng viên")
    mid_review: str = Field(..., description="Tự đánh giá giữa năm (rỗng khi chưa có)")
    mid_rating: str = Field(..., description="Tự xếp loại giữa năm: tot, dat, chua_dat (rỗng khi chưa có)")
    end_review: str = Field(..., description="Tự đánh giá cuối năm (rỗng khi chưa có)")
    end_rating: str = Field(..., description="Tự xếp loại cuối năm: tot, dat, chua_dat (rỗng khi chưa có)")

    @staticmethod
    def resolve_heading_text(item):
        return Heading(item.heading).label


class CommitmentReviewOut(Schema):
    text: str = Field(..., description="Nhận xét của chi bộ")
    rating: str = Field(..., description="Mức hoàn thành: xuat_sac, tot, hoan_thanh, khong_hoan_thanh")
    rating_text: str = Field(..., description="Mức hoàn thành bằng tiếng Việt")
    reviewed_on: date | None = Field(..., description="Ngày nhận xét")


class CommitmentOut(Schema):
    id: int
    year: int = Field(..., description="Năm của bản cam kết")
    cell: str = Field(..., description="Chi bộ khi viết bản cam kết")
    state: str = Field(
        ..., description="Trạng thái: nhap (bản nháp), da_dang_ky (đã đăng ký), da_nhan_xet (đã nhận xét)"
    )
    state_text: str = Field(..., description="Trạng thái bằng tiếng Việt")
    submitted_at: datetime | None = Field(..., description="Lúc đăng ký (null khi còn nháp)")
    returned_reason: str = Field(..., description="Lý do chi bộ trả lại để viết lại (rỗng nếu không)")
    items: list[CommitmentItemOut] = Field(..., description="Bốn nội dung cam kết, theo thứ tự in")
    review: CommitmentReviewOut | None = Field(..., description="Nhận xét của chi bộ (null khi chưa nhận xét)")
    flagged: bool = Field(..., description="Có dấu hiệu sao chép (bản mẫu trên mạng hoặc bản của đảng viên khác)")
    copied_share: float | None = Field(..., description="Tỷ lệ nội dung trùng (0–1; null khi chưa kiểm tra)")
    copying_text: str = Field(..., description="Cách chép bằng tiếng Việt (chép nguyên văn, gõ không dấu, …)")
    copied_from: str = Field(
        ...,
        description="Nguồn trùng: sample (bản mẫu trên mạng), commitment (bản của đảng viên khác, không nêu tên), rỗng",
    )
    explanation: str = Field(..., description="Giải thích một dòng vì sao bản bị đánh dấu (rỗng khi không)")

    @staticmethod
    def resolve_cell(commitment):
        return commitment.cell.name

    @staticmethod
    def resolve_state_text(commitment):
        return commitment.get_state_display()

    @staticmethod
    def resolve_items(commitment):
        return [item for item in commitment.items_by_heading()]

    @staticmethod
    def resolve_review(commitment):
        if not commitment.review_rating:
            return None
        return {
            "text": commitment.review,
            "rating": commitment.review_rating,
            "rating_text": commitment.get_review_rating_display(),
            "reviewed_on": commitment.reviewed_on,
        }

    @staticmethod
    def resolve_copying_text(commitment):
        return commitment.copy_kind_text

    @staticmethod
    def resolve_copied_from(commitment):
        return commitment.copy_source_type if commitment.flagged else ""

    @staticmethod
    def resolve_explanation(commitment):
        return commitment.flag_explanation


class CommitmentIn(TextIn):
    tu_tuong_chinh_tri: str = Field("", max_length=services.MAX_TEXT, description=Heading.POLITICS.label)
    dao_duc_loi_song: str = Field("", max_length=services.MAX_TEXT, description=Heading.ETHICS.label)
    thuc_hien_nhiem_vu: str = Field("", max_length=services.MAX_TEXT, description=Heading.DUTIES.label)
    hoc_tap_lam_theo_bac: str = Field("", max_length=services.MAX_TEXT, description=Heading.HO_CHI_MINH.label)
    submit: bool = Field(False, description="Đăng ký luôn sau khi lưu (kiểm tra trùng lặp; sau đó không sửa được)")


class Detail(Schema):
    detail: str


def _mine(request):
    return Commitment.objects.filter(member__user=request.user).select_related("cell").prefetch_related("items")


@router.get(
    "/me/commitments",
    response=list[CommitmentOut],
    summary="Bản cam kết tu dưỡng, rèn luyện của tôi (mọi năm)",
    description="Chỉ bản của chính người gọi, năm mới nhất trước; tài khoản không gắn đảng viên nhận danh sách rỗng.",
)
def my_commitments(request):
    return list(_mine(request).order_by("-year"))


@router.put(
    "/me/commitments/{year}",
    response={200: CommitmentOut, frozenset({403, 409, 422}): Detail},
    summary="Viết (lưu nháp) và đăng ký bản cam kết của tôi cho một năm",
    description=(
        "Lưu nội dung từng phần (chỉ khi còn là bản nháp); `submit: true` đăng ký luôn. 403: tài khoản không gắn "
        "đảng viên; 409: bản đã đăng ký, hoặc năm không còn viết được; 422: nội dung thiếu hoặc quá dài."
    ),
)
def write_my_commitment(request, payload: CommitmentIn, year: int = Path(..., ge=2000, le=2100)):
    member = getattr(request.user, "member", None)
    if member is None:
        raise PermissionDenied("Tài khoản của đồng chí không gắn với hồ sơ đảng viên nào, nên không có bản cam kết.")
    contents = {heading: getattr(payload, heading) for heading in HEADINGS}
    held = Commitment.objects.filter(member=member, year=year).first()
    if (held is not None and held.state != "nhap") or (held is None and year not in services.writable_years()):
        detail = "Bản cam kết đã đăng ký." if held is not None else "Năm này không còn viết được bản cam kết."
        return Status(409, {"detail": detail})
    try:
        commitment = services.commitment_save(request.user, member, year, contents)
        if payload.submit:
            commitment = services.commitment_submit(request.user, commitment)
    except ValidationError as error:
        return Status(422, {"detail": " ".join(error.messages)})
    return Status(200, _mine(request).get(pk=commitment.pk))
