import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from quantriet.core.models import StoredFile
from quantriet.documents.models import Audience, Document
from quantriet.org.models import Member, Organization, OrgKind, granted_paths, granted_q, standing_paths, subtree_q
from quantriet.org.policy import can
from quantriet.org.tree import ancestor_paths

from .checkin import EARLY_MINUTES


class Level(models.TextChoices):
    """Levels of the cascade; each organisation kind belongs to one."""

    PROVINCE = "tinh", "Cấp tỉnh"
    UPPER = "tren_co_so", "Đảng bộ trực thuộc tỉnh (xã, phường, khối)"
    GRASSROOTS = "co_so", "Đảng bộ cơ sở, chi bộ cơ sở, đảng bộ bộ phận"
    CELL = "chi_bo", "Chi bộ trực thuộc"


LEVEL_OF_KIND = {
    OrgKind.TINH_UY: Level.PROVINCE,
    OrgKind.DANG_UY_XA: Level.UPPER,
    OrgKind.DANG_UY_KHOI: Level.UPPER,
    OrgKind.DANG_BO_CO_SO: Level.GRASSROOTS,
    OrgKind.CHI_BO_CO_SO: Level.GRASSROOTS,
    OrgKind.DANG_BO_BO_PHAN: Level.GRASSROOTS,
    OrgKind.CHI_BO: Level.CELL,
}
KINDS_OF_LEVEL = {level: [k for k, v in LEVEL_OF_KIND.items() if v == level] for level in Level}


class PlanStatus(models.TextChoices):
    DRAFT = "nhap", "Bản nháp"
    PUBLISHED = "ban_hanh", "Đã ban hành"
    CLOSED = "ket_thuc", "Đã kết thúc"


class StudyForm(models.TextChoices):
    STUDY = "quan_triet", "Học tập, quán triệt"
    DISSEMINATE = "pho_bien", "Phổ biến"


class EssayAudience(models.TextChoices):
    NONE = "", "Không yêu cầu"
    KEY_CADRES = "can_bo_chu_chot", "Cán bộ chủ chốt (người giữ chức vụ)"
    ALL_MEMBERS = "dang_vien", "Tất cả đảng viên dự học"


class StudyPlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Published plans issued at the user's levels or above; drafts only inside a granted subtree."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        inside = granted_q(user, "issuer__path")
        above = Q(issuer__path__in=ancestor_paths(standing_paths(user)))
        return self.filter(inside | (above & ~Q(status=PlanStatus.DRAFT)))


