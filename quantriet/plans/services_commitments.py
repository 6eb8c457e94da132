"""Writes of yearly commitments and personal action plans. Each runs in one transaction and leaves
an audit entry.

A commitment: the member writes it (a draft, saved as often as they like), registers it
(`commitment_submit`: all four headings written; the copy check runs), reviews themself against
each heading mid-year and at the year's end (`commitment_self_review`), and the cell's secretary
(or the committee, `commitment.review`) reviews it once the year-end self-review is in
(`commitment_review`), or sends a registered one back to be rewritten (`commitment_return`: a
copied one, say). Only the member writes their own; a reviewer never reviews their own.

A personal plan: the member's own, for a study plan or a year; its items name the duty they serve
and, optionally, a task of the programme of their cell or a level above (for that study plan, or
for a plan published that year); the member records each item's result on the same page.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from quantriet.core.audit import audit_record
from quantriet.org.models import Member
from quantriet.org.tree import ancestor_paths
from quantriet.study.models import StudyPlan

from . import check_commitments
from .access_commitments import REVIEW, access_commitment
from .models import Programme, ProgrammeTask
from .models_commitments import (
    HEADINGS,
    Commitment,
    CommitmentItem,
    CommitmentState,
    Heading,
    ItemRating,
    PersonalPlan,
    PersonalPlanItem,
    ReviewRating,
)

#: The longest text of one heading, one self-review or one review (characters).
MAX_TEXT = 5000
#: A heading needs at least this many words to be registered.
MIN_WORDS = 5
#: A personal plan holds at most this many items.
MAX_ITEMS = 50
MID, END = "giua_nam", "cuoi_nam"
STAGES = {MID: "giữa năm", END: "cuối năm"}


def _own(actor, member: Member, as_system: bool = False):
    """Only the member writes their own (AS_SYSTEM: the demo seeding, with no actor, writes for them)."""
    if as_system and actor is None:
        return
    if member is None or actor is None or member.user_id != actor.pk:
        raise PermissionDenied("Chỉ đảng viên mới viết và tự đánh giá bản cam kết, kế hoạch của chính mình.")


def _words(text: str) -> int:
    return len(text.split())


def writable_years(today: date | None = None) -> list[int]:
    """The years a member may write a commitment for: this year, and next year from December."""
    today = today or timezone.localdate()
    return [today.year, today.year + 1] if today.month == 12 else [today.year]


def _too_long(label: str, text: str) -> str | None:
    return f"{label}: quá dài (tối đa {MAX_TEXT} ký tự)." if len(text) > MAX_TEXT else None


# ---------------------------------------------------------------- commitments


@transaction.atomic
def commitment_save(actor, member: Member, year: int, contents: dict[str, str], *, as_system=False) -> Commitment:
    """Save MEMBER's commitment for YEAR as a draft (created on first save). CONTENTS: heading → text."""
    _own(actor, member, as_system)
    commitment = Commitment.objects.select_for_update().filter(member=member, year=year).first()
    if commitment is None and year not in writable_years():
        raise ValidationError(f"Chỉ viết được bản cam kết của năm {writable_years()[0]}.")
    if commitment is not None and commitment.state != CommitmentState.DRAFT:
        raise ValidationError("Bản cam kết đã đăng ký; chỉ sửa được khi chi bộ trả lại để viết lại.")
    unknown = set(contents) - set(HEADINGS)
    if unknown:
        raise ValidationError(f"Nội dung không có trong bản cam kết: {', '.join(sorted(unknown))}.")
    problems = [p for h, text in contents.items() if (p := _too_long(Heading(h).label, text))]
    if problems:
        raise ValidationError(problems)
    if commitment is None:
        try:
            with transaction.atomic():
                commitment = Commitment.objects.create(member=member, year=year, cell=member.cell)
        except IntegrityError:  # written meanwhile in another tab
            commitment = Commitment.objects.select_for_update().get(member=member, year=year)
    before = {item.heading: item.content for item in commitment.items.all()}
    for heading, text in contents.items():
        CommitmentItem.objects.update_or_create(
            commitment=commitment, heading=heading, defaults={"content": text.strip()}
        )
    commitment.updated_at = timezone.now()
    commitment.save(update_fields=["updated_at"])
    after = {h: t.strip() for h, t in contents.items()}
    audit_record(actor, "commitment.save", commitment, before=before, after=after)
    return commitment


