"""Reads of programmes that pages, the API and other apps (analytics) need.

The concreteness a unit is judged on is its own programme's, once the unit has put it forward
(under consultation or later): a draft is work in progress and is not judged.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from quantriet.core.links import page_urls
from quantriet.core.models import DRAFT
from quantriet.org.models import Organization
from quantriet.org.tree import path_length
from quantriet.originality.align import kind_label

from .concreteness import COPIED_FLAG
from .models import RUNNING_STATES, Programme, ProgrammeTask, TaskStatus
from .models_commitments import Commitment, CommitmentState, PersonalPlan


def judged(programmes):
    """The programmes whose concreteness counts: put forward (not drafts) and checked."""
    return programmes.exclude(state=DRAFT).filter(concreteness__isnull=False)


def concreteness_under(plan, path: str) -> dict[int, dict]:
    """For each organisation under PATH with a judged programme for PLAN: its score (0–100) and flags."""
    rows = judged(Programme.objects.filter(plan=plan, org__path__startswith=path))
    return {
        org_id: {"score": score, "flags": flags}
        for org_id, score, flags in rows.values_list("org_id", "concreteness", "flags")
    }


def programmes_changed_since(plan, since) -> list[int]:
    """Organisations whose programme for PLAN was saved, checked or moved in the workflow since SINCE."""
    changed = Programme.objects.filter(plan=plan).filter(Q(updated_at__gte=since) | Q(checked_at__gte=since))
    return list(changed.values_list("org_id", flat=True))


def overdue_q(today: date, prefix: str = "") -> Q:
    """Tasks past their deadline, not done, of a programme being carried out (PREFIX: the path to
    the task from the model queried, e.g. "tasks__" from a programme)."""
    running = Q(**{f"{prefix}deadline__lt": today, f"{prefix}programme__state__in": RUNNING_STATES})
    return running & ~Q(**{f"{prefix}status": TaskStatus.DONE})


@dataclass
class TreeRow:
    """One organisation of a programme tree: its programme (None: none yet) and task counts."""

    org: Organization
    programme: Programme | None
    tasks: int = 0
    done: int = 0
    overdue: int = 0
    #: Programmes of the organisations below it (the whole subtree), and how many are flagged.
    below: int = 0
    below_flagged: int = 0
    children: list = field(default_factory=list)


def programme_tree(plan, org: Organization, today: date | None = None) -> tuple[TreeRow, list[TreeRow]]:
    """ORG's row and its direct children's, each with its programme for PLAN and its task counts,
    and for each child how many programmes its subtree holds (a few grouped queries, whatever the size)."""
    today = today or timezone.localdate()
    children = Organization.objects.active().filter(path__startswith=org.path, depth=org.depth + 1)
    children = list(children.order_by("path"))
    shown = [org, *children]
    programmes = {p.org_id: p for p in Programme.objects.filter(plan=plan, org__in=shown).select_related("org")}
    counts = (
        ProgrammeTask.objects.filter(programme__in=programmes.values())
        .values("programme_id")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status=TaskStatus.DONE)),
            overdue=Count("id", filter=overdue_q(today)),
        )
    )
    by_programme = {row["programme_id"]: row for row in counts}
    rows = {}
    for unit in shown:
        programme = programmes.get(unit.pk)
        row = TreeRow(unit, programme)
        if programme is not None and programme.pk in by_programme:
            found = by_programme[programme.pk]
            row.tasks, row.done, row.overdue = found["total"], found["done"], found["overdue"]
        rows[unit.path] = row
    _count_below(plan, org, rows)
    return rows[org.path], [rows[child.path] for child in children]


def _count_below(plan, org: Organization, rows: dict[str, TreeRow]) -> None:
    """Add to each child row the programmes (and those flagged as copied) of the units below it,
    counted in the database grouped by the child's path (a province holds thousands)."""
    below = Programme.objects.filter(plan=plan, org__path__startswith=org.path, org__depth__gt=org.depth + 1)
    grouped = (
        below.annotate(child=Substr("org__path", 1, path_length(org.depth + 1)))
        .values("child")
        .annotate(total=Count("id"), flagged=Count("id", filter=Q(copied_share__gte=COPIED_FLAG)))
    )
    for found in grouped:
        child = rows.get(found["child"])
        if child is not None:
            child.below, child.below_flagged = found["total"], found["flagged"]


def programme_children(plan, org: Organization, own: Programme | None) -> list[Programme]:
    """The programmes of ORG's direct child organisations, and those hanging under OWN (ORG's
    programme) from further below where the levels between have none, in tree order."""
    below = Q(org__path__startswith=org.path, org__depth=org.depth + 1)
    if own is not None:
        below |= Q(parent=own)
    return list(
        Programme.objects.filter(plan=plan).filter(below).exclude(org=org).select_related("org").order_by("org__path")
    )


