"""Reads of the study cascade that other pages and apps need: the member's plans and
conferences ("Học tập của tôi", the landing page, the member's record), a leader's work
(obligations due and overdue, today's conferences), and the facts the fidelity rollups are
computed from (obligations, held conferences, attendance per cell, what changed since a time).
Callers check access; nothing here writes.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from quantriet.core.links import page_urls
from quantriet.documents.models import Audience
from quantriet.org import selectors as org_selectors
from quantriet.org.models import CELL_KINDS, Grant, Member, Organization, Position, lead_positions, subtree_q
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


# ---------------------------------------------------------------- a calendar year of many members (evaluation)


def year_bounds(year: int) -> tuple[date, date, datetime, datetime]:
    """The first day of YEAR and of the next one, as dates and as local midnights (aware)."""
    first, after = date(year, 1, 1), date(year + 1, 1, 1)
    return (
        first,
        after,
        timezone.make_aware(datetime.combine(first, time.min)),
        timezone.make_aware(datetime.combine(after, time.min)),
    )


def member_cells(member_ids) -> dict[int, int]:
    """{member id: cell id} of MEMBER_IDS (one query)."""
    return dict(Member.objects.filter(pk__in=list(member_ids)).values_list("pk", "cell_id"))


#: Which attendance row speaks for a member at a plan's conferences when there are several, best first.
_RANK = {
    AttendanceStatus.PRESENT: 0,
    AttendanceStatus.LATE: 1,
    AttendanceStatus.LEFT_EARLY: 2,
    AttendanceStatus.EXCUSED: 3,
    AttendanceStatus.ABSENT: 4,
}


def member_attendance_in(member_ids, year: int, cells: dict[int, int] | None = None) -> dict[int, list[dict]]:
    """Per member of MEMBER_IDS, each plan whose conference they were expected at in YEAR and how
    they stood, in the order the conferences were held (three queries, a fourth when a plan is
    for the key cadres only; callers check access and keep MEMBER_IDS to a few thousand).

    Expected, as `member_conference_record` reads it: the member's cell has an obligation under a
    plan fulfilled by a conference held in YEAR (the cell's own, or one above that covered it), or
    the member has an attendance row at a held conference of a plan in YEAR (a cadre at the
    commune's conference, a member since moved). A plan for the key cadres only expects, of the
    cell, those holding a position on the day. Each is {"plan_id", "conference_id", "title" (the
    conference's title and day), "status": the best row at the plan's conferences other than
    make-ups (an AttendanceStatus value; "" when the member has none: absent, never marked),
    "made_up": attended one of the plan's make-up sessions held in YEAR, "url": the page of the
    conference}. CELLS ({member id: cell id}) saves the lookup when the caller has it.
    """
    member_ids = list(member_ids)
    cells = member_cells(member_ids) if cells is None else cells
    first, after, start, end = year_bounds(year)
    obligations = (
        Obligation.objects.filter(org_id__in=set(cells.values()), held_on__gte=first, held_on__lt=after)
        .filter(conference__status=ConferenceStatus.HELD)
        .exclude(plan__status=PlanStatus.DRAFT)
        .values_list("org_id", "plan_id", "conference_id", "conference__title", "conference__starts_at",
                     "plan__audiences")
    )  # fmt: skip
    by_cell = defaultdict(list)
    conferences = {}  # id -> (title, starts_at)
    cadres_only = set()
    for cell_id, plan_id, conference_id, title, starts_at, audiences in obligations:
        by_cell[cell_id].append((plan_id, conference_id))
        conferences[conference_id] = (title, starts_at)
        if Audience.MEMBERS not in audiences:
            cadres_only.add(plan_id)
    rows = (
        Attendance.objects.filter(member_id__in=member_ids, conference__status=ConferenceStatus.HELD)
        .filter(conference__starts_at__gte=start, conference__starts_at__lt=end)
        .values_list("member_id", "conference_id", "conference__plan_id", "conference__makeup_of_id",
                     "conference__title", "conference__starts_at", "status")
    )  # fmt: skip
    marks = defaultdict(dict)  # member -> plan -> (rank, conference id) of the best row, make-ups aside
    made_up = set()  # (member, plan)
    for member_id, conference_id, plan_id, makeup_of, title, starts_at, status in rows:
        if makeup_of is not None:
            if status in ATTENDED:
                made_up.add((member_id, plan_id))
            continue
        conferences[conference_id] = (title, starts_at)
        best = marks[member_id].get(plan_id)
        if best is None or _RANK[status] < best[0]:
            marks[member_id][plan_id] = (_RANK[status], conference_id, status)
    holders = org_selectors.position_terms(member_ids, first, after) if cadres_only else {}
    url = page_urls("study:conference")
    found = {}
    for member_id in member_ids:
        expected = {}
        for plan_id, conference_id in by_cell.get(cells.get(member_id), ()):
            day = timezone.localtime(conferences[conference_id][1]).date()
            if plan_id in cadres_only and not org_selectors.held_on(holders.get(member_id, []), day):
                continue
            expected[plan_id] = conference_id
        mine = marks.get(member_id, {})
        for plan_id, (_rank, conference_id, _status) in mine.items():
            expected[plan_id] = conference_id  # the row's own conference speaks for the plan
        records = []
        for plan_id, conference_id in expected.items():
            title, starts_at = conferences[conference_id]
            records.append(
                {
                    "plan_id": plan_id,
                    "conference_id": conference_id,
                    "title": f"{title} ({timezone.localtime(starts_at):%d/%m/%Y})",
                    "starts_at": starts_at,
                    "status": mine[plan_id][2] if plan_id in mine else "",
                    "made_up": (member_id, plan_id) in made_up,
                    "url": url(conference_id),
                }
            )
        found[member_id] = sorted(records, key=lambda r: (r["starts_at"], r["conference_id"]))
    return found


def plan_label(symbol: str, title: str) -> str:
    """How evidence names a plan: "Kế hoạch 12-KH/BTGDVTU", or its title when it has no symbol."""
    return f"Kế hoạch {symbol}" if symbol else title


def cells_with_obligation(plan_ids, cell_ids) -> set[tuple[int, int]]:
    """(plan id, cell id) of the CELL_IDS that have an obligation under PLAN_IDS: the plans concern
    their members (`services.plan_members`). One query."""
    rows = Obligation.objects.filter(plan_id__in=list(plan_ids), org_id__in=list(cell_ids), org__kind__in=CELL_KINDS)
    return set(rows.values_list("plan_id", "org_id"))


def cell_plans_due_in(cell_ids, year: int) -> list[tuple[int, int, date]]:
    """(cell id, plan id, deadline) of the obligations of CELL_IDS under plans not in draft due in YEAR
    (the year a plan asks a cell's members for its quiz). One query."""
    first, after, _start, _end = year_bounds(year)
    rows = Obligation.objects.filter(org_id__in=list(cell_ids), deadline__gte=first, deadline__lt=after)
    return list(rows.exclude(plan__status=PlanStatus.DRAFT).values_list("org_id", "plan_id", "deadline"))


def plans_named(plan_ids) -> dict[int, dict]:
    """{plan id: {"label": `plan_label`, "title", "issuer": its issuer's name, "for_members": its
    audience includes every member (not the key cadres only), "url": its page}} of PLAN_IDS (one query)."""
    url = page_urls("study:plan")
    rows = StudyPlan.objects.filter(pk__in=list(plan_ids)).values_list("pk", "symbol", "title", "issuer__name",
                                                                         "audiences")  # fmt: skip
    return {
        pk: {"label": plan_label(symbol, title), "title": title, "issuer": issuer,
             "for_members": Audience.MEMBERS in audiences, "url": url(pk)}
        for pk, symbol, title, issuer, audiences in rows
    }  # fmt: skip
