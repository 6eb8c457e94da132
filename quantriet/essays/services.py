"""Writes of essays and grading; each runs in one transaction and leaves an audit entry.

Decisions:
- Who must write (``essay_writers``): the plan's essay audience among the members of the cells
  that have an obligation under the plan, i.e. the cells of the issuer's subtree that were part
  of the cascade when the plan was published. KEY_CADRES narrows that to members holding a
  current position.
- The deadline is a date: a submission on that day (Vietnam time) is on time, later is late.
- A first submission after the deadline is accepted and flagged late ("nộp muộn"); a
  resubmission is accepted only up to the deadline, and never once the essay is graded (the
  grade would no longer match the text). Every submission is kept as an EssayVersion.
- Every submission gets its originality verdict at once (``originality.essay_check``).
- Grading needs `essay.grade` (org.policy) on the essay's cell, checked here whoever the caller.
- Regrading keeps only the latest grade; the audit entry holds the grade before and after.
- The rubric of a plan (`rubric_update`) is edited by the plan's propaganda staff and admins:
  at least one criterion, each worth more than 0 points; bands with distinct labels and
  distinct thresholds between 0 and 100 %, one of them at 0 % so that every total gets a label
  (the lowest band is named by the staff, "Chưa đạt" by default, rather than implied). Once an
  essay of the plan is graded the criteria are frozen (the grades' points would no longer add up
  to the rubric); the bands may still change, and since a grade stores its band label, the
  labels of the plan's grades are recomputed in the same transaction. Grading locks the rubric
  row, so a grade and a rubric change never cross.
"""

import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from quantriet.core.audit import audit_record
from quantriet.core.files import read_upload, store_upload
from quantriet.core.numbers import NumberError, UnclearNumber, parse_decimal
from quantriet.org.policy import require
from quantriet.study.models import PlanStatus, StudyPlan
from quantriet.study.services import essay_writers

from .models import (
    Criterion,
    CriterionScore,
    Essay,
    EssayFile,
    EssaySource,
    EssayVersion,
    Grade,
    GradeBand,
    Rubric,
    band_label,
)
from .originality import essay_check
from .text import clean_text, word_count

#: Shortest and longest essay accepted (a real thu hoạch runs to some 500 words).
MIN_WORDS = 50
MAX_CHARS = 60_000
MAX_COMMENT = 5_000

#: The rubric a plan gets when nobody configured one: 10 points over four criteria.
DEFAULT_CRITERIA = [
    ("Nhận thức nội dung văn bản", "Nắm đúng, đủ những nội dung cơ bản, điểm mới của văn bản.", Decimal(3)),
    (
        "Liên hệ thực tiễn địa phương, đơn vị",
        "Nêu được tình hình, con số, việc cụ thể của nơi công tác, sinh hoạt.",
        Decimal(3),
    ),
    ("Liên hệ bản thân", "Tự soi, nhận rõ ưu điểm, hạn chế và trách nhiệm của bản thân.", Decimal(2)),
    ("Kế hoạch hành động, cam kết", "Việc làm cụ thể, có thời hạn, đo được kết quả.", Decimal(2)),
]
#: Bands by percentage of the maximum total; the highest one reached applies.
DEFAULT_BANDS = [("Tốt", Decimal(80)), ("Khá", Decimal(65)), ("Đạt", Decimal(50)), ("Chưa đạt", Decimal(0))]


# ---------------------------------------------------------------- who must write


def must_write(plan: StudyPlan, member) -> bool:
    return member is not None and essay_writers(plan).filter(pk=member.pk).exists()


def is_late(plan: StudyPlan, at) -> bool:
    return plan.essay_deadline is not None and timezone.localdate(at) > plan.essay_deadline


