"""Thin tables around the library: one sketch per indexed text and its LSH band keys.

A text is identified by (doc_type, doc_id): "essay" and the essay's id, "sample" and a sample
essay's id, and so on; it belongs to one scope ("plan:12" for the essays of a plan, "samples"),
and a scoped query finds candidates in that scope only. The apps that own the texts choose the
types and scopes. The band table's (band, key) index is what a query reads, so any worker can
check a new text against everything indexed.
"""

from django.db import models


class OriginalitySignature(models.Model):
    doc_type = models.CharField("loại văn bản", max_length=20)
    doc_id = models.PositiveBigIntegerField("mã văn bản")
    #: Which texts a query may pair with this one, e.g. "plan:12" (the essays of a plan) or "samples".
    scope = models.CharField("phạm vi", max_length=40, blank=True, default="", db_index=True)
    sketch = models.BinaryField("chữ ký MinHash")  # minhash.NUM_PERM little-endian uint32
    size = models.PositiveIntegerField("số shingle")
    indexed_at = models.DateTimeField("lập chỉ mục lúc", auto_now=True)

    class Meta:
        verbose_name = "chữ ký MinHash"
        verbose_name_plural = "chữ ký MinHash"
        constraints = [models.UniqueConstraint(fields=["doc_type", "doc_id"], name="originality_one_signature_per_doc")]

    def __str__(self):
        return f"{self.doc_type} #{self.doc_id}"


class OriginalityBand(models.Model):
    signature = models.ForeignKey(OriginalitySignature, on_delete=models.CASCADE, related_name="bands")
    band = models.PositiveSmallIntegerField("dải")
    key = models.BigIntegerField("khóa dải")

    class Meta:
        verbose_name = "khóa dải LSH"
        verbose_name_plural = "khóa dải LSH"
        indexes = [models.Index(fields=["band", "key"], name="originality_band_key")]

    def __str__(self):
        return f"{self.signature} dải {self.band}"
