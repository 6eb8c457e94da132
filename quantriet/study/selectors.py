"""Reads of the study cascade that other pages and apps need: the member's plans and
conferences ("Học tập của tôi", the landing page, the member's record), a leader's work
(obligations due and overdue, today's conferences), and the facts the fidelity rollups are
computed from (obligations, held conferences, attendance per cell, what changed since a time).
Callers check access; nothing here writes.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from quantriet.documents.models import Audience
from quantriet.org.models import Grant, Member, Organization, Position, lead_positions, subtree_q
from quantriet.org.tree import ancestor_paths

from . import services
from .models import (
    ATTENDED,
    Attendance,
    AttendanceStatus,
    BridgePoint,
    Conference,
    ConferenceStatus,
    Obligation,
    PlanStatus,
    StudyPlan,
)


def led_orgs(user, visible=None):
    """Organisations USER was granted or leads (secretary, deputies), among those they may see."""
    visible = Organization.objects.visible_to(user) if visible is None else visible
    q = Q(pk__in=Grant.objects.filter(user=user).values("org_id"))
    member = getattr(user, "member", None)
    if member is not None:
        q |= Q(pk__in=lead_positions(member).values("org_id"))
    return visible.filter(q)


def open_obligations(orgs, today, limit=10):
    """Obligations not yet fulfilled in the subtrees of ORGS under published plans:
    (overdue count, not-yet-due count, the first LIMIT of them, overdue first, then by deadline)."""
    rows = Obligation.objects.filter(
        subtree_q([o.path for o in orgs], "org__path"), plan__status=PlanStatus.PUBLISHED, held_on__isnull=True
    )
    overdue = rows.filter(deadline__lt=today).count()
    due = rows.filter(deadline__gte=today).count()
    first = rows.select_related("plan", "org", "head").order_by("deadline", "org__path")[:limit]
    return overdue, due, list(first)


def conferences_on(orgs, day):
    """Conferences of published plans starting on DAY (local) hosted or covered in the subtrees of ORGS."""
    paths = [o.path for o in orgs]
    start = timezone.make_aware(datetime.combine(day, time.min))
    inside = subtree_q(paths, "host__path") | subtree_q(paths, "covered_orgs__path")
    ids = Conference.objects.filter(inside, starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
    return (
        Conference.objects.filter(pk__in=ids.values("pk"), plan__status=PlanStatus.PUBLISHED)
        .exclude(status=ConferenceStatus.CANCELLED)
        .select_related("host", "plan")
        .order_by("starts_at")
    )


def member_plans(member, today):
    """Published plans issued at the member's cell or above whose audience includes them, newest first.

    Each carries ``essay_due`` (the essay deadline when the member must write, else None) and
    ``my_documents`` ([(document, digests for members first)]).
    """
    holds_position = Position.objects.current(today).filter(member=member).exists()
    plans = (
        StudyPlan.objects.filter(status=PlanStatus.PUBLISHED, issuer__path__in=ancestor_paths([member.cell.path]))
        .select_related("issuer")
        .prefetch_related("documents__digests", "deadlines")
        .order_by("-published_at", "-id")
    )
    mine = []
    for plan in plans:
        audiences = set(plan.audiences)
        if Audience.MEMBERS not in audiences and not (Audience.KEY_CADRES in audiences and holds_position):
            continue
        writes = services.essay_writers(plan, today).filter(pk=member.pk).exists()
        plan.essay_due = plan.essay_deadline if writes else None
        plan.my_documents = []
        for document in plan.documents.all():
            digests = sorted(document.digests.all(), key=lambda d: (d.audience != Audience.MEMBERS, d.audience))
            plan.my_documents.append((document, digests))
        mine.append(plan)
    return mine


def upcoming_conferences(member, now):
    """Conferences not yet over whose roster includes MEMBER, soonest first (cancelled ones too, to say so)."""
    mine = ancestor_paths([member.cell.path])
    candidates = (
        Conference.objects.filter(plan__status=PlanStatus.PUBLISHED)
        .filter(starts_at__gte=now - timedelta(days=1))
        .filter(
            Q(covered_orgs__path__in=mine)
            | Q(bridge_points__host__path__in=mine)
            | Q(makeup_of__attendance__member=member)
        )
        .distinct()
        .select_related("host", "plan")
        .order_by("starts_at")[:30]
    )
    return [c for c in candidates if c.ends_at >= now and services.on_roster(c, member)]


def member_conference_record(member) -> list[dict]:
    """Per plan whose cascade reaches MEMBER's cell, newest first: the cell's obligation and how
    the member stood at the plan's held conferences.

    Each is {"plan", "obligation", "attended": row or None, "missed": [rows]}: the attendance
    that counts (a make-up included) or, failing it, the absences with their reasons.
    """
    obligations = (
        Obligation.objects.filter(org=member.cell_id)
        .exclude(plan__status=PlanStatus.DRAFT)
        .select_related("plan", "plan__issuer", "conference")
        .order_by("-plan__published_at", "-plan_id")
    )
    rows = (
        Attendance.objects.filter(member=member, conference__status=ConferenceStatus.HELD)
        .select_related("conference", "conference__host")
        .order_by("conference__starts_at")
    )
    by_plan = {}
    for row in rows:
        by_plan.setdefault(row.conference.plan_id, []).append(row)
    record = []
    for ob in obligations:
        marks = by_plan.get(ob.plan_id, [])
        attended = next((r for r in marks if r.status in ATTENDED), None)
        record.append(
            {
                "plan": ob.plan,
                "obligation": ob,
                "attended": attended,
                "missed": [] if attended else [r for r in marks if r.status not in ATTENDED],
            }
        )
    return record


# ---------------------------------------------------------------- the facts of the fidelity rollups

#: Past this many conferences, their presenters are read for the whole plan (one join beats a long IN list).
MANY = 500


def obligations_under(plan: StudyPlan, path: str):
    """PLAN's obligations of the organisations under PATH, as dicts of org_id, org__path, deadline,
    held_on, head_id and conference_id."""
    return Obligation.objects.filter(plan=plan, org__path__startswith=path).values(
        "org_id", "org__path", "deadline", "held_on", "head_id", "conference_id"
    )


def obligation_conferences(plan: StudyPlan, under: str, at: str | None = None):
    """Ids of the conferences that fulfilled PLAN's obligations under path UNDER, and of the
    organisation at path AT (a subquery)."""
    scope = Q(org__path__startswith=under) | (Q(org__path=at) if at else Q(pk__in=[]))
    return Obligation.objects.filter(scope, plan=plan, conference__isnull=False).values("conference_id")


def obligation_conference_at(plan: StudyPlan, path: str) -> int | None:
    """The conference that fulfilled the obligation of the organisation at PATH under PLAN (None: none yet)."""
    return Obligation.objects.filter(plan=plan, org__path=path).values_list("conference_id", flat=True).first()


def held_conferences(plan: StudyPlan, ids) -> list[tuple]:
    """PLAN's held conferences among IDS, as (id, host_id, chair_id, starts_at, duration_minutes,
    local_context) tuples."""
    return list(
        Conference.objects.filter(pk__in=ids, plan=plan, status=ConferenceStatus.HELD).values_list(
            "id", "host_id", "chair_id", "starts_at", "duration_minutes", "local_context"
        )
    )


def conference_presenters(plan: StudyPlan, conference_ids: list[int]) -> dict[int, set[int]]:
    """The members who presented at each of CONFERENCE_IDS (conferences of PLAN): {conference id: {member ids}}."""
    conferences = conference_ids if len(conference_ids) < MANY else Conference.objects.filter(plan=plan)
    presenters = defaultdict(set)
    for conference_id, member_id in Conference.presenters.through.objects.filter(
        conference__in=conferences
    ).values_list("conference_id", "member_id"):
        presenters[conference_id].add(member_id)
    return presenters


def _concerned(plan: StudyPlan, cells: dict, prefix: str = "") -> Q:
    """Members PLAN concerns in the cells matching CELLS (see `members_concerned`), as a filter on
    the model reached through PREFIX (``"member__"`` from attendance)."""
    lookups = {f"{prefix}cell__{name}": value for name, value in cells.items()}
    return Q(**{f"{prefix}cell__in": services.plan_cells(plan)}, **lookups)


def members_concerned(plan: StudyPlan, cells: dict):
    """The members PLAN concerns in the cells matching CELLS, lookups on Organization such as
    ``{"path__startswith": p}`` or ``{"pk": id}``."""
    return Member.objects.filter(_concerned(plan, cells))


def members_by_cell(plan: StudyPlan, cells: dict):
    """Per cell, how many members PLAN concerns (`members_concerned`): rows {"unit": cell id, "n"}."""
    return members_concerned(plan, cells).values(unit=F("cell_id")).annotate(n=Count("id"))


def essay_writers_in(plan: StudyPlan, cells: dict):
    """The members PLAN requires to write an essay (`services.essay_writers`) in the cells matching CELLS."""
    return services.essay_writers(plan).filter(_concerned(plan, cells))


def essay_writers_by_cell(plan: StudyPlan, cells: dict):
    """Per cell, how many members PLAN requires to write an essay (`essay_writers_in`): rows {"unit": cell id, "n"}."""
    return essay_writers_in(plan, cells).values(unit=F("cell_id")).annotate(n=Count("id"))


def _held_attendance(plan: StudyPlan):
    return Attendance.objects.filter(conference__plan=plan, conference__status=ConferenceStatus.HELD)


def attended_by_cell(plan: StudyPlan, cells: dict):
    """Per cell, how many members concerned attended one of PLAN's held conferences (a make-up
    included): rows {"unit": cell id, "n"}.

    Attendance is filtered through the member's cell, never by a list of member ids: SQLite would
    probe its (conference, member) index once per member and conference (minutes at province scale).
    """
    came = _held_attendance(plan).filter(_concerned(plan, cells, "member__"), status__in=ATTENDED)
    return came.values(unit=F("member__cell_id")).annotate(n=Count("member_id", distinct=True))


def absent_by_cell(plan: StudyPlan, cells: dict):
    """Per cell, how many members concerned were absent without leave from PLAN's held conferences
    and attended none of them (no make-up): rows {"unit": cell id, "n"}."""
    held = _held_attendance(plan)
    # An anti-join (NOT EXISTS), not NOT IN: PostgreSQL cannot hash millions of ids into NOT IN.
    made_up = held.filter(status__in=ATTENDED, member_id=OuterRef("member_id"))
    absent = held.filter(_concerned(plan, cells, "member__"), ~Exists(made_up), status=AttendanceStatus.ABSENT)
    return absent.values(unit=F("member__cell_id")).annotate(n=Count("member_id", distinct=True))


# ---------------------------------------------------------------- what changed since a time (incremental rollups)


def plans_running(closed_among):
    """Published plans, and the closed plans among CLOSED_AMONG (ids or a subquery), with their issuers."""
    running = Q(status=PlanStatus.PUBLISHED) | Q(status=PlanStatus.CLOSED, pk__in=closed_among)
    return StudyPlan.objects.filter(running).select_related("issuer")


def obligations_fallen_due_since(plan: StudyPlan, since):
    """Ids of the organisations whose obligation under PLAN fell due between SINCE and today with no
    conference held: they turned overdue."""
    passed = Obligation.objects.filter(
        plan=plan,
        held_on__isnull=True,
        deadline__gte=timezone.localdate(since),
        deadline__lt=timezone.localdate(),
    )
    return passed.values_list("org_id", flat=True)


def attendance_changed_since(plan: StudyPlan, since):
    """Ids of the cells of the members whose attendance at PLAN's conferences changed since SINCE."""
    changed = Attendance.objects.filter(conference__plan=plan, updated_at__gte=since)
    return changed.order_by().values_list("member__cell_id", flat=True).distinct()


def conferences_changed_since(plan: StudyPlan, since) -> set[int]:
    """Ids of the organisations of PLAN's conferences changed since SINCE: their hosts, the units
    they cover and the hosts of their bridging points."""
    conferences = Conference.objects.filter(plan=plan, updated_at__gte=since)
    orgs = set(conferences.values_list("host_id", flat=True))
    orgs.update(conferences.filter(covered_orgs__isnull=False).values_list("covered_orgs", flat=True))
    orgs.update(BridgePoint.objects.filter(conference__in=conferences).values_list("host_id", flat=True))
    return orgs