def overdue_on_todo(tops, today: date, delays: dict[int, int], default_delay: int, shown: int = 20):
    """The overdue tasks a leader of TOPS must see: those of their own units' programmes at once,
    and those of the units directly below once overdue for longer than the plan's delay (DELAYS:
    plan id → days; DEFAULT_DELAY for the others) — escalated to the level above. (The first SHOWN,
    most overdue first, each with `escalated` set; the total.)"""
    if not tops:
        return [], 0
    below = Q()
    for top in tops:
        below |= Q(programme__org__path__startswith=top.path, programme__org__depth=top.depth + 1)
    late = Q(deadline__lt=today - timedelta(days=default_delay)) & ~Q(programme__plan_id__in=list(delays))
    for plan_id, days in delays.items():
        late |= Q(programme__plan_id=plan_id, deadline__lt=today - timedelta(days=days))
    tasks = ProgrammeTask.objects.filter(overdue_q(today)).filter(Q(programme__org__in=tops) | (below & late))
    total = tasks.count()
    top_ids = {top.pk for top in tops}
    found = list(
        tasks.select_related("programme__org", "programme__plan", "lead_org", "lead_person").order_by("deadline", "pk")[
            :shown
        ]
    )
    for task in found:
        task.escalated = task.programme.org_id not in top_ids
        task.days_late = (today - task.deadline).days
    return found, total


def overdue_by_head(plan, org: Organization, today: date) -> list[tuple[str, list[ProgrammeTask]]]:
    """PLAN's overdue tasks in ORG's subtree, grouped by who answers for them: the lead person,
    else the lead unit, else the unit whose programme it is (most overdue first in each group)."""
    tasks = ProgrammeTask.objects.filter(
        overdue_q(today), programme__plan=plan, programme__org__path__startswith=org.path
    )
    tasks = tasks.select_related("programme__org", "lead_org", "lead_person").order_by("deadline", "pk")
    groups: dict[str, list] = {}
    for task in tasks:
        task.days_late = (today - task.deadline).days
        groups.setdefault(accountable(task), []).append(task)
    return sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))


def accountable(task: ProgrammeTask) -> str:
    if task.lead_person is not None:
        return task.lead_person.full_name
    return (task.lead_org or task.programme.org).name


# ---------------------------------------------------------------- a calendar year of many members (evaluation)


def member_commitments_in(member_ids, year: int) -> dict[int, dict]:
    """The YEAR's commitment of each of MEMBER_IDS who wrote one (one query): {member id: {
    "registered": submitted and not returned to be rewritten, "mid_reviewed", "end_reviewed",
    "copied": the copy check's words when flagged ("khoảng 80% trùng một bản cam kết mẫu trên mạng,
    diễn đạt lại": another member is never named), "state": its state's name ("Đã nhận xét"), "url":
    its page}}."""
    url = page_urls("plans:commitment")
    rows = Commitment.objects.filter(member_id__in=list(member_ids), year=year).values_list(
        "pk", "member_id", "state", "mid_reviewed_at", "end_reviewed_at", "flagged", "copied_share", "copy_kind",
        "copied_from",
    )  # fmt: skip
    found = {}
    for pk, member_id, state, mid, end, flagged, share, kind, sources in rows:
        found[member_id] = {
            "registered": state != CommitmentState.DRAFT,
            "mid_reviewed": mid is not None,
            "end_reviewed": end is not None,
            "copied": _commitment_copy_words(share, kind, sources) if flagged else "",
            "state": CommitmentState(state).label,
            "url": url(pk),
        }
    return found


def _commitment_copy_words(share, kind: str, sources) -> str:
    source = "một bản cam kết mẫu trên mạng" if sources and sources[0].get("type") == "sample" else (
        "bản cam kết của một đảng viên khác đã đăng ký trước"
    )  # fmt: skip
    words = f"khoảng {round(100 * (share or 0))}% trùng {source}"
    return f"{words}, {kind_label(kind)}" if kind else words


def member_personal_plans_in(member_ids, year: int) -> dict[int, str]:
    """{member id: the page of their personal action plan} of those of MEMBER_IDS who wrote one for
    YEAR (for the year, or for a study plan of the year; the first written when several). One query."""
    url = page_urls("plans:personal_plan")
    rows = PersonalPlan.objects.filter(member_id__in=list(member_ids), year=year).order_by("-pk")
    return {member_id: url(pk) for pk, member_id in rows.values_list("pk", "member_id")}
