import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone


class AuditEntry(models.Model):
    """Who changed what, when, with the state before and after."""

    at = models.DateTimeField("thời điểm", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField("thao tác", max_length=64, db_index=True)
    object_type = models.CharField("loại đối tượng", max_length=64)
    object_id = models.CharField("mã đối tượng", max_length=64, blank=True)
    object_repr = models.CharField("đối tượng", max_length=255, blank=True)
    before = models.JSONField("trước", null=True, blank=True)
    after = models.JSONField("sau", null=True, blank=True)

    class Meta:
        verbose_name = "nhật ký thay đổi"
        verbose_name_plural = "nhật ký thay đổi"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_repr}"


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def live(self, raw: str):
        """The unexpired token RAW of an active user, with the user.

        Not joined with the member record: with millions of members, most without an account,
        PostgreSQL misjudges that outer join and scans the whole table (1.3 s a request in
        `fidelity_national`); callers prefetch the member by its unique user index instead."""
        return self.select_related("user").filter(
            key_hash=_hash_token(raw), expires_at__gt=timezone.now(), user__is_active=True
        )


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "mã truy cập API"
        verbose_name_plural = "mã truy cập API"

    def __str__(self):
        return f"{self.user} đến {self.expires_at:%d/%m/%Y}"

    @classmethod
    def create_for(cls, user) -> tuple["ApiToken", str]:
        """A new token of USER, and its raw value (shown once, never stored)."""
        raw = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            key_hash=_hash_token(raw),
            expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
        )
        return token, raw

    @classmethod
    def issue(cls, user) -> str:
        return cls.create_for(user)[1]


