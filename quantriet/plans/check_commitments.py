"""The copy check of yearly commitments, kept on the commitment's row (like the essays' verdicts).

A commitment is checked when it is submitted (registered). What it is compared with:
- the commitments of the same cell and year submitted before it, all of them (neighbours copy each
  other, and a reworded copy shares too little to be proposed by the LSH bands);
- the commitments of the year elsewhere that the originality index proposes (scope
  "commitments:<year>", doc_type "commitment", sketches with the boilerplate left out) and that
  were submitted before it;
- every sample of the commitments' own library (`SampleCommitment`, compared whole: a library is a
  few dozen texts).
Only those submitted before it: of two members with one text, the one who registered first is not
accused of copying (the reviewer sees the pair on the later one). A commitment returned for
rewriting keeps its first submission time.

Boilerplate (never copying): the four headings, the stock formulas of the party's rules that every
honest commitment repeats (`STOCK_FORMULAS`), and the documents studied that year at the cell's
levels (the plans issued by the cell or the organisations above it): quoting the directive is not
copying. The second stage (`scan.confirm_proposals`: sentences aligned, disguises seen — typed
without diacritics, spaces lost, reworded) reports a source when THRESHOLD of one text is copied.
"""

from functools import lru_cache

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from quantriet.documents.models import Document
from quantriet.org.tree import ancestor_paths
from quantriet.originality import align
from quantriet.originality.compare import fingerprint, reference_shingles
from quantriet.originality.db import DatabaseStorage
from quantriet.originality.index import DEFAULT_THRESHOLD, Index
from quantriet.originality.scan import ESTIMATED_FROM, confirm_proposals
from quantriet.study.models import PlanStatus, StudyPlan

from .models_commitments import Commitment, CommitmentState, Heading, SampleCommitment

COMMITMENT, SAMPLE = "commitment", "sample_commitment"
#: A commitment is flagged when this share of one of the two texts is copied.
THRESHOLD = DEFAULT_THRESHOLD
#: The commitments of one cell are all compared when it has at most this many for the year.
CELL_WHOLE_MAX = 500
#: At most this many samples of the library are compared (newest first).
MAX_SAMPLES = 500

#: Formulas from the party's rules (Quy định 37-QĐ/TW, 144-QĐ/TW, 08-QĐi/TW, Chỉ thị 05-CT/TW)
#: that honest commitments repeat word for word: boilerplate, never a sign of copying.
STOCK_FORMULAS = """\
Tuyệt đối trung thành với mục tiêu, lý tưởng của Đảng, kiên định chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh.
Kiên định mục tiêu độc lập dân tộc gắn liền với chủ nghĩa xã hội.
Chấp hành nghiêm chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước.
Chấp hành nghiêm Điều lệ Đảng, nghị quyết, chỉ thị của Đảng và các quy định của cơ quan, địa phương.
Không vi phạm những điều đảng viên không được làm.
Thực hiện nghiêm Quy định số 37-QĐ/TW về những điều đảng viên không được làm.
Thực hiện nghiêm Quy định số 144-QĐ/TW về chuẩn mực đạo đức cách mạng của cán bộ, đảng viên trong giai đoạn mới.
Thực hiện nghiêm Quy định số 08-QĐi/TW về trách nhiệm nêu gương của cán bộ, đảng viên.
Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh theo Chỉ thị số 05-CT/TW của Bộ Chính trị.
Gắn với Nghị quyết Trung ương 4 khóa XII về tăng cường xây dựng, chỉnh đốn Đảng.
Ngăn chặn, đẩy lùi sự suy thoái về tư tưởng chính trị, đạo đức, lối sống,
những biểu hiện tự diễn biến, tự chuyển hóa trong nội bộ.
Cần, kiệm, liêm, chính, chí công vô tư.
Tham gia đầy đủ các buổi sinh hoạt chi bộ, đóng đảng phí đầy đủ, đúng quy định.
Giữ gìn sự đoàn kết, thống nhất trong nội bộ.
Phấn đấu hoàn thành tốt nhiệm vụ được giao.
Phấn đấu xếp loại đảng viên hoàn thành tốt nhiệm vụ trở lên.
"""


def commitment_scope(year: int) -> str:
    return f"commitments:{year}"


def commitment_text(commitment: Commitment) -> str:
    """The commitment as compared and shown side by side: each written heading, then its content."""
    parts = []
    for item in commitment.items_by_heading():
        if item.content.strip():
            parts.append(f"{item.get_heading_display()}\n{item.content.strip()}")
    return "\n\n".join(parts)


