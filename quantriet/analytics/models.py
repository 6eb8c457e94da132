"""Fidelity rollups: one row per (plan, organisation), refreshed by `rollup.py`, read by every page.

A row holds the member figures of the organisation's whole subtree (additive counts), the facts
of the conference that fulfilled its obligation, the components and the composite index, and the
decay against its parent's row. Pages and the API read these rows only, never raw attendance.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from quantriet.org.models import CELL_KINDS, Member, Organization
from quantriet.study.models import Conference, Level, PlanStatus, StudyPlan

from .components import DEFAULT_WEIGHTS, FLAGS, NOT_DUE, STATES, Settings


class FidelityConfig(models.Model):
    """Weights and thresholds of a plan's index, set by its propaganda department."""

    plan = models.OneToOneField(StudyPlan, on_delete=models.CASCADE, related_name="fidelity_config")
    weights = models.JSONField("trọng số", default=dict)
    margin = models.FloatField("thấp hơn cấp trên quá (điểm) thì gắn cờ làm lướt", default=15)
    floor = models.FloatField("chỉ số dưới mức này thì gắn cờ làm lướt", default=50)
    escalate_after_days = models.PositiveSmallIntegerField(
        "báo lên cấp trên khi nhiệm vụ quá hạn quá (ngày)",
        default=7,
        help_text="Nhiệm vụ quá hạn quá số ngày này thì hiện trong việc cần làm của cấp trên.",
    )
    recipients = models.JSONField(
        "nơi nhận báo cáo theo cấp",
        default=dict,
        blank=True,
        help_text="Cấp (Level) → các dòng “Nơi nhận:” của báo cáo do tổ chức ở cấp đó ban hành; thiếu: mặc định.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "cấu hình chỉ số làm kỹ"
        verbose_name_plural = "cấu hình chỉ số làm kỹ"

    def __str__(self):
        return f"Cấu hình chỉ số — {self.plan}"

    def as_settings(self) -> Settings:
        return Settings(
            weights={**DEFAULT_WEIGHTS, **self.weights},
            margin=self.margin,
            floor=self.floor,
            recipients=dict(self.recipients),
            escalate_after_days=self.escalate_after_days,
        )


def plan_settings(plan: StudyPlan, today) -> Settings:
    config = FidelityConfig.objects.filter(plan=plan).first()
    settings = config.as_settings() if config else Settings()
    deadline = plan.essay_deadline
    settings.essays_due = plan.status == PlanStatus.CLOSED or (deadline is not None and deadline < today)
    return settings


class FidelityRun(models.Model):
    """How far a plan's rows are current: every change before ``checked_at`` is in them."""

    plan = models.OneToOneField(StudyPlan, on_delete=models.CASCADE, related_name="fidelity_run")
    checked_at = models.DateTimeField()
    plan_status = models.CharField(max_length=10, choices=PlanStatus.choices)

    class Meta:
        verbose_name = "lần cập nhật chỉ số"
        verbose_name_plural = "lần cập nhật chỉ số"

    def __str__(self):
        return f"{self.plan} — {self.checked_at:%d/%m/%Y %H:%M}"


class FidelityScore(models.Model):
    # The indexes below lead with the plan; a refresh writes a quarter of a million rows, and each
    # index and each reference checked at commit costs it seconds. The parent, the head and the
    # conference are derived references, rewritten by every refresh: the database does not check
    # them (deleting one through the ORM still clears it here).
    plan = models.ForeignKey(StudyPlan, on_delete=models.CASCADE, related_name="fidelity_scores", db_index=False)
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    parent_org = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    path = models.CharField(max_length=255, help_text="The organisation's tree path when refreshed.")
    depth = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=12, choices=Level.choices, blank=True)
    head = models.ForeignKey(
        Member,
        verbose_name="người chịu trách nhiệm",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    # The conference that fulfilled the obligation (possibly an ancestor's) and its facts.
    conference = models.ForeignKey(
        Conference, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    inherited = models.BooleanField("học chung hội nghị cấp trên", default=False)
    deadline = models.DateField(null=True, blank=True)
    held_on = models.DateField(null=True, blank=True)
    parent_held_on = models.DateField(null=True, blank=True)
    chaired_by_secretary = models.BooleanField(default=False)
    presented_by_secretary = models.BooleanField(default=False)
    local_words = models.PositiveIntegerField(default=0)
    local_copied = models.BooleanField(default=False)
    duration = models.PositiveIntegerField(null=True, blank=True)
    parent_duration = models.PositiveIntegerField(null=True, blank=True)
    # Member figures of the whole subtree (see components.Counts).
    members = models.PositiveIntegerField(default=0)
    expected = models.PositiveIntegerField(default=0)
    attended = models.PositiveIntegerField(default=0)
    unexcused = models.PositiveIntegerField(default=0)
    writers = models.PositiveIntegerField(default=0)
    submitted = models.PositiveIntegerField(default=0)
    graded = models.PositiveIntegerField(default=0)
    grade_pct_sum = models.FloatField(default=0)
    checked = models.PositiveIntegerField(default=0)
    independent = models.PositiveIntegerField(default=0)
    takers = models.PositiveIntegerField(default=0)
    took = models.PositiveIntegerField(default=0)
    quiz_pct_sum = models.FloatField(default=0)
    passed = models.PositiveIntegerField(default=0)
    # Results.
    state = models.CharField(
        "tình trạng",
        max_length=12,
        choices=[(key, label) for key, label in STATES.items() if key],
        blank=True,
        help_text="chua_den_han: chưa tổ chức, chưa qua hạn — không chấm chỉ số, không gắn cờ.",
    )
    components = models.JSONField(default=dict)
    #: The flags of the organisation's own action programme (plans.concreteness.FLAGS), when judged.
    programme_flags = models.JSONField(default=list)
    index = models.FloatField("chỉ số làm kỹ", null=True, blank=True)
    parent_index = models.FloatField(null=True, blank=True)
    decay = models.FloatField("mức suy giảm so với cấp trên", null=True, blank=True)
    flags = models.JSONField(default=list)
    lam_luot = models.BooleanField("làm lướt", default=False)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "chỉ số làm kỹ"
        verbose_name_plural = "chỉ số làm kỹ"
        constraints = [models.UniqueConstraint(fields=["plan", "org"], name="fidelity_per_org")]
        indexes = [
            # A subtree is `path LIKE 'prefix%'`: under a collation other than C, PostgreSQL takes
            # such a prefix to a btree only with the pattern operator class (elsewhere it is ignored).
            models.Index(
                fields=["plan", "path"], name="fidelity_plan_path", opclasses=["int8_ops", "varchar_pattern_ops"]
            ),
            models.Index(fields=["plan", "parent_org"]),
            models.Index(fields=["plan", "lam_luot", "index"]),
            # The weakest-units table's default order, read a page at a time even for the country.
            models.Index(fields=["plan", "index", "path"], name="fidelity_weakest"),
        ]

    def __str__(self):
        return f"{self.org} — {self.index}"

    @property
    def is_cell(self) -> bool:
        return self.org.kind in CELL_KINDS

    @property
    def not_due(self) -> bool:
        """Not held and the deadline not passed: no index, no flags, member figures partial."""
        return self.state == NOT_DUE

    def state_label(self) -> str:
        return STATES.get(self.state, "")

    def flag_items(self) -> list[tuple[str, str]]:
        return [(flag, FLAGS[flag]) for flag in self.flags if flag in FLAGS]

    def flag_labels(self) -> list[str]:
        return [label for _, label in self.flag_items()]


class FidelitySummary(models.Model):
    """The counts the dashboard needs of a large subtree's rows (`summary.py`), kept by every refresh.

    One row per (plan, organisation) whose subtree holds at least `summary.STORED_FROM` rows: the
    country, a province, a big commune. The charts and the page count of the weakest-units table
    then read one row instead of aggregating up to a quarter of a million.
    """

    plan = models.ForeignKey(StudyPlan, on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=255, help_text="The organisation's tree path when refreshed.")
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = "tổng hợp chỉ số làm kỹ"
        verbose_name_plural = "tổng hợp chỉ số làm kỹ"
        constraints = [models.UniqueConstraint(fields=["plan", "org"], name="fidelity_summary_per_org")]

    def __str__(self):
        return f"Tổng hợp — {self.org}"
