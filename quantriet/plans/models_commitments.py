"""Yearly commitments (cam kết tu dưỡng, rèn luyện, phấn đấu) and personal action plans (kế hoạch
hành động cá nhân), Chỉ thị 28-CT/TU points 3 and 4.

A commitment is one member's for one year, under the four headings committees use; each heading is
one item (its content may list several points) with a mid-year and a year-end self-review against
it, then the cell secretary's (or the committee's) review of the whole. It stays with the cell the
member belonged to when it was written (``Commitment.cell``): a transfer does not move the record.
It is not a workflow document (core.workflow): nobody discusses or approves it collectively; its
states are the member's steps and the reviewer's.

Its copy check (plans.commitment_check) is stored on the row: the share copied, how, and from what
(a sample of the library, or another member's commitment — named to the reviewer only).

A personal action plan is one member's, for a study plan (implementing what it studies) or for a
year; each item is tied to the member's duty and, optionally, to a task of their unit's programme.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from quantriet.core.models import WebSample
from quantriet.org.models import Member, Organization, Position, Title, granted_q
from quantriet.originality.align import kind_label
from quantriet.study.models import StudyPlan

__all__ = [
    "HEADINGS",
    "Commitment",
    "CommitmentItem",
    "CommitmentState",
    "Heading",
    "ItemRating",
    "PersonalPlan",
    "PersonalPlanItem",
    "ReviewRating",
    "SampleCommitment",
]


class Heading(models.TextChoices):
    """The four headings of a yearly commitment, in the order committees print them."""

    POLITICS = "tu_tuong_chinh_tri", "Về tư tưởng chính trị"
    ETHICS = "dao_duc_loi_song", "Về đạo đức, lối sống"
    DUTIES = "thuc_hien_nhiem_vu", "Về thực hiện chức trách, nhiệm vụ được giao"
    HO_CHI_MINH = "hoc_tap_lam_theo_bac", "Về học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"


HEADINGS = [value for value, _ in Heading.choices]


class CommitmentState(models.TextChoices):
    DRAFT = "nhap", "Bản nháp"
    SUBMITTED = "da_dang_ky", "Đã đăng ký"
    REVIEWED = "da_nhan_xet", "Đã nhận xét"


class ItemRating(models.TextChoices):
    """A member's self-rating of one item, mid-year or at the year's end."""

    GOOD = "tot", "Thực hiện tốt"
    DONE = "dat", "Thực hiện đạt"
    NOT_DONE = "chua_dat", "Chưa đạt"


class ReviewRating(models.TextChoices):
    """The reviewer's rating of how the year's commitment was kept (the levels of the annual grading)."""

    EXCELLENT = "xuat_sac", "Hoàn thành xuất sắc"
    GOOD = "tot", "Hoàn thành tốt"
    DONE = "hoan_thanh", "Hoàn thành"
    NOT_DONE = "khong_hoan_thanh", "Không hoàn thành"


def secretary_cells(user) -> list[int]:
    """Ids of the cells whose secretary USER's member is today (they review that cell's commitments)."""
    member = getattr(user, "member", None)
    if member is None:
        return []
    return list(
        Position.objects.current().filter(member=member, title=Title.SECRETARY).values_list("org_id", flat=True)
    )


class CommitmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The gate: commitments of cells in the granted subtrees and of the cells USER is secretary
        of, and always one's own."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(granted_q(user, "cell__path") | Q(cell_id__in=secretary_cells(user)) | Q(member__user=user))


class Commitment(models.Model):
    member = models.ForeignKey(Member, verbose_name="đảng viên", on_delete=models.PROTECT, related_name="commitments")
    year = models.PositiveSmallIntegerField("năm")
    cell = models.ForeignKey(Organization, verbose_name="chi bộ", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        "trạng thái", max_length=12, choices=CommitmentState.choices, default=CommitmentState.DRAFT
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    #: The first submission: of two members with one text, the later is the one flagged.
    first_submitted_at = models.DateTimeField("đăng ký lần đầu", null=True, blank=True)
    submitted_at = models.DateTimeField("ngày đăng ký", null=True, blank=True)
    mid_reviewed_at = models.DateTimeField("tự đánh giá giữa năm lúc", null=True, blank=True)
    end_reviewed_at = models.DateTimeField("tự đánh giá cuối năm lúc", null=True, blank=True)
    # The reviewer's (cell secretary's) review.
    review = models.TextField("nhận xét của chi bộ", blank=True)
    review_rating = models.CharField("mức hoàn thành", max_length=20, choices=ReviewRating.choices, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người nhận xét", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    reviewed_on = models.DateField("ngày nhận xét", null=True, blank=True)
    #: Why a reviewer sent it back to be rewritten (shown to the member until resubmitted).
    returned_reason = models.TextField("lý do trả lại", blank=True)
    # The copy check (plans.commitment_check), stored; checked_at None: not checked yet.
    copied_share = models.FloatField("tỷ lệ sao chép", null=True, blank=True)
    copy_kind = models.CharField("cách chép", max_length=60, blank=True)
    #: What it copies, largest first: [{"type": "sample"|"commitment", "id": …, "share": 0–1, "kind": …}].
    copied_from = models.JSONField(default=list, blank=True)
    flagged = models.BooleanField("có dấu hiệu sao chép", default=False, db_index=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = "bản cam kết"
        verbose_name_plural = "bản cam kết"
        ordering = ["-year", "id"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="commitment_per_member_year")]
        indexes = [models.Index(fields=["year", "cell"])]

    def __str__(self):
        return f"Cam kết năm {self.year} của {self.member}"

    def get_absolute_url(self):
        return reverse("plans:commitment", args=[self.pk])

    def items_by_heading(self) -> list:
        """The items in heading order (a heading not written yet: an unsaved empty item)."""
        held = {item.heading: item for item in self.items.all()}
        return [held.get(heading) or CommitmentItem(commitment=self, heading=heading) for heading in HEADINGS]

    @property
    def copy_kind_text(self) -> str:
        return kind_label(self.copy_kind) if self.copy_kind else ""

    @property
    def copy_source_type(self) -> str:
        return self.copied_from[0]["type"] if self.copied_from else ""

    @property
    def flag_explanation(self) -> str:
        """Why the member's own commitment is flagged, without naming another member."""
        if not self.flagged:
            return ""
        share = round(100 * (self.copied_share or 0))
        how = f" ({self.copy_kind_text})" if self.copy_kind else ""
        if self.copy_source_type == "sample":
            return f"Khoảng {share}% nội dung trùng với một bản cam kết mẫu trên mạng{how}."
        return f"Khoảng {share}% nội dung trùng với bản cam kết của một đảng viên khác đã đăng ký trước{how}."


