"""Post-study essays (bài thu hoạch), their versions, the rubric of a plan and the grades.

An essay stays with the cell its member belonged to when it was submitted (``Essay.cell``), so
a later transfer does not move the record; the access gate reads that cell.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from quantriet.core.models import StoredFile, WebSample
from quantriet.org.models import Member, Organization, granted_q
from quantriet.originality.align import kind_label
from quantriet.study.models import StudyPlan

from .text import word_count


class EssaySource(models.TextChoices):
    TYPED = "go_truc_tiep", "Gõ trực tiếp"
    DOCX = "docx", "Tệp Word (.docx)"


class EssayQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Essays of cells in the user's granted subtrees, and always one's own."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(granted_q(user, "cell__path") | Q(member__user=user))

    def in_subtree(self, org):
        return self.filter(cell__path__startswith=org.path)


class Essay(models.Model):
    """One member's essay for one plan: the current text; every submission is an EssayVersion."""

    plan = models.ForeignKey(StudyPlan, verbose_name="kế hoạch", on_delete=models.PROTECT, related_name="essays")
    member = models.ForeignKey(Member, verbose_name="đảng viên", on_delete=models.PROTECT, related_name="essays")
    cell = models.ForeignKey(Organization, verbose_name="chi bộ", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("nội dung")
    source = models.CharField("cách nộp", max_length=16, choices=EssaySource.choices)
    submitted_at = models.DateTimeField("ngày nộp")
    late = models.BooleanField("nộp muộn", default=False)

    objects = EssayQuerySet.as_manager()

    class Meta:
        verbose_name = "bài thu hoạch"
        verbose_name_plural = "bài thu hoạch"
        ordering = ["-submitted_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["plan", "member"], name="essay_per_member")]
        indexes = [models.Index(fields=["plan", "cell"]), models.Index(fields=["plan", "submitted_at"])]

    def __str__(self):
        return f"Bài thu hoạch của {self.member} — {self.plan}"

    def get_absolute_url(self):
        return reverse("essays:essay", args=[self.pk])

    @property
    def words(self):
        return word_count(self.text)


def essay_file_path(instance, filename):
    return f"essays/{timezone.now():%Y/%m}/{filename}"


class EssayFile(StoredFile):
    """The .docx a member uploaded, kept as submitted."""

    file = models.FileField("tệp", upload_to=essay_file_path)

    class Meta:
        verbose_name = "tệp bài thu hoạch"
        verbose_name_plural = "tệp bài thu hoạch"


class EssayVersion(models.Model):
    """One submission of an essay; resubmitting adds a version and never overwrites one."""

    essay = models.ForeignKey(Essay, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("lần nộp")
    text = models.TextField("nội dung")
    source = models.CharField("cách nộp", max_length=16, choices=EssaySource.choices)
    upload = models.OneToOneField(EssayFile, null=True, blank=True, on_delete=models.PROTECT, related_name="version")
    submitted_at = models.DateTimeField("ngày nộp")
    late = models.BooleanField("nộp muộn", default=False)

    class Meta:
        verbose_name = "lần nộp bài thu hoạch"
        verbose_name_plural = "lần nộp bài thu hoạch"
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["essay", "number"], name="essay_version_number")]

    def __str__(self):
        return f"Lần {self.number}: {self.essay}"


class Rubric(models.Model):
    """How a plan's essays are graded: criteria with points, and bands by percentage of the maximum."""

    plan = models.OneToOneField(StudyPlan, on_delete=models.CASCADE, related_name="rubric")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "tiêu chí chấm"
        verbose_name_plural = "tiêu chí chấm"

    def __str__(self):
        return f"Tiêu chí chấm — {self.plan}"

    @property
    def max_total(self) -> Decimal:
        return sum((c.max_points for c in self.criteria.all()), Decimal(0))

    def band_for(self, total: Decimal) -> str:
        """The label of the highest band whose minimum percentage TOTAL reaches."""
        return band_label(total, self.max_total, self.bands.all())


def band_label(total: Decimal, maximum: Decimal, bands) -> str:
    """The label of the highest of BANDS whose minimum percentage of MAXIMUM the TOTAL reaches ("" if none)."""
    percent = Decimal(100) * total / maximum if maximum else Decimal(0)
    for band in sorted(bands, key=lambda b: b.min_percent, reverse=True):
        if percent >= band.min_percent:
            return band.label
    return ""


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField("tiêu chí", max_length=200)
    description = models.TextField("mô tả", blank=True)
    max_points = models.DecimalField("điểm tối đa", max_digits=5, decimal_places=1)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        ordering = ["order", "id"]
        constraints = [models.CheckConstraint(condition=Q(max_points__gt=0), name="criterion_max_positive")]

    def __str__(self):
        return self.name


class GradeBand(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="bands")
    label = models.CharField("xếp loại", max_length=40)
    min_percent = models.DecimalField("từ (% tổng điểm)", max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = "mức xếp loại"
        verbose_name_plural = "mức xếp loại"
        ordering = ["-min_percent"]
        constraints = [models.UniqueConstraint(fields=["rubric", "label"], name="band_label_once")]

    def __str__(self):
        return f"{self.label} (từ {self.min_percent}%)"


class Grade(models.Model):
    """The latest grade of an essay; earlier ones live in the audit log (before/after)."""

    essay = models.OneToOneField(Essay, on_delete=models.CASCADE, related_name="grade")
    grader = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    total = models.DecimalField("tổng điểm", max_digits=6, decimal_places=1)
    band = models.CharField("xếp loại", max_length=40, blank=True)
    comment = models.TextField("nhận xét", blank=True)
    graded_at = models.DateTimeField("ngày chấm", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "kết quả chấm"
        verbose_name_plural = "kết quả chấm"

    def __str__(self):
        return f"{self.total} — {self.band}"


class CriterionScore(models.Model):
    grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField("điểm", max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = "điểm theo tiêu chí"
        verbose_name_plural = "điểm theo tiêu chí"
        ordering = ["criterion__order", "criterion__id"]
        constraints = [models.UniqueConstraint(fields=["grade", "criterion"], name="score_per_criterion")]

    def __str__(self):
        return f"{self.criterion}: {self.points}"


# ---------------------------------------------------------------- originality (see originality.py)


class SampleEssay(WebSample):
    """A sample essay found on the internet ("mẫu bài thu hoạch"), collected by the propaganda staff."""

    class Meta(WebSample.Meta):
        verbose_name = "bài thu hoạch mẫu trên mạng"
        verbose_name_plural = "bài thu hoạch mẫu trên mạng"


class VerdictLabel(models.TextChoices):
    COPIES_RESOLUTION = "chep_nghi_quyet", "Chép nguyên văn nghị quyết"
    COPIES_SAMPLE = "chep_bai_mau", "Chép bài mẫu trên mạng"
    COPIES_ESSAY = "sao_chep", "Nghi sao chép bài khác"
    GENERIC = "chung_chung", "Chung chung, thiếu liên hệ"
    ORIGINAL = "doc_lap", "Độc lập"


#: One line per verdict label, for the member (the API and the member's page say the same).
VERDICT_EXPLANATIONS = {
    "chep_nghi_quyet": "Phần lớn bài chép nguyên văn từ văn bản học tập, chưa nêu nhận thức của bản thân.",
    "chep_bai_mau": "Bài trùng phần lớn với một bài thu hoạch mẫu trên mạng.",
    "sao_chep": "Bài trùng phần lớn với bài thu hoạch khác trong cùng kế hoạch.",
    "chung_chung": "Bài còn chung chung: ít địa danh, đơn vị, số liệu hay cam kết cụ thể của bản thân.",
    "doc_lap": "Không thấy dấu hiệu sao chép; bài có liên hệ cụ thể.",
}


class EssayVerdict(models.Model):
    """What the originality check found in an essay's current text; replaced at every submission.

    ``duplicates`` is a list of {"essay": id, "score": similarity, "kind": kind of copying} for the
    near-duplicate essays of the same plan (kept symmetric: each lists the other; the kinds are
    `originality.align.KINDS` joined by "_", shown by `align.kind_label`); ``reference_share`` is the share of
    the essay's shingles found in the plan's documents; ``generic_evidence`` holds what
    `originality.generic` found (names, figures, commitments).
    """

    essay = models.OneToOneField(Essay, on_delete=models.CASCADE, related_name="verdict")
    label = models.CharField("kết luận", max_length=20, choices=VerdictLabel.choices)
    duplicates = models.JSONField("bài gần trùng", default=list, blank=True)
    reference_share = models.FloatField("tỷ lệ chép văn bản", default=0)
    sample = models.ForeignKey(
        SampleEssay, verbose_name="bài mẫu gần nhất", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sample_score = models.FloatField("mức trùng bài mẫu", default=0)
    sample_kind = models.CharField("cách chép bài mẫu", max_length=60, blank=True, default="")
    generic_score = models.FloatField("mức liên hệ cụ thể", default=0)
    generic_evidence = models.JSONField("căn cứ liên hệ", default=dict, blank=True)
    computed_at = models.DateTimeField("kiểm tra lúc", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "kết quả kiểm tra trùng lặp"
        verbose_name_plural = "kết quả kiểm tra trùng lặp"
        indexes = [models.Index(fields=["label"])]

    def __str__(self):
        return f"{self.get_label_display()} — {self.essay_id}"

    @property
    def flagged(self) -> bool:
        return self.label != VerdictLabel.ORIGINAL

    @property
    def copying(self) -> str:
        """The kind of copying of the finding the label names (`originality.align.KINDS` joined by "_"), or ""."""
        if self.label == VerdictLabel.COPIES_SAMPLE:
            return self.sample_kind
        if self.label == VerdictLabel.COPIES_ESSAY and self.duplicates:
            return self.duplicates[0].get("kind", "")
        return ""

    @property
    def copying_text(self) -> str:
        """`copying` in Vietnamese ("diễn đạt lại, gõ không dấu")."""
        return kind_label(self.copying) if self.copying else ""

    @property
    def sample_kind_text(self) -> str:
        return kind_label(self.sample_kind) if self.sample_kind else ""

    @property
    def explanation(self) -> str:
        """One line for the member, the same on their page and in the API."""
        return VERDICT_EXPLANATIONS.get(self.label, "")