def submission_refusal(plan: StudyPlan, member, essay=None, at=None) -> ValidationError | None:
    """Why MEMBER may not submit (or resubmit) an essay for PLAN now, or None.

    The error's code says what kind of refusal it is: not_member / audience (who), closed /
    deadline / graded (when).
    """
    if member is None:
        return ValidationError(
            "Tài khoản này chưa gắn với hồ sơ đảng viên nên không nộp được bài thu hoạch.", "not_member"
        )
    if plan.status != PlanStatus.PUBLISHED or not plan.essay_audience:
        return ValidationError("Kế hoạch này không (còn) nhận bài thu hoạch.", "closed")
    if not must_write(plan, member):
        return ValidationError("Đồng chí không thuộc đối tượng phải viết thu hoạch của kế hoạch này.", "audience")
    if essay is None:
        return None
    if hasattr(essay, "grade"):
        return ValidationError("Bài thu hoạch đã được chấm nên không nộp lại được.", "graded")
    if is_late(plan, at or timezone.now()):
        return ValidationError(
            f"Đã quá hạn nộp ({plan.essay_deadline:%d/%m/%Y}): không nộp lại được, bài đã nộp được giữ nguyên.",
            "deadline",
        )
    return None


# ---------------------------------------------------------------- submitting


def _check_text(text: str):
    if len(text) > MAX_CHARS:
        raise ValidationError(f"Bài thu hoạch quá dài (tối đa {MAX_CHARS:,} ký tự).".replace(",", "."), "invalid")
    words = word_count(text)
    if words < MIN_WORDS:
        raise ValidationError(f"Bài thu hoạch quá ngắn: {words} từ, cần ít nhất {MIN_WORDS} từ.", "invalid")


def _refuse_if_needed(plan, member, essay, at):
    refusal = submission_refusal(plan, member, essay, at)
    if refusal is not None:
        raise refusal


@transaction.atomic
def essay_submit(actor, plan: StudyPlan, member, text: str, *, upload: EssayFile | None = None) -> Essay:
    """Submit MEMBER's essay for PLAN (typed, or the text of UPLOAD); resubmitting adds a version."""
    now = timezone.now()
    _refuse_if_needed(plan, member, None, now)
    text = clean_text(text)
    _check_text(text)
    essay = Essay.objects.select_for_update().filter(plan=plan, member=member).first()
    _refuse_if_needed(plan, member, essay, now)
    source = EssaySource.DOCX if upload else EssaySource.TYPED
    late = is_late(plan, now)
    before = _essay_state(essay) if essay else None
    if essay is None:
        essay = _create_essay(plan, member, text, source, now, late)
    else:
        essay.text, essay.source, essay.submitted_at, essay.late = text, source, now, late
        essay.cell = member.cell
        essay.save(update_fields=["text", "source", "submitted_at", "late", "cell"])
    number = (before or {}).get("version", 0) + 1
    EssayVersion.objects.create(
        essay=essay, number=number, text=text, source=source, upload=upload, submitted_at=now, late=late
    )
    audit_record(actor, "essay.submit", essay, before, _essay_state(essay, number))
    essay_check(essay)  # the originality verdict, in the same transaction
    return essay


def _create_essay(plan, member, text, source, now, late):
    """Insert guarded by the (plan, member) constraint: two first submissions at once cannot both win."""
    try:
        with transaction.atomic():
            return Essay.objects.create(
                plan=plan, member=member, cell=member.cell, text=text, source=source, submitted_at=now, late=late
            )
    except IntegrityError:
        raise ValidationError("Bài thu hoạch vừa được nộp ở một phiên khác; hãy tải lại trang.", "conflict") from None


def _essay_state(essay, number=None) -> dict:
    number = number or essay.versions.count()
    return {
        "version": number,
        "source": essay.source,
        "submitted_at": essay.submitted_at.isoformat(),
        "late": essay.late,
        "words": essay.words,
    }


def essay_submit_docx(actor, plan: StudyPlan, member, name: str, data: bytes) -> Essay:
    """Submit the text of an uploaded .docx; anything else (.pdf, .txt, a renamed file, an oversize or
    malformed file, a zip bomb) is refused with a Vietnamese ValidationError and leaves nothing behind.
    """
    _refuse_if_needed(plan, member, None, timezone.now())
    if not (name or "").lower().endswith(".docx"):
        raise ValidationError(
            f"Chỉ nhận bài thu hoạch gõ trực tiếp hoặc tệp Word .docx; tệp “{name}” không được chấp nhận.", "invalid"
        )
    read = read_upload(name, data)  # before the transaction: reading takes time, the write lock must not wait
    with transaction.atomic():
        upload = store_upload(EssayFile(), read)
        try:
            return essay_submit(actor, plan, member, upload.text, upload=upload)
        except BaseException:
            upload.file.delete(save=False)  # the row goes with the rollback, the file by hand
            raise