class Notification(models.Model):
    """An in-app message, e.g. an overdue reminder."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at"]

    def __str__(self):
        return self.text


class WebSample(models.Model):
    """A sample text found on the internet (a sample essay, a sample commitment) that the propaganda
    department keeps, so that copies of it are recognised; the concrete model names what it is."""

    title = models.CharField("tiêu đề", max_length=300)
    text = models.TextField("nội dung")
    source_url = models.URLField("nguồn (địa chỉ trên mạng)", max_length=1000, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người đưa lên", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("ngày đưa lên", default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class StoredFile(models.Model):
    """An uploaded .pdf or .docx with its extracted text (see core.files.store_upload)."""

    name = models.CharField("tên tệp", max_length=255)
    size = models.PositiveIntegerField("dung lượng")
    text = models.TextField("nội dung trích xuất", blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name


#: A running job that has not written for this long has probably lost its worker (see Job.stale).
JOB_STALE_AFTER = timedelta(minutes=15)


def queue_warning_after() -> timedelta:
    """How long a job may wait for a worker before its page and the admin warn (configurable)."""
    return timedelta(minutes=settings.JOB_QUEUE_WARNING_MINUTES)


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang chạy"
    DONE = "done", "Hoàn tất"
    FAILED = "failed", "Thất bại"


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The access gate for jobs: one's own, and every job for a superuser."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(created_by=user)

    def unfinished(self):
        return self.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])


class Job(models.Model):
    """A piece of background work and its progress, shown at /viec-nen/<id>/ (see core.jobs)."""

    #: What kind of work, e.g. "essays.rescan"; with KEY, what it is about, e.g. "plan:12".
    kind = models.CharField("loại việc", max_length=60)
    key = models.CharField("đối tượng", max_length=100, blank=True)
    label = models.CharField("tên việc", max_length=300)
    status = models.CharField("trạng thái", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField("đã xong", default=0)
    total = models.PositiveIntegerField("tổng số", default=0)
    result = models.JSONField("kết quả", default=dict, blank=True)
    error = models.TextField("lỗi", blank=True)
    #: The input of the work when it is a file (an uploaded roster): it travels in the database so
    #: that any worker on any machine can pick the job up, and is emptied once the job has ended.
    payload = models.BinaryField("dữ liệu đầu vào", blank=True, default=b"", editable=False)
    payload_name = models.CharField("tên tệp đầu vào", max_length=255, blank=True)
    #: Where the job page links back to (a path inside the site), e.g. the board the job started from.
    back_url = models.CharField("trang quay lại", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tạo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    started_at = models.DateTimeField("bắt đầu lúc", null=True, blank=True)
    finished_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)
    #: Last write of the job (progress included): a running job silent for long has lost its worker.
    updated_at = models.DateTimeField("cập nhật lúc", default=timezone.now)
    #: The task doing the work (`core.jobs.job_enqueue`): its id in the task backend, and the call
    #: itself ({"path", "args", "kwargs"}) so that the work can be run again (`core.workers`).
    task_id = models.CharField("mã tác vụ", max_length=64, blank=True, db_index=True)
    task_call = models.JSONField("lời gọi tác vụ", default=dict, blank=True, editable=False)
    #: How many times the work was started again from the beginning because its worker died.
    restarts = models.PositiveSmallIntegerField("số lần chạy lại", default=0)
    #: Failed because its worker died (not because of the work): its creator may run it again.
    resumable = models.BooleanField("chạy lại được", default=False)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "việc nền"
        verbose_name_plural = "việc nền"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "key", "status"])]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("core:job", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return min(100, int(100 * self.done / self.total)) if self.total else 0

    def rerun_allowed(self, user) -> bool:
        """Whether USER may start this job again ("Chạy lại"): its creator, as the work runs in their
        name; a superuser for a job without a creator (started from the command line)."""
        if self.created_by_id is not None:
            return self.created_by_id == user.pk
        return bool(getattr(user, "is_superuser", False))

    @property
    def stale(self) -> bool:
        """Queued for longer than the warning delay (`queue_warning_after`), or running and silent
        for longer than JOB_STALE_AFTER: the worker may be gone."""
        if self.status == JobStatus.QUEUED and timezone.now() - self.created_at > queue_warning_after():
            return True
        return not self.finished and timezone.now() - self.updated_at > JOB_STALE_AFTER


class WorkerBeat(models.Model):
    """The last sign of life of one task worker (`manage.py db_worker`), written every
    WORKER_HEARTBEAT_SECONDS: a task still running under a worker silent for WORKER_DEAD_SECONDS
    was left by a dead worker (`core.workers`)."""

    worker_id = models.CharField("mã tiến trình", max_length=64, unique=True)
    host = models.CharField("máy", max_length=255)
    pid = models.PositiveIntegerField("mã tiến trình hệ điều hành")
    started_at = models.DateTimeField("khởi động lúc", default=timezone.now)
    seen_at = models.DateTimeField("tín hiệu cuối lúc", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "tiến trình nền"
        verbose_name_plural = "tiến trình nền"
        ordering = ["-seen_at"]

    def __str__(self):
        return f"{self.host} (pid {self.pid})"


#: The state every workflow document starts in ("bản dự thảo"); see core.workflow.
DRAFT = "draft"
#: The columns that only core.workflow writes, with a conditional UPDATE (never `save()`).
WORKFLOW_FIELDS = ("state", "version")


class WorkflowDocument(models.Model):
    """A document that goes through a workflow (core.workflow): drafted, discussed, approved, in
    force, revised. The concrete model sets `workflow` (a core.workflow.Workflow).

    `state` and `version` change only through core.workflow: `save()` on an existing row leaves
    them alone, so a form saved from a copy loaded before someone approved the document cannot
    put it back into draft.
    """

    state = models.CharField("trạng thái", max_length=30, default=DRAFT, db_index=True)
    #: The number of the latest saved version (0: none yet); see core.workflow.version_save.
    version = models.PositiveIntegerField("phiên bản", default=0)
    comments = GenericRelation("core.WorkflowComment")
    versions = GenericRelation("core.WorkflowVersion")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = self._fields_outside_workflow()
        super().save(*args, **kwargs)

    @property
    def state_label(self) -> str:
        return self.workflow.state(self.state).label

    def _fields_outside_workflow(self) -> list[str]:
        deferred = self.get_deferred_fields()
        return [
            f.name
            for f in self._meta.concrete_fields
            if not f.primary_key and f.name not in WORKFLOW_FIELDS and f.attname not in deferred
        ]


class WorkflowRecord(models.Model):
    """What comments and versions share: the workflow document they belong to (any model)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    document = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True


class WorkflowComment(WorkflowRecord):
    """An opinion on a workflow document (góp ý), or the reason given with a transition."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người góp ý", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("thời điểm", default=timezone.now)
    text = models.TextField("nội dung")
    #: The version of the document the comment was written on.
    version = models.PositiveIntegerField("phiên bản")
    #: Which part of the document it is about, named by the app (e.g. "task:12"); blank: the whole.
    anchor = models.CharField("phần được góp ý", max_length=100, blank=True)
    #: The transition this comment was given with (e.g. the reason of "return"); blank: a plain comment.
    transition = models.CharField("thao tác kèm theo", max_length=30, blank=True)

    class Meta:
        verbose_name = "ý kiến góp ý"
        verbose_name_plural = "ý kiến góp ý"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.text[:80]


class WorkflowVersion(WorkflowRecord):
    """One saved version of a workflow document: its content and what changed since the previous one."""

    number = models.PositiveIntegerField("số phiên bản")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người lưu", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("thời điểm", default=timezone.now)
    summary = models.CharField("tóm tắt thay đổi", max_length=500, blank=True)
    #: The document's content as the app snapshots it (JSON-ready).
    content = models.JSONField("nội dung")
    #: [{"field": "tasks.3.deadline", "before": …, "after": …}] against the previous version.
    changes = models.JSONField("thay đổi", default=list)

    class Meta:
        verbose_name = "phiên bản văn bản"
        verbose_name_plural = "phiên bản văn bản"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "number"], name="workflow_version_unique")
        ]

    def __str__(self):
        return f"Phiên bản {self.number}"