def reference_texts(commitment: Commitment) -> tuple[str, ...]:
    """The boilerplate of COMMITMENT's check (see the module): headings, stock formulas, the documents
    of the plans issued that year at its cell's levels."""
    plans = StudyPlan.objects.filter(
        issuer__path__in=ancestor_paths([commitment.cell.path]), published_at__year=commitment.year
    ).exclude(status=PlanStatus.DRAFT)
    bodies = Document.objects.filter(study_plans__in=plans).distinct().order_by("pk").values_list("body", flat=True)
    headings = "\n".join(label for _, label in Heading.choices)
    return (headings, STOCK_FORMULAS, *(body for body in bodies if body))


@lru_cache(maxsize=32)
def _reference(texts: tuple[str, ...]) -> frozenset[int]:
    return reference_shingles(texts)


def _earlier(commitment: Commitment) -> Q:
    when = commitment.first_submitted_at
    return Q(first_submitted_at__lt=when) | Q(first_submitted_at=when, pk__lt=commitment.pk)


def _index(commitment: Commitment, text: str, reference: frozenset[int]):
    """Put COMMITMENT's sketch (boilerplate aside) in its year's scope; the sketch (None: too short)."""
    found = fingerprint(text).sketch(reference)
    storage = DatabaseStorage(commitment_scope(commitment.year))
    key = (COMMITMENT, commitment.pk)
    if found is None:
        storage.remove(key)
    else:
        Index(storage=storage).add(key, found)
    return found


def _compared(commitment: Commitment, found) -> list[Commitment]:
    """The commitments COMMITMENT is compared with (see the module)."""
    earlier = (
        Commitment.objects.filter(year=commitment.year, first_submitted_at__isnull=False)
        .filter(_earlier(commitment))
        .exclude(state=CommitmentState.DRAFT)
        .exclude(pk=commitment.pk)
    )
    ids = list(earlier.filter(cell_id=commitment.cell_id).order_by().values_list("pk", flat=True)[: CELL_WHOLE_MAX + 1])
    ids = set(ids) if len(ids) <= CELL_WHOLE_MAX else set()
    if found is not None:
        storage = DatabaseStorage(commitment_scope(commitment.year))
        keys = {key for key in Index(storage=storage).candidates(found) if key[0] == COMMITMENT}
        keys -= {(COMMITMENT, commitment.pk)} | {(COMMITMENT, pk) for pk in ids}
        likely = [pk for (_, pk), other in storage.sketches(keys).items() if found.containment(other) >= ESTIMATED_FROM]
        ids |= set(earlier.filter(pk__in=likely).values_list("pk", flat=True))
    return list(Commitment.objects.filter(pk__in=ids).prefetch_related("items").order_by("pk"))


@transaction.atomic
def commitment_check(commitment: Commitment) -> Commitment:
    """Check COMMITMENT (submitted) for copying and keep the verdict on its row."""
    text = commitment_text(commitment)
    references = reference_texts(commitment)
    reference = _reference(references)
    found = _index(commitment, text, reference)
    key = (COMMITMENT, commitment.pk)
    texts = {key: text}
    for other in _compared(commitment, found):
        texts[(COMMITMENT, other.pk)] = commitment_text(other)
    for pk, sample in SampleCommitment.objects.order_by("-pk").values_list("pk", "text")[:MAX_SAMPLES]:
        texts[(SAMPLE, pk)] = sample
    _, confirmed = confirm_proposals(
        texts,
        [(key, other) for other in texts if other != key],
        reference=reference,
        boilerplate=align.boilerplate_of(references),
        threshold=THRESHOLD,
    )
    sources = sorted(
        (
            {
                "type": "sample" if doc_type == SAMPLE else "commitment",
                "id": pk,
                "share": round(c.similarity, 3),
                "kind": c.kind,
            }  # fmt: skip
            for (_, (doc_type, pk)), c in confirmed.items()
        ),
        key=lambda source: (-source["share"], source["type"] != "sample", source["id"]),
    )
    commitment.copied_from = sources
    commitment.flagged = bool(sources)
    commitment.copied_share = sources[0]["share"] if sources else 0.0
    commitment.copy_kind = sources[0]["kind"] if sources else ""
    commitment.checked_at = timezone.now()
    commitment.save(update_fields=CHECK_FIELDS)
    return commitment


def forget(commitment: Commitment):
    """Take COMMITMENT out of its year's index (sent back to draft: not compared until resubmitted)."""
    DatabaseStorage(commitment_scope(commitment.year)).remove((COMMITMENT, commitment.pk))


CHECK_FIELDS = ["copied_from", "flagged", "copied_share", "copy_kind", "checked_at"]