# ---------------------------------------------------------------- rubric and grading


@transaction.atomic
def rubric_ensure(actor, plan: StudyPlan) -> Rubric:
    """PLAN's rubric, created from DEFAULT_CRITERIA and DEFAULT_BANDS the first time it is needed."""
    rubric = Rubric.objects.filter(plan=plan).first()
    if rubric is not None:
        return rubric
    StudyPlan.objects.select_for_update().filter(pk=plan.pk).first()  # one creator at a time
    rubric, created = Rubric.objects.get_or_create(plan=plan)
    if created:
        Criterion.objects.bulk_create(
            Criterion(rubric=rubric, name=name, description=text, max_points=points, order=i)
            for i, (name, text, points) in enumerate(DEFAULT_CRITERIA, start=1)
        )
        GradeBand.objects.bulk_create(
            GradeBand(rubric=rubric, label=label, min_percent=p) for label, p in DEFAULT_BANDS
        )
        after = {"criteria": [c[0] for c in DEFAULT_CRITERIA], "bands": [b[0] for b in DEFAULT_BANDS]}
        audit_record(actor, "rubric.create_default", rubric, None, after)
    return rubric


#: Why the criteria cannot change any more.
CRITERIA_LOCKED = (
    "Đã có bài thu hoạch được chấm theo các tiêu chí này nên không sửa được tiêu chí nữa "
    "(điểm các bài đã chấm sẽ không còn khớp với thang điểm). Vẫn sửa được các mức xếp loại."
)
MAX_CRITERIA = 20
MAX_BANDS = 10
#: At most this many changed grades are listed in the audit entry of a rubric change.
MAX_LISTED = 1000


def graded_count(plan: StudyPlan) -> int:
    """How many essays of PLAN have a grade (any freezes the criteria)."""
    return Grade.objects.filter(essay__plan=plan).count()


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def check_criteria(rows: list[dict]):
    """The rules of a rubric's criteria (ROWS of name, max_points); a Vietnamese ValidationError."""
    errors = []
    if not rows:
        errors.append("Cần ít nhất một tiêu chí chấm.")
    if len(rows) > MAX_CRITERIA:
        errors.append(f"Tối đa {MAX_CRITERIA} tiêu chí.")
    seen = set()
    for row in rows:
        name = row["name"].strip()
        if not name:
            errors.append("Mỗi tiêu chí cần có tên.")
        if row["max_points"] is None or row["max_points"] <= 0:
            errors.append(f"Điểm tối đa của tiêu chí “{name}” phải lớn hơn 0.")
        if _folded(name) in seen:
            errors.append(f"Có hai tiêu chí cùng tên “{name}”.")
        seen.add(_folded(name))
    if errors:
        raise ValidationError(errors, "invalid")


def check_bands(rows: list[dict]):
    """The rules of a rubric's bands (ROWS of label, min_percent); a Vietnamese ValidationError."""
    errors = []
    if not rows:
        errors.append("Cần ít nhất một mức xếp loại.")
    if len(rows) > MAX_BANDS:
        errors.append(f"Tối đa {MAX_BANDS} mức xếp loại.")
    labels, thresholds = set(), set()
    for row in rows:
        label, low = row["label"].strip(), row["min_percent"]
        if not label:
            errors.append("Mỗi mức xếp loại cần có tên.")
        if low is None or not Decimal(0) <= low <= Decimal(100):
            errors.append(f"Ngưỡng của mức “{label}” phải từ 0 đến 100 (%).")
        elif low in thresholds:
            errors.append(f"Có hai mức xếp loại cùng ngưỡng {vn_points(low)}%: mỗi mức cần một ngưỡng riêng.")
        if _folded(label) in labels:
            errors.append(f"Có hai mức xếp loại cùng tên “{label}”.")
        labels.add(_folded(label))
        thresholds.add(low)
    if rows and Decimal(0) not in thresholds:
        errors.append("Cần một mức xếp loại từ 0% (ví dụ “Chưa đạt”), để bài có điểm thấp nhất vẫn được xếp loại.")
    if errors:
        raise ValidationError(errors, "invalid")