class CommitmentItem(models.Model):
    """One heading of a commitment: what the member commits to, and their self-reviews of it."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="items")
    heading = models.CharField("nội dung", max_length=24, choices=Heading.choices)
    content = models.TextField("cam kết", blank=True)
    mid_review = models.TextField("tự đánh giá giữa năm", blank=True)
    mid_rating = models.CharField("tự xếp loại giữa năm", max_length=10, choices=ItemRating.choices, blank=True)
    end_review = models.TextField("tự đánh giá cuối năm", blank=True)
    end_rating = models.CharField("tự xếp loại cuối năm", max_length=10, choices=ItemRating.choices, blank=True)

    class Meta:
        verbose_name = "nội dung cam kết"
        verbose_name_plural = "nội dung cam kết"
        constraints = [models.UniqueConstraint(fields=["commitment", "heading"], name="commitment_item_heading")]

    def __str__(self):
        return self.get_heading_display()

    @property
    def order(self) -> int:
        return HEADINGS.index(self.heading)


class SampleCommitment(WebSample):
    """A sample commitment found on the internet ("mẫu bản cam kết tu dưỡng, rèn luyện, phấn đấu")."""

    class Meta(WebSample.Meta):
        verbose_name = "bản cam kết mẫu trên mạng"
        verbose_name_plural = "bản cam kết mẫu trên mạng"


# ---------------------------------------------------------------- personal action plans


class PersonalPlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Personal plans of members of the granted subtrees, and always one's own."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(granted_q(user, "cell__path") | Q(member__user=user))


class PersonalPlan(models.Model):
    """A member's personal action plan, for a study plan or for a year (kế hoạch hành động cá nhân)."""

    member = models.ForeignKey(
        Member, verbose_name="đảng viên", on_delete=models.PROTECT, related_name="personal_plans"
    )
    cell = models.ForeignKey(Organization, verbose_name="chi bộ", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(
        StudyPlan, verbose_name="thực hiện kế hoạch học tập", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    year = models.PositiveSmallIntegerField("năm")
    title = models.CharField("tên kế hoạch", max_length=300)
    #: The positions the member held when writing it ("Bí thư Đảng ủy xã …"), as printed.
    duties = models.TextField("chức trách, nhiệm vụ", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PersonalPlanQuerySet.as_manager()

    class Meta:
        verbose_name = "kế hoạch hành động cá nhân"
        verbose_name_plural = "kế hoạch hành động cá nhân"
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "plan"], name="personal_plan_per_study_plan"),
            models.UniqueConstraint(
                fields=["member", "year"], condition=Q(plan__isnull=True), name="personal_plan_per_year"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:personal_plan", args=[self.pk])


class PersonalPlanItem(models.Model):
    """One thing the member will do: tied to their duty, and to a task of their unit's programme."""

    personal_plan = models.ForeignKey(PersonalPlan, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField("số thứ tự")
    content = models.TextField("việc sẽ làm")
    duty = models.CharField("gắn với chức trách", max_length=300, blank=True)
    task = models.ForeignKey(
        "plans.ProgrammeTask", verbose_name="nhiệm vụ của chương trình", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="personal_items",
    )  # fmt: skip
    deadline = models.DateField("thời hạn", null=True, blank=True)
    result = models.TextField("kết quả thực hiện", blank=True)
    done = models.BooleanField("đã hoàn thành", default=False)

    class Meta:
        verbose_name = "việc trong kế hoạch cá nhân"
        verbose_name_plural = "việc trong kế hoạch cá nhân"
        ordering = ["personal_plan", "number", "id"]

    def __str__(self):
        return f"{self.number}. {self.content[:60]}"