@transaction.atomic
def commitment_submit(actor, commitment: Commitment, *, as_system=False) -> Commitment:
    """Register ACTOR's own draft commitment (every heading written), then check it for copying."""
    commitment = Commitment.objects.select_for_update().select_related("member", "cell").get(pk=commitment.pk)
    _own(actor, commitment.member, as_system)
    if commitment.state != CommitmentState.DRAFT:
        raise ValidationError("Bản cam kết đã được đăng ký.")
    missing = [item.get_heading_display() for item in commitment.items_by_heading() if _words(item.content) < MIN_WORDS]
    if missing:
        raise ValidationError([f"Hãy viết nội dung cam kết “{label}” (ít nhất {MIN_WORDS} từ)." for label in missing])
    now = timezone.now()
    commitment.state, commitment.submitted_at = CommitmentState.SUBMITTED, now
    commitment.first_submitted_at = commitment.first_submitted_at or now
    commitment.returned_reason = ""
    commitment.save(update_fields=["state", "submitted_at", "first_submitted_at", "returned_reason"])
    check_commitments.commitment_check(commitment)
    after = {"state": commitment.state, "flagged": commitment.flagged, "copied_share": commitment.copied_share}
    audit_record(actor, "commitment.submit", commitment, before={"state": CommitmentState.DRAFT}, after=after)
    return commitment


@transaction.atomic
def commitment_self_review(actor, commitment: Commitment, stage: str, reviews: dict[str, tuple[str, str]], *,
                           as_system=False):  # fmt: skip
    """ACTOR's own self-review at STAGE (MID or END) against each heading: heading → (text, rating)."""
    commitment = Commitment.objects.select_for_update().select_related("member").get(pk=commitment.pk)
    _own(actor, commitment.member, as_system)
    if stage not in STAGES:
        raise ValidationError("Hãy chọn tự đánh giá giữa năm hoặc cuối năm.")
    if commitment.state != CommitmentState.SUBMITTED:
        raise ValidationError(
            "Chỉ tự đánh giá bản cam kết đã đăng ký và chưa được chi bộ nhận xét."
            if commitment.state == CommitmentState.REVIEWED
            else "Hãy đăng ký bản cam kết trước khi tự đánh giá."
        )
    problems = []
    items = {item.heading: item for item in commitment.items.all()}
    for heading in HEADINGS:
        text, rating = reviews.get(heading, ("", ""))
        label = Heading(heading).label
        if not text.strip():
            problems.append(f"{label}: hãy ghi tự đánh giá {STAGES[stage]}.")
        if rating not in ItemRating.values:
            problems.append(f"{label}: hãy chọn mức tự xếp loại.")
        if problem := _too_long(label, text):
            problems.append(problem)
    if problems:
        raise ValidationError(problems)
    text_field, rating_field = ("mid_review", "mid_rating") if stage == MID else ("end_review", "end_rating")
    before = {h: [getattr(items[h], text_field), getattr(items[h], rating_field)] for h in HEADINGS}
    for heading in HEADINGS:
        item = items[heading]
        text, rating = reviews[heading]
        setattr(item, text_field, text.strip())
        setattr(item, rating_field, rating)
        item.save(update_fields=[text_field, rating_field])
    stamp = "mid_reviewed_at" if stage == MID else "end_reviewed_at"
    setattr(commitment, stamp, timezone.now())
    commitment.save(update_fields=[stamp])
    after = {h: [reviews[h][0].strip(), reviews[h][1]] for h in HEADINGS}
    audit_record(actor, f"commitment.self_review_{'mid' if stage == MID else 'end'}", commitment, before, after)
    return commitment