def _criterion_key(pk, name, description, max_points, order):
    return (pk or 0, name.strip(), (description or "").strip(), Decimal(max_points), int(order))


def _rubric_state(rubric: Rubric) -> dict:
    return {
        "criteria": [
            {"id": c.pk, "name": c.name, "max_points": str(c.max_points), "order": c.order}
            for c in rubric.criteria.all()
        ],
        "bands": [[b.label, str(b.min_percent)] for b in rubric.bands.all()],
    }


def _apply_criteria(rubric: Rubric, current: dict, rows: list[dict]):
    kept = {row["id"] for row in rows if row.get("id")}
    Criterion.objects.filter(rubric=rubric).exclude(pk__in=kept).delete()
    for row in rows:
        values = {
            "name": row["name"].strip(),
            "description": (row.get("description") or "").strip(),
            "max_points": row["max_points"],
            "order": row["order"],
        }
        if row.get("id"):
            criterion = current[row["id"]]
            for field, value in values.items():
                setattr(criterion, field, value)
            criterion.save(update_fields=list(values))
        else:
            Criterion.objects.create(rubric=rubric, **values)


def _reband(rubric: Rubric) -> list[list]:
    """Recompute the stored band of every grade of the rubric's plan: [[essay id, before, after], ...]."""
    bands, maximum = list(rubric.bands.all()), rubric.max_total
    changed, rows = [], []
    for grade in Grade.objects.filter(essay__plan_id=rubric.plan_id).only("pk", "essay_id", "total", "band"):
        label = band_label(grade.total, maximum, bands)
        if label != grade.band:
            changed.append([grade.essay_id, grade.band, label])
            grade.band = label
            rows.append(grade)
    Grade.objects.bulk_update(rows, ["band"], batch_size=500)
    return changed


@transaction.atomic
def rubric_update(actor, plan: StudyPlan, criteria: list[dict] | None, bands: list[dict]) -> dict:
    """Replace PLAN's criteria (None leaves them) and bands; the caller checks the role.

    CRITERIA rows: id (None for a new one), name, description, max_points, order; a criterion
    left out is deleted. BANDS rows: label, min_percent. Refused (ValidationError, code
    "locked") when the criteria change after an essay was graded. The stored band of every
    graded essay is recomputed. Returns {"criteria_changed", "bands_changed", "rebanded"}.
    """
    rubric = rubric_ensure(actor, plan)
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    before = _rubric_state(rubric)
    current = {c.pk: c for c in rubric.criteria.all()}
    criteria_changed = False
    if criteria is not None:
        ids = [row["id"] for row in criteria if row.get("id")]
        if len(set(ids)) != len(ids) or not set(ids) <= current.keys():
            raise ValidationError("Danh sách tiêu chí đã thay đổi ở một phiên khác; hãy tải lại trang.", "stale")
        mine = sorted(_criterion_key(c.pk, c.name, c.description, c.max_points, c.order) for c in current.values())
        theirs = sorted(
            _criterion_key(r.get("id"), r["name"], r.get("description"), r["max_points"] or 0, r["order"])
            for r in criteria
        )
        criteria_changed = mine != theirs
    if criteria_changed:
        if graded_count(plan):
            raise ValidationError(CRITERIA_LOCKED, "locked")
        check_criteria(criteria)
    check_bands(bands)
    if criteria_changed:
        _apply_criteria(rubric, current, criteria)
    new_bands = sorted((row["label"].strip(), row["min_percent"]) for row in bands)
    bands_changed = new_bands != sorted((b.label, b.min_percent) for b in rubric.bands.all())
    if bands_changed:
        rubric.bands.all().delete()
        GradeBand.objects.bulk_create(
            GradeBand(rubric=rubric, label=label, min_percent=low) for label, low in new_bands
        )
    rebanded = _reband(rubric) if criteria_changed or bands_changed else []
    if criteria_changed or bands_changed:
        after = _rubric_state(rubric) | {"rebanded": len(rebanded), "grades": rebanded[:MAX_LISTED]}
        audit_record(actor, "rubric.update", rubric, before, after)
    return {"criteria_changed": criteria_changed, "bands_changed": bands_changed, "rebanded": len(rebanded)}