class StudyPlan(models.Model):
    """Kế hoạch học tập, quán triệt: what to study, who, by when, with what, at what cost."""

    issuer = models.ForeignKey(
        Organization, verbose_name="cấp ban hành", on_delete=models.PROTECT, related_name="study_plans"
    )
    symbol = models.CharField("số, ký hiệu kế hoạch", max_length=40, blank=True)
    title = models.CharField("tên kế hoạch", max_length=300)
    documents = models.ManyToManyField(Document, verbose_name="văn bản học tập", related_name="study_plans")
    form = models.CharField("hình thức", max_length=12, choices=StudyForm.choices, default=StudyForm.STUDY)
    purpose = models.TextField("mục đích, yêu cầu", blank=True)
    content = models.TextField("nội dung học tập, quán triệt", blank=True)
    audiences = models.JSONField("đối tượng", default=list)
    materials = models.TextField("tài liệu", blank=True)
    budget_amount = models.DecimalField("kinh phí (đồng)", max_digits=14, decimal_places=0, null=True, blank=True)
    budget_note = models.CharField("nguồn kinh phí", max_length=255, blank=True)
    essay_audience = models.CharField(
        "đối tượng viết thu hoạch",
        max_length=20,
        choices=EssayAudience.choices,
        blank=True,
        default=EssayAudience.ALL_MEMBERS,
    )
    essay_deadline = models.DateField("hạn nộp thu hoạch", null=True, blank=True)
    quiz_required = models.BooleanField("yêu cầu làm bài kiểm tra", default=False)
    status = models.CharField("trạng thái", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    published_at = models.DateTimeField("ngày ban hành", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = StudyPlanQuerySet.as_manager()

    class Meta:
        verbose_name = "kế hoạch học tập"
        verbose_name_plural = "kế hoạch học tập"
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("study:plan", args=[self.pk])

    def audience_labels(self):
        labels = dict(Audience.choices)
        return [labels.get(a, a) for a in self.audiences]


class LevelDeadline(models.Model):
    """The cascade schedule: by when each level must have held its conference."""

    plan = models.ForeignKey(StudyPlan, on_delete=models.CASCADE, related_name="deadlines")
    level = models.CharField("cấp", max_length=12, choices=Level.choices)
    deadline = models.DateField("hạn hoàn thành")

    class Meta:
        verbose_name = "thời hạn theo cấp"
        verbose_name_plural = "thời hạn theo cấp"
        ordering = ["deadline"]
        constraints = [models.UniqueConstraint(fields=["plan", "level"], name="deadline_per_level")]

    def __str__(self):
        return f"{self.get_level_display()}: {self.deadline:%d/%m/%Y}"


class ObligationStatus(models.TextChoices):
    ON_TIME = "dung_han", "Đã tổ chức đúng hạn"
    LATE = "tre_han", "Tổ chức trễ hạn"
    NOT_DUE = "chua_den_han", "Chưa đến hạn"
    OVERDUE = "qua_han", "Quá hạn, chưa tổ chức"


class ObligationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(org__in=Organization.objects.visible_to(user))

    def with_status(self, status, today=None):
        today = today or timezone.localdate()
        filters = {
            ObligationStatus.ON_TIME: Q(held_on__isnull=False, held_on__lte=models.F("deadline")),
            ObligationStatus.LATE: Q(held_on__isnull=False, held_on__gt=models.F("deadline")),
            ObligationStatus.NOT_DUE: Q(held_on__isnull=True, deadline__gte=today),
            ObligationStatus.OVERDUE: Q(held_on__isnull=True, deadline__lt=today),
        }
        return self.filter(filters[status])


class Obligation(models.Model):
    """One organisation's duty under a plan: hold its conference by the deadline, its head answerable."""

    plan = models.ForeignKey(StudyPlan, on_delete=models.CASCADE, related_name="obligations")
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="obligations")
    level = models.CharField(max_length=12, choices=Level.choices)
    deadline = models.DateField("hạn")
    head = models.ForeignKey(
        Member,
        verbose_name="người đứng đầu chịu trách nhiệm",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    conference = models.ForeignKey(
        "Conference", null=True, blank=True, on_delete=models.SET_NULL, related_name="fulfils"
    )
    held_on = models.DateField("ngày tổ chức", null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = ObligationQuerySet.as_manager()

    class Meta:
        verbose_name = "nhiệm vụ tổ chức học tập"
        verbose_name_plural = "nhiệm vụ tổ chức học tập"
        constraints = [models.UniqueConstraint(fields=["plan", "org"], name="obligation_per_org")]
        indexes = [models.Index(fields=["plan", "deadline"])]

    def __str__(self):
        return f"{self.org} — {self.plan}"

    def status(self, today=None):
        today = today or timezone.localdate()
        if self.held_on:
            return ObligationStatus.ON_TIME if self.held_on <= self.deadline else ObligationStatus.LATE
        return ObligationStatus.NOT_DUE if today <= self.deadline else ObligationStatus.OVERDUE

    def get_status_display(self):
        return ObligationStatus(self.status()).label


class ConferenceFormat(models.TextChoices):
    IN_PERSON = "truc_tiep", "Trực tiếp"
    ONLINE = "truc_tuyen", "Trực tuyến"
    HYBRID = "ket_hop", "Kết hợp trực tiếp và trực tuyến"


class ConferenceStatus(models.TextChoices):
    """What the board has recorded. What people see is `Conference.phase()`, which also reads the clock."""

    PLANNED = "du_kien", "Dự kiến"
    HELD = "da_to_chuc", "Đã tổ chức"
    CANCELLED = "huy", "Đã hủy"


class ConferencePhase(models.TextChoices):
    """The one status shown everywhere (list, page, "Học tập của tôi", API `phase`)."""

    PLANNED = "du_kien", "Dự kiến"
    LIVE = "dang_dien_ra", "Đang diễn ra"
    HELD = "da_to_chuc", "Đã tổ chức"
    #: Over, but nobody has recorded it as held: its obligations are not fulfilled yet.
    UNRECORDED = "chua_ghi_nhan", "Đã kết thúc, chưa ghi nhận đã tổ chức"
    CANCELLED = "huy", "Đã hủy"


class ConferenceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Conferences hosted or covered inside the user's scope, and those whose roster includes them."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        reach = Q(pk__in=[])
        member = getattr(user, "member", None)
        if member is not None:
            # Hosted by the member's cell, or covering it or a unit above it (a bridge point too).
            above_me = ancestor_paths([member.cell.path])
            reach = (
                Q(host_id=member.cell_id)
                | Q(covered_orgs__path__in=above_me)
                | Q(bridge_points__host__path__in=above_me)
            )
        granted = granted_paths(user)
        if granted:
            # Organization.visible_to's subtrees (its own-cell part is the member's case above),
            # spelled out so that a member without grants, checking in, gets a query without them.
            inside = Organization.objects.filter(subtree_q(granted))
            reach |= Q(host__in=inside) | Q(covered_orgs__in=inside) | Q(bridge_points__host__in=inside)
        return self.filter(pk__in=self.filter(reach).values("pk"))


class Conference(models.Model):
    """Hội nghị / lớp học tập, quán triệt for one or several organisations."""

    plan = models.ForeignKey(StudyPlan, on_delete=models.PROTECT, related_name="conferences")
    host = models.ForeignKey(
        Organization, verbose_name="cấp tổ chức", on_delete=models.PROTECT, related_name="hosted_conferences"
    )
    covered_orgs = models.ManyToManyField(Organization, verbose_name="các tổ chức tham gia", related_name="conferences")
    title = models.CharField("tên hội nghị", max_length=300)
    starts_at = models.DateTimeField("bắt đầu")
    duration_minutes = models.PositiveIntegerField("thời lượng (phút)", default=180)
    format = models.CharField(
        "hình thức", max_length=12, choices=ConferenceFormat.choices, default=ConferenceFormat.IN_PERSON
    )
    location = models.CharField("địa điểm", max_length=255, blank=True)
    chair = models.ForeignKey(
        Member,
        verbose_name="chủ trì",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chaired_conferences",
    )
    chair_reason = models.TextField("lý do bí thư không chủ trì", blank=True)
    presenters = models.ManyToManyField(
        Member, verbose_name="người trình bày", blank=True, related_name="presented_conferences"
    )
    presenter_reason = models.TextField("lý do bí thư không trực tiếp triển khai", blank=True)
    board_head = models.ForeignKey(
        Member,
        verbose_name="trưởng ban quản lý lớp học",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    board = models.ManyToManyField(
        Member, verbose_name="ban quản lý lớp học", blank=True, related_name="board_conferences"
    )
    board_reason = models.TextField("lý do phó bí thư thường trực không phụ trách ban quản lý", blank=True)
    local_context = models.TextField("liên hệ tình hình địa phương, đơn vị", blank=True)
    minutes = models.TextField("biên bản", blank=True)
    class_rules = models.TextField("quy chế lớp học", blank=True)
    status = models.CharField(
        "trạng thái", max_length=12, choices=ConferenceStatus.choices, default=ConferenceStatus.PLANNED
    )
    cancel_reason = models.TextField("lý do hủy", blank=True)
    cancelled_at = models.DateTimeField("ngày hủy", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    makeup_of = models.ForeignKey(
        "self",
        verbose_name="học bù cho hội nghị",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="makeups",
    )
    checkin_interval = models.PositiveIntegerField("đổi mã điểm danh sau (giây)", default=30)
    checkin_key = models.CharField(max_length=64, default=secrets.token_hex, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    #: Any change, holding it included; the fidelity rollups look for changes since their last run.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = ConferenceQuerySet.as_manager()

    class Meta:
        verbose_name = "hội nghị học tập"
        verbose_name_plural = "hội nghị học tập"
        ordering = ["-starts_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("study:conference", args=[self.pk])

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def is_run_by(self, user) -> bool:
        """The class board's right (`conference.run`): the host's committee by their grants, and the board itself."""
        return can(user, "conference.run", self.host) or self.has_on_board(user)

    def has_on_board(self, user) -> bool:
        """Whether USER's member record heads or sits on the class management board."""
        member = getattr(user, "member", None)
        if member is None:
            return False
        return self.board_head_id == member.pk or self.board.filter(pk=member.pk).exists()

    def checkin_open(self, at=None) -> bool:
        """Check-in is accepted from a little before the start until the end."""
        at = at or timezone.now()
        return self.starts_at - timedelta(minutes=EARLY_MINUTES) <= at <= self.ends_at

    def in_window(self, at=None):
        at = at or timezone.now()
        return self.starts_at <= at <= self.ends_at

    def phase(self, at=None) -> ConferencePhase:
        """Cancelled, else by the clock: before the start planned, between start and end live,
        after the end held if the board recorded it, else waiting to be recorded."""
        if self.status == ConferenceStatus.CANCELLED:
            return ConferencePhase.CANCELLED
        at = at or timezone.now()
        if at < self.starts_at:
            return ConferencePhase.PLANNED
        if at <= self.ends_at:
            return ConferencePhase.LIVE
        return ConferencePhase.HELD if self.status == ConferenceStatus.HELD else ConferencePhase.UNRECORDED

    @property
    def current_phase(self) -> ConferencePhase:
        """`phase()` now, for templates."""
        return self.phase()


class BridgePoint(models.Model):
    """Điểm cầu: a place where another organisation joins an online or hybrid conference."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="bridge_points")
    host = models.ForeignKey(
        Organization, verbose_name="đơn vị đầu cầu", on_delete=models.PROTECT, related_name="bridge_points"
    )
    place = models.CharField("địa điểm", max_length=255)
    expected = models.PositiveIntegerField("số dự kiến", default=0)
    actual = models.PositiveIntegerField("số thực tế", null=True, blank=True)

    class Meta:
        verbose_name = "điểm cầu"
        verbose_name_plural = "điểm cầu"

    def __str__(self):
        return f"{self.place} ({self.host})"


class AttendanceStatus(models.TextChoices):
    PRESENT = "co_mat", "Có mặt"
    LATE = "di_muon", "Đi muộn"
    LEFT_EARLY = "ve_som", "Về sớm"
    EXCUSED = "vang_co_ly_do", "Vắng có lý do"
    ABSENT = "vang_khong_ly_do", "Vắng không lý do"


ATTENDED = {AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY}


class AttendanceSource(models.TextChoices):
    QR = "qr", "Quét mã"
    BOARD = "ban_quan_ly", "Ban quản lý điểm danh"
    IMPORT = "nhap_tep", "Nhập từ tệp"


class Attendance(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField("tình trạng", max_length=20, choices=AttendanceStatus.choices)
    reason = models.CharField("lý do", max_length=255, blank=True)
    source = models.CharField("cách ghi nhận", max_length=12, choices=AttendanceSource.choices)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checkin_slot = models.BigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "điểm danh"
        verbose_name_plural = "điểm danh"
        constraints = [models.UniqueConstraint(fields=["conference", "member"], name="attendance_once")]
        indexes = [
            models.Index(fields=["conference", "checkin_slot"]),
            models.Index(fields=["updated_at"]),  # changes since the fidelity rollups' last run
        ]

    def __str__(self):
        return f"{self.member} — {self.get_status_display()}"


class CheckinOutcome(models.TextChoices):
    OK = "ok", "Đã điểm danh"
    AGAIN = "lap_lai", "Đã điểm danh trước đó"
    EXPIRED = "het_han", "Mã đã hết hạn"
    REPLAYED = "dung_lai", "Mã cũ bị dùng lại"
    FORGED = "gia_mao", "Mã không hợp lệ"
    OTHER_CONFERENCE = "hoi_nghi_khac", "Mã của hội nghị khác"
    OUT_OF_WINDOW = "ngoai_gio", "Ngoài thời gian hội nghị"
    NOT_ON_ROSTER = "khong_co_ten", "Không có tên trong danh sách"
    NOT_A_MEMBER = "khong_phai_dang_vien", "Tài khoản không gắn với đảng viên"
    TOO_MANY = "sai_qua_nhieu", "Nhập sai mã quá nhiều lần"
    CANCELLED = "da_huy", "Hội nghị đã hủy"


#: Refusals that count towards the limit of wrong codes (checkin.FAILURES_ALLOWED).
WRONG_CODE = {
    CheckinOutcome.EXPIRED,
    CheckinOutcome.REPLAYED,
    CheckinOutcome.FORGED,
    CheckinOutcome.OTHER_CONFERENCE,
}


class CheckinAttempt(models.Model):
    """Every check-in attempt, so the class board can see refused and suspicious ones."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="checkin_attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=24, choices=CheckinOutcome.choices)
    #: Typed as the six-digit code: only these count towards (and are stopped by) the limit of wrong codes.
    short_code = models.BooleanField(default=False)

    class Meta:
        verbose_name = "lượt điểm danh bằng mã"
        verbose_name_plural = "lượt điểm danh bằng mã"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} {self.get_outcome_display()}"


def conference_file_path(instance, filename):
    return f"conferences/{instance.conference_id}/{filename}"


class ConferenceAttachment(StoredFile):
    """Minutes, slides, a scanned attendance sheet (.pdf/.docx): files kept with a conference."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("tệp", upload_to=conference_file_path)

    class Meta:
        verbose_name = "tệp của hội nghị"
        verbose_name_plural = "tệp của hội nghị"