@transaction.atomic
def commitment_review(actor, commitment: Commitment, text: str, rating: str) -> Commitment:
    """The cell's review of COMMITMENT (after the member's year-end self-review); may be given again."""
    access_commitment(actor, commitment.pk, REVIEW)
    commitment = Commitment.objects.select_for_update().select_related("member").get(pk=commitment.pk)
    if commitment.member.user_id == actor.pk:
        raise ValidationError("Không tự nhận xét bản cam kết của chính mình.")
    if commitment.state == CommitmentState.DRAFT or commitment.end_reviewed_at is None:
        raise ValidationError("Chỉ nhận xét khi đảng viên đã đăng ký và tự đánh giá cuối năm bản cam kết.")
    problems = []
    if not text.strip():
        problems.append("Hãy ghi nhận xét.")
    if rating not in ReviewRating.values:
        problems.append("Hãy chọn mức hoàn thành cam kết.")
    if problem := _too_long("Nhận xét", text):
        problems.append(problem)
    if problems:
        raise ValidationError(problems)
    before = {"state": commitment.state, "review": commitment.review, "rating": commitment.review_rating}
    commitment.state, commitment.review, commitment.review_rating = CommitmentState.REVIEWED, text.strip(), rating
    commitment.reviewer, commitment.reviewed_on = actor, timezone.localdate()
    commitment.save(update_fields=["state", "review", "review_rating", "reviewer", "reviewed_on"])
    after = {"state": commitment.state, "review": commitment.review, "rating": rating}
    audit_record(actor, "commitment.review", commitment, before=before, after=after)
    return commitment


@transaction.atomic
def commitment_return(actor, commitment: Commitment, reason: str) -> Commitment:
    """Send a registered COMMITMENT back to its member to be rewritten, saying why."""
    access_commitment(actor, commitment.pk, REVIEW)
    commitment = Commitment.objects.select_for_update().select_related("member").get(pk=commitment.pk)
    if commitment.member.user_id == actor.pk:
        raise ValidationError("Không tự trả lại bản cam kết của chính mình.")
    if commitment.state != CommitmentState.SUBMITTED:
        raise ValidationError("Chỉ trả lại bản cam kết đã đăng ký và chưa nhận xét.")
    if not reason.strip():
        raise ValidationError("Hãy ghi lý do trả lại để đảng viên biết cần viết lại gì.")
    commitment.state, commitment.returned_reason = CommitmentState.DRAFT, reason.strip()[:MAX_TEXT]
    commitment.save(update_fields=["state", "returned_reason"])
    check_commitments.forget(commitment)
    audit_record(actor, "commitment.return", commitment, {"state": CommitmentState.SUBMITTED},
                 {"state": commitment.state, "reason": commitment.returned_reason})  # fmt: skip
    return commitment


# ---------------------------------------------------------------- personal action plans


@dataclass
class ItemInput:
    """One item of a personal plan as a form gives it."""

    content: str
    duty: str = ""
    task: ProgrammeTask | None = None
    deadline: date | None = None
    result: str = ""
    done: bool = False


def current_duties(member: Member) -> str:
    """MEMBER's current positions, one a line ("Bí thư — Đảng bộ xã Long Đức")."""
    return "\n".join(f"{p.get_title_display()} — {p.org.name}" for p in member.current_positions())


def programme_tasks(member: Member, plan: StudyPlan | None, year: int):
    """The tasks a personal plan of MEMBER may be tied to: of the programmes of their cell and the
    levels above it, for PLAN (or, without one, for the plans published in YEAR)."""
    programmes = Programme.objects.filter(org__path__in=ancestor_paths([member.cell.path]))
    programmes = programmes.filter(plan=plan) if plan is not None else programmes.filter(plan__published_at__year=year)
    return ProgrammeTask.objects.filter(programme__in=programmes).select_related("programme__org")