POINTS_MESSAGE = "Điểm phải là số, tối đa một chữ số thập phân (ví dụ 2,5)."


def parse_points(raw) -> Decimal:
    """'8,5' / '8.5' / 8.5 → Decimal('8.5'), read by the one rule for typed numbers (core.numbers);
    NumberError saying why for anything else, and for more than one decimal."""
    if isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
        value = Decimal(str(raw))  # a JSON number: already unambiguous
    else:
        value = parse_decimal(raw)
    if not value.is_finite() or value != value.quantize(Decimal("0.1")):
        raise NumberError(POINTS_MESSAGE)
    return value.quantize(Decimal("0.1"))


def _score_errors(criteria, points) -> tuple[dict, dict]:
    values, errors = {}, {}
    for criterion in criteria:
        raw = points.get(criterion.pk)
        if isinstance(raw, str):
            raw = raw.strip()
        if raw in (None, ""):
            errors[f"c{criterion.pk}"] = [f"Chưa cho điểm tiêu chí “{criterion.name}”."]
            continue
        try:
            value = parse_points(raw)
        except UnclearNumber as error:
            errors[f"c{criterion.pk}"] = [str(error)]
            continue
        except NumberError:
            errors[f"c{criterion.pk}"] = [POINTS_MESSAGE]
            continue
        if not Decimal(0) <= value <= criterion.max_points:
            errors[f"c{criterion.pk}"] = [f"Điểm phải từ 0 đến {vn_points(criterion.max_points)}."]
        else:
            values[criterion.pk] = value
    return values, errors


def vn_points(value: Decimal) -> str:
    """Points the Vietnamese way: 8,5 and 10 (not 10.0)."""
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:.1f}"
    return text.replace(".", ",")


def _grade_state(grade: Grade) -> dict:
    return {
        "total": str(grade.total),
        "band": grade.band,
        "comment": grade.comment,
        "grader": grade.grader_id,
        "scores": {str(s.criterion_id): str(s.points) for s in grade.scores.all()},
    }


@transaction.atomic
def essay_grade(actor, essay: Essay, points: dict, comment: str = "") -> Grade:
    """Grade ESSAY against its plan's rubric: POINTS maps criterion id → points (text or number).

    Every criterion needs points between 0 and its maximum; the band follows from the total.
    """
    require(actor, "essay.grade", essay.cell)
    comment = clean_text(comment)
    rubric = rubric_ensure(actor, essay.plan)
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)  # no rubric change while grading
    criteria = list(rubric.criteria.all())
    values, errors = _score_errors(criteria, points)
    if len(comment) > MAX_COMMENT:
        errors["comment"] = [f"Nhận xét tối đa {MAX_COMMENT} ký tự."]
    if errors:
        raise ValidationError(errors)
    grade = Grade.objects.select_for_update().filter(essay=essay).first()
    before = _grade_state(grade) if grade else None
    total = sum(values.values(), Decimal(0))
    if grade is None:
        grade = Grade(essay=essay)
    grade.grader, grade.total, grade.band = actor, total, rubric.band_for(total)
    grade.comment, grade.graded_at = comment, timezone.now()
    grade.save()
    grade.scores.all().delete()
    CriterionScore.objects.bulk_create(
        CriterionScore(grade=grade, criterion_id=pk, points=v) for pk, v in values.items()
    )
    audit_record(actor, "essay.grade", essay, before, _grade_state(grade))
    return grade
