from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from quantriet.core.models import StoredFile
from quantriet.core.text import fold
from quantriet.org.models import Organization, granted_q, standing_paths
from quantriet.org.tree import ancestor_paths


class DocType(models.TextChoices):
    RESOLUTION = "nghi_quyet", "Nghị quyết"
    DIRECTIVE = "chi_thi", "Chỉ thị"
    CONCLUSION = "ket_luan", "Kết luận"
    REGULATION = "quy_dinh", "Quy định"
    DECISION = "quyet_dinh", "Quyết định"
    PLAN = "ke_hoach", "Kế hoạch"
    GUIDANCE = "huong_dan", "Hướng dẫn"
    PROGRAMME = "chuong_trinh", "Chương trình"
    NOTICE = "thong_bao", "Thông báo"
    OFFICIAL_LETTER = "cong_van", "Công văn"
    OTHER = "khac", "Văn bản khác"


#: The document type a symbol's type code implies, where it is unambiguous.
TYPE_BY_CODE = {
    "NQ": DocType.RESOLUTION,
    "CT": DocType.DIRECTIVE,
    "KL": DocType.CONCLUSION,
    "QĐi": DocType.REGULATION,
    "KH": DocType.PLAN,
    "HD": DocType.GUIDANCE,
    "CTr": DocType.PROGRAMME,
    "CTHĐ": DocType.PROGRAMME,
    "TB": DocType.NOTICE,
    "CV": DocType.OFFICIAL_LETTER,
}


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Central documents, and those of the user's organisations and of every level above them.

        Lower levels must study what the levels above issue, so a commune sees the province's
        documents; a sibling commune's documents stay hidden.
        """
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(
            Q(issuing_org__isnull=True)
            | Q(issuing_org__path__in=ancestor_paths(standing_paths(user)))
            | granted_q(user, "issuing_org__path")
        )

    def search(self, text):
        """Every word of TEXT, folded, must occur in the document's folded text."""
        q = Q()
        for word in fold(text).split():
            q &= Q(search_text__contains=word)
        return self.filter(q)


class Document(models.Model):
    """A party document (nghị quyết, chỉ thị, kết luận, kế hoạch…), keyed by number, type, issuer and date."""

    number = models.CharField("số", max_length=8)
    type_code = models.CharField("ký hiệu loại", max_length=8)
    issuer_code = models.CharField("ký hiệu cơ quan ban hành", max_length=16)
    doc_type = models.CharField("loại văn bản", max_length=16, choices=DocType.choices)
    title = models.CharField("trích yếu", max_length=500)
    issuer_name = models.CharField("cơ quan ban hành", max_length=255)
    issuing_org = models.ForeignKey(
        Organization,
        verbose_name="tổ chức ban hành (trong hệ thống)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text="Bỏ trống với văn bản của Trung ương hoặc cơ quan ngoài hệ thống.",
    )
    issued_on = models.DateField("ngày ban hành")
    signer = models.CharField("người ký", max_length=120, blank=True)
    body = models.TextField("toàn văn", blank=True)
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "văn bản"
        verbose_name_plural = "văn bản"
        ordering = ["-issued_on", "-id"]
        constraints = [
            # Numbers restart with every committee term, so the date is part of the key. Every
            # commune committee signs as /ĐU, so the issuing organisation is part of it too;
            # documents from outside the tree (central ones) are keyed without it.
            models.UniqueConstraint(
                fields=["number", "type_code", "issuer_code", "issued_on", "issuing_org"], name="document_key"
            ),
            models.UniqueConstraint(
                fields=["number", "type_code", "issuer_code", "issued_on"],
                condition=Q(issuing_org__isnull=True),
                name="document_key_outside",
            ),
        ]

    def __str__(self):
        return f"{self.get_doc_type_display()} {self.symbol}"

    @property
    def symbol(self):
        return f"{self.number}-{self.type_code}/{self.issuer_code}"

    def refresh_search_text(self):
        parts = [self.symbol, self.get_doc_type_display(), self.title, self.issuer_name, self.signer, self.body]
        parts += [a.text for a in self.attachments.all()] if self.pk else []
        parts += [f"{d.title} {d.key_points}" for d in self.digests.all()] if self.pk else []
        self.search_text = fold(" ".join(parts))


class Audience(models.TextChoices):
    KEY_CADRES = "can_bo_chu_chot", "Cán bộ chủ chốt"
    MEMBERS = "dang_vien", "Đảng viên"
    MASS_ORGS = "doan_vien_hoi_vien", "Đoàn viên, hội viên"
    PUBLIC = "nhan_dan", "Nhân dân"


class Digest(models.Model):
    """A short version of a document for one audience: "ngắn gọn, dễ hiểu, dễ nhớ, dễ thực hiện"."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="digests")
    audience = models.CharField("đối tượng", max_length=24, choices=Audience.choices)
    title = models.CharField("tiêu đề", max_length=255)
    key_points = models.TextField("những điểm cốt lõi", help_text="Mỗi ý một dòng.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "tài liệu tóm tắt"
        verbose_name_plural = "tài liệu tóm tắt"
        constraints = [models.UniqueConstraint(fields=["document", "audience"], name="digest_per_audience")]

    def __str__(self):
        return f"{self.title} ({self.get_audience_display()})"

    def points(self):
        return [line.strip(" -•\t") for line in self.key_points.splitlines() if line.strip(" -•\t")]


def attachment_path(instance, filename):
    return f"documents/{instance.document_id}/{filename}"


class Attachment(StoredFile):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("tệp", upload_to=attachment_path)

    class Meta:
        verbose_name = "tệp đính kèm"
        verbose_name_plural = "tệp đính kèm"
