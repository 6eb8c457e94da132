"""Criteria sets (versioned by period) and the evaluations made with them.

A criteria set holds what `rules.Rules` needs, as rows an administrator can change when the guidance
changes: its groups and criteria with their maximum points and floors, its bands with their
thresholds and conditions, its quota. A set applies to members or to collectives (cells and
grassroots organisations) from `valid_from` until the next set of the same subject; an evaluation
keeps the set it was made with, so a later set never rewrites an earlier year.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone

from quantriet.core.models import DRAFT, WorkflowDocument
from quantriet.core.workflow import State, Transition, Workflow
from quantriet.org.models import Member, Organization, granted_paths, subtree_q

from . import rules


class Subject(models.TextChoices):
    MEMBER = "dang_vien", "Đảng viên"
    COLLECTIVE = "tap_the", "Tổ chức đảng (chi bộ, đảng bộ cơ sở)"


class CriteriaSetQuerySet(models.QuerySet):
    def in_force(self, subject: str, on):
        """The set of SUBJECT in force on date ON (the latest one started by then), or None."""
        started = self.filter(subject=subject, valid_from__lte=on).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )
        return started.order_by("-valid_from", "-pk").first()


class CriteriaSet(models.Model):
    subject = models.CharField("đối tượng", max_length=12, choices=Subject.choices)
    name = models.CharField("tên bộ tiêu chí", max_length=300)
    basis = models.CharField("căn cứ", max_length=300, help_text="Văn bản quy định, ví dụ Quy định 366-QĐ/TW")
    valid_from = models.DateField("áp dụng từ ngày")
    valid_to = models.DateField("đến ngày", null=True, blank=True)
    excellent_share = models.DecimalField(
        "tỷ lệ tối đa “hoàn thành xuất sắc” trên số “hoàn thành tốt” trở lên", max_digits=4, decimal_places=3,
        default=Decimal("0.2"),
    )  # fmt: skip
    heads_follow_unit = models.BooleanField(
        "người đứng đầu không xếp trên đơn vị xếp dưới “hoàn thành tốt”", default=True
    )
    #: A default of the developers, to be confirmed against the guidance in force (docs/evaluation.md).
    to_confirm = models.BooleanField("mặc định, cần xác nhận theo hướng dẫn hiện hành", default=True)

    objects = CriteriaSetQuerySet.as_manager()

    class Meta:
        verbose_name = "bộ tiêu chí đánh giá"
        verbose_name_plural = "bộ tiêu chí đánh giá"
        ordering = ["subject", "-valid_from"]

    def __str__(self):
        return f"{self.name} (từ {self.valid_from:%d/%m/%Y})"

    def rules(self) -> rules.Rules:
        groups = tuple(
            rules.Group(group.key, group.label, tuple(
                rules.Criterion(c.key, c.label, c.max_points, c.floor, c.study) for c in group.criteria.all()
            ))
            for group in self.groups.prefetch_related("criteria")
        )  # fmt: skip
        bands = tuple(
            rules.Band(b.code, b.label, b.min_points, b.needs_no_discipline, b.needs_floors) for b in self.bands.all()
        )
        return rules.Rules(groups, bands, self.excellent_share, self.heads_follow_unit)


class CriterionGroup(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="groups")
    order = models.PositiveSmallIntegerField("thứ tự")
    key = models.SlugField("mã", max_length=40)
    label = models.CharField("nhóm tiêu chí", max_length=300)

    class Meta:
        verbose_name = "nhóm tiêu chí"
        verbose_name_plural = "nhóm tiêu chí"
        ordering = ["criteria_set", "order"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "key"], name="group_key_per_set")]

    def __str__(self):
        return self.label


class Criterion(models.Model):
    group = models.ForeignKey(CriterionGroup, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField("thứ tự")
    key = models.SlugField("mã", max_length=40)
    label = models.CharField("tiêu chí", max_length=300)
    max_points = models.DecimalField("điểm tối đa", max_digits=5, decimal_places=2)
    floor = models.DecimalField("điểm sàn", max_digits=5, decimal_places=2, null=True, blank=True)
    study = models.BooleanField("tiêu chí học tập (hệ thống đề xuất điểm)", default=False)

    class Meta:
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        ordering = ["group", "order"]

    def __str__(self):
        return self.label


class Band(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="bands")
    order = models.PositiveSmallIntegerField("thứ tự (tốt nhất trước)")
    code = models.CharField("mã", max_length=20, choices=[(code, code) for code in rules.BAND_CODES])
    label = models.CharField("mức xếp loại", max_length=100)
    min_points = models.DecimalField("từ (điểm)", max_digits=5, decimal_places=2)
    needs_no_discipline = models.BooleanField("không bị kỷ luật trong kỳ", default=False)
    needs_floors = models.BooleanField("mọi tiêu chí đạt điểm sàn", default=False)

    class Meta:
        verbose_name = "mức xếp loại"
        verbose_name_plural = "mức xếp loại"
        ordering = ["criteria_set", "order"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="band_code_per_set")]

    def __str__(self):
        return self.label


# ---------------------------------------------------------------- evaluations

SELF_ASSESSED, REVIEWED, DECIDED = "self_assessed", "reviewed", "decided"


def evaluation_workflow() -> Workflow:
    """Tự đánh giá → chi bộ nhận xét → cấp ủy cơ sở quyết định (khóa); mở lại phải ghi lý do.

    The self-assessment is the member's own (or the committee's for a member without an account);
    the review is the cell's (its meeting's tallies are kept as numbers, never as who voted how);
    the decision is the grassroots committee's, with its number and date."""
    states = [
        State(DRAFT, "Đang tự đánh giá", editable=True),
        State(SELF_ASSESSED, "Đã tự đánh giá"),
        State(REVIEWED, "Chi bộ đã nhận xét"),
        State(DECIDED, "Đã quyết định"),
    ]
    transitions = [
        Transition("submit", (DRAFT,), SELF_ASSESSED, "evaluation.self", "Gửi bản tự đánh giá"),
        Transition("return", (SELF_ASSESSED,), DRAFT, "evaluation.review", "Trả lại để tự đánh giá lại",
                   needs_comment=True),
        Transition("review", (SELF_ASSESSED,), REVIEWED, "evaluation.review", "Ghi nhận xét của chi bộ"),
        Transition("decide", (REVIEWED,), DECIDED, "evaluation.decide", "Quyết định xếp loại"),
        Transition("reopen", (DECIDED,), REVIEWED, "evaluation.decide", "Mở lại để xem xét", needs_comment=True),
    ]  # fmt: skip
    return Workflow(states, transitions, edit_action="evaluation.self", comment_action="evaluation.review")


class EvaluationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The access gate: evaluations of the granted subtrees, and always one's own."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(subtree_q(granted_paths(user), "org__path") | Q(member__user=user))


class Evaluation(WorkflowDocument):
    """One year's evaluation of a member, or of a collective (a cell, a grassroots organisation)."""

    workflow = evaluation_workflow()

    year = models.PositiveSmallIntegerField("năm")
    subject = models.CharField("đối tượng", max_length=12, choices=Subject.choices)
    #: The member evaluated (None for a collective).
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="evaluations")
    #: The collective evaluated, or the member's cell when the evaluation began.
    org = models.ForeignKey(Organization, verbose_name="tổ chức", on_delete=models.PROTECT, related_name="+")
    #: Who decides: the grassroots organisation (the cell itself for a chi bộ cơ sở).
    deciding_org = models.ForeignKey(
        Organization, verbose_name="cấp ủy quyết định", on_delete=models.PROTECT, related_name="+"
    )
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="+")
    self_points = models.JSONField("điểm tự chấm", default=dict, blank=True)
    self_text = models.TextField("bản tự kiểm điểm", blank=True)
    #: The study criterion proposed from the records (evaluation.study.Proposal as JSON), when made.
    study_proposal = models.JSONField(default=dict, blank=True)
    review_points = models.JSONField("điểm chi bộ đánh giá", default=dict, blank=True)
    review_text = models.TextField("nhận xét của chi bộ", blank=True)
    #: Why the study criterion differs from the proposal (required when it does).
    study_reason = models.TextField("lý do điều chỉnh điểm học tập", blank=True)
    #: The cell meeting's tallies: band code → number of votes (never who voted how).
    tallies = models.JSONField("kết quả biểu quyết", default=dict, blank=True)
    #: The study criterion as the cell gave it and as the records proposed it, each as a share of
    #: the criterion's maximum (0–1), kept when the cell reviews so that summaries over a province
    #: read them in SQL rather than opening every evaluation's points.
    study_share = models.FloatField("điểm học tập chi bộ cho (tỷ lệ)", null=True, blank=True)
    study_proposed_share = models.FloatField("điểm học tập hệ thống đề xuất (tỷ lệ)", null=True, blank=True)
    disciplined = models.BooleanField("bị kỷ luật trong kỳ", default=False)
    total = models.DecimalField("tổng điểm", max_digits=6, decimal_places=2, null=True, blank=True)
    band = models.CharField("xếp loại", max_length=20, blank=True)
    decision_number = models.CharField("số quyết định", max_length=60, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = "đánh giá, xếp loại"
        verbose_name_plural = "đánh giá, xếp loại"
        constraints = [
            models.UniqueConstraint(fields=["year", "member"], condition=Q(member__isnull=False),
                                    name="one_evaluation_per_member_year"),
            models.UniqueConstraint(fields=["year", "org"], condition=Q(member__isnull=True),
                                    name="one_evaluation_per_collective_year"),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["year", "deciding_org", "state"]),
            # The summary groups a year's decided members by unit and band with their study shares
            # (selectors.evaluation_summary): read from this index alone, in its order, with no sort.
            models.Index(fields=["year", "state", "org", "band", "study_share", "study_proposed_share"],
                         condition=Q(member__isnull=False), name="evaluation_summary_idx"),
        ]  # fmt: skip

    def __str__(self):
        who = self.member.full_name if self.member_id else self.org.name
        return f"Đánh giá năm {self.year} — {who}"

    @property
    def band_label(self) -> str:
        return self.criteria_set.rules().band(self.band).label if self.band else ""