@transaction.atomic
def personal_plan_create(actor, member: Member, *, title: str, plan: StudyPlan | None = None,
                         year: int | None = None) -> PersonalPlan:  # fmt: skip
    """MEMBER's personal plan for PLAN (a study plan they see) or for YEAR; their duties filled in."""
    _own(actor, member)
    if plan is not None and not StudyPlan.objects.visible_to(actor).filter(pk=plan.pk).exists():
        raise ValidationError("Kế hoạch học tập không có hoặc ngoài phạm vi của đồng chí.")
    year = plan.published_at.year if plan is not None and plan.published_at else (year or timezone.localdate().year)
    if not title.strip():
        raise ValidationError("Hãy nhập tên kế hoạch.")
    if plan is not None:
        taken = PersonalPlan.objects.filter(member=member, plan=plan).exists()
    else:
        taken = PersonalPlan.objects.filter(member=member, plan__isnull=True, year=year).exists()
    if taken:
        raise ValidationError("Đồng chí đã có kế hoạch hành động cá nhân này; hãy mở để sửa.")
    personal = PersonalPlan.objects.create(
        member=member, cell=member.cell, plan=plan, year=year, title=title.strip()[:300], duties=current_duties(member)
    )
    audit_record(actor, "personal_plan.create", personal, after={"plan": plan.pk if plan else None, "year": year})
    return personal


@transaction.atomic
def personal_plan_save(
    actor, personal: PersonalPlan, *, title: str, duties: str, items: list[ItemInput]
) -> PersonalPlan:
    """Save ACTOR's own personal plan: its title, duties and items (with their results), in order."""
    personal = (
        PersonalPlan.objects.select_for_update(of=("self",)).select_related("member__cell", "plan").get(pk=personal.pk)
    )
    _own(actor, personal.member)
    problems = []
    if not title.strip():
        problems.append("Hãy nhập tên kế hoạch.")
    if len(items) > MAX_ITEMS:
        problems.append(f"Kế hoạch có {len(items)} việc, quá mức {MAX_ITEMS}.")
    allowed = set(programme_tasks(personal.member, personal.plan, personal.year).values_list("pk", flat=True))
    for number, item in enumerate(items, start=1):
        if not item.content.strip():
            problems.append(f"Việc {number}: hãy ghi việc sẽ làm.")
        if item.task is not None and item.task.pk not in allowed:
            problems.append(f"Việc {number}: nhiệm vụ đã chọn không thuộc chương trình hành động của đơn vị mình.")
        for label, text in (("việc sẽ làm", item.content), ("kết quả", item.result)):
            if len(text) > MAX_TEXT:
                problems.append(f"Việc {number}: {label} quá dài (tối đa {MAX_TEXT} ký tự).")
    if problems:
        raise ValidationError(problems)
    before = {"title": personal.title, "items": [i.content for i in personal.items.all()]}
    personal.title, personal.duties, personal.updated_at = title.strip()[:300], duties.strip(), timezone.now()
    personal.save(update_fields=["title", "duties", "updated_at"])
    personal.items.all().delete()
    PersonalPlanItem.objects.bulk_create(
        PersonalPlanItem(
            personal_plan=personal,
            number=number,
            content=item.content.strip(),
            duty=item.duty.strip()[:300],
            task=item.task,
            deadline=item.deadline,
            result=item.result.strip(),
            done=item.done,
        )  # fmt: skip
        for number, item in enumerate(items, start=1)
    )
    after = {"title": personal.title, "items": [item.content.strip() for item in items],
             "done": sum(item.done for item in items)}  # fmt: skip
    audit_record(actor, "personal_plan.save", personal, before=before, after=after)
    return personal
