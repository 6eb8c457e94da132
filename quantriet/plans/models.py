"""Action programmes (chương trình hành động, kế hoạch thực hiện) and their tasks.

A programme is one organisation's for one study plan (so for the documents it studies), linked to
the programme of the organisation above for the same plan. It goes through the shared workflow
(core.workflow): bản dự thảo → lấy ý kiến → đã thông qua → đang thực hiện → đã tổng kết; its
content (title, preamble, tasks) is snapshotted as a version at every save, so what was changed
in response to a comment is kept. Its concreteness (plans.concreteness, stored by plans.check) is
kept on the row, so the tree, the API and the fidelity index read it without recomputing.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from quantriet.core.models import StoredFile, WorkflowDocument
from quantriet.core.workflow import APPROVED, IN_FORCE, document_workflow
from quantriet.org.models import Member, Organization, granted_paths, subtree_q
from quantriet.org.policy import VIEW
from quantriet.org.tree import ancestor_paths
from quantriet.study.models import StudyPlan

from .concreteness import FLAGS

#: States in which tasks are carried out and their progress reported.
RUNNING_STATES = (APPROVED, IN_FORCE)


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The access gate: programmes of the granted subtrees, and those a member works under —
        their own cell's and those of the levels above it (members comment on the drafts)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        member = getattr(user, "member", None)
        above = Q(org__path__in=ancestor_paths([member.cell.path])) if member is not None else Q(pk__in=[])
        return self.filter(subtree_q(granted_paths(user), "org__path") | above)


class Programme(WorkflowDocument):
    workflow = document_workflow(write="programme.write", approve="programme.approve", comment=VIEW)

    plan = models.ForeignKey(StudyPlan, verbose_name="kế hoạch học tập", on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey(Organization, verbose_name="tổ chức đảng", on_delete=models.PROTECT, related_name="+")
    #: The programme of the nearest organisation above with one for the same plan.
    parent = models.ForeignKey(
        "self", verbose_name="chương trình cấp trên", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="children",
    )  # fmt: skip
    symbol = models.CharField("số, ký hiệu", max_length=40, blank=True)
    title = models.CharField("tên chương trình", max_length=300)
    preamble = models.TextField("mục đích, yêu cầu, tình hình đơn vị", blank=True)
    approved_on = models.DateField("ngày thông qua", null=True, blank=True)
    approval_ref = models.CharField("nghị quyết, biên bản thông qua", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    #: When its content was saved or it moved in the workflow (the fidelity follower reads it).
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The concreteness check (plans.check), stored; None: not checked yet.
    concreteness = models.PositiveSmallIntegerField("mức độ cụ thể hóa", null=True, blank=True)
    copied_share = models.FloatField("tỷ lệ sao chép", null=True, blank=True)
    complete_share = models.FloatField("tỷ lệ nhiệm vụ đủ yếu tố", null=True, blank=True)
    local_share = models.FloatField("nội dung riêng của đơn vị", null=True, blank=True)
    own_share = models.FloatField("tỷ lệ nhiệm vụ do đơn vị chủ trì", null=True, blank=True)
    flags = models.JSONField("cảnh báo", default=list, blank=True)
    #: The programmes it copies from: [{"programme": id, "share": 0–1, "kind": "verbatim"}, …], largest first.
    copied_from = models.JSONField(default=list, blank=True)
    #: The unit's own names and figures found in what it did not copy.
    evidence = models.JSONField(default=list, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = "chương trình hành động"
        verbose_name_plural = "chương trình hành động"
        constraints = [models.UniqueConstraint(fields=["plan", "org"], name="programme_per_org")]
        indexes = [models.Index(fields=["plan", "parent"])]

    def __str__(self):
        return f"{self.title} — {self.org}"

    def get_absolute_url(self):
        return reverse("plans:programme", args=[self.pk])

    @property
    def running(self) -> bool:
        return self.state in RUNNING_STATES

    def flag_labels(self) -> list[str]:
        return [FLAGS[flag] for flag in self.flags if flag in FLAGS]


class TaskStatus(models.TextChoices):
    NOT_STARTED = "chua_thuc_hien", "Chưa thực hiện"
    IN_PROGRESS = "dang_thuc_hien", "Đang thực hiện"
    DONE = "hoan_thanh", "Hoàn thành"


class ProgrammeTask(models.Model):
    """One task of a programme: what, who leads it, by when, the product and a measurable indicator."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveSmallIntegerField("số thứ tự")
    content = models.TextField("nội dung nhiệm vụ")
    lead_org = models.ForeignKey(
        Organization, verbose_name="đơn vị chủ trì", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lead_person = models.ForeignKey(
        Member, verbose_name="người chủ trì", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    coordinating = models.CharField("đơn vị phối hợp", max_length=300, blank=True)
    starts_on = models.DateField("bắt đầu", null=True, blank=True)
    deadline = models.DateField("thời hạn", null=True, blank=True)
    product = models.CharField("sản phẩm", max_length=300, blank=True)
    indicator = models.CharField("chỉ tiêu đo lường", max_length=300, blank=True)
    target = models.DecimalField("chỉ tiêu", max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField("đơn vị tính", max_length=40, blank=True)
    budget = models.DecimalField("kinh phí (đồng)", max_digits=14, decimal_places=0, null=True, blank=True)
    status = models.CharField("tiến độ", max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    achieved = models.DecimalField("kết quả đạt được", max_digits=14, decimal_places=2, null=True, blank=True)
    updated_on = models.DateField("cập nhật ngày", null=True, blank=True)

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["programme", "number", "id"]
        indexes = [models.Index(fields=["deadline", "status"])]

    def __str__(self):
        return f"{self.number}. {self.content[:60]}"

    def overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return bool(self.deadline) and self.deadline < today and self.status != TaskStatus.DONE

    @property
    def progress(self) -> float | None:
        """The share of the target achieved (0–1), None without a target or a result."""
        if not self.target or self.achieved is None:
            return None
        return min(1.0, float(self.achieved / self.target))

    def lead_label(self) -> str:
        names = [self.lead_org.name if self.lead_org else "", self.lead_person.full_name if self.lead_person else ""]
        return " — ".join(name for name in names if name)


def approval_path(instance, filename):
    return f"programmes/{instance.programme_id}/{filename}"


class ProgrammeFile(StoredFile):
    """The resolution or minutes of the meeting that approved a programme (.pdf/.docx)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="files")
    file = models.FileField("tệp", upload_to=approval_path)

    class Meta:
        verbose_name = "tệp nghị quyết, biên bản"
        verbose_name_plural = "tệp nghị quyết, biên bản"


class ProgrammeReview(models.Model):
    """A sơ kết of a programme being carried out: the meeting that reviewed it halfway, and what it
    concluded (the final review is the workflow's "Tổng kết")."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField("ngày sơ kết")
    summary = models.TextField("kết quả sơ kết, việc cần điều chỉnh")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "sơ kết"
        verbose_name_plural = "sơ kết"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"Sơ kết {self.held_on:%d/%m/%Y} — {self.programme}"


def evidence_path(instance, filename):
    return f"programmes/{instance.update.task.programme_id}/{filename}"


class TaskUpdate(models.Model):
    """A report of progress on a task: the status, the result so far, a note, evidence files."""

    task = models.ForeignKey(ProgrammeTask, on_delete=models.CASCADE, related_name="updates")
    reported_on = models.DateField("ngày báo cáo", default=timezone.localdate)
    status = models.CharField("tiến độ", max_length=16, choices=TaskStatus.choices)
    achieved = models.DecimalField("kết quả đạt được", max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.TextField("nội dung báo cáo", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "báo cáo tiến độ"
        verbose_name_plural = "báo cáo tiến độ"
        ordering = ["-reported_on", "-id"]

    def __str__(self):
        return f"{self.task} — {self.reported_on:%d/%m/%Y}"


class TaskEvidence(StoredFile):
    """A file (.pdf/.docx) proving a task's progress: minutes, a report, a photo sheet."""

    update = models.ForeignKey(TaskUpdate, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("tệp", upload_to=evidence_path)

    class Meta:
        verbose_name = "minh chứng"
        verbose_name_plural = "minh chứng"


from .models_commitments import *  # noqa: E402, F403 (commitments and personal plans, in their own file)
