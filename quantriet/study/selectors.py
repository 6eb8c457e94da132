"""Reads of the study cascade that other pages and apps need: the member's plans and
conferences ("Học tập của tôi", the landing page, the member's record) and a leader's work
(obligations due and overdue, today's conferences). Callers check access; nothing here writes.
"""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.urls import NoReverseMatch
from django.utils import timezone

from quantriet.documents.models import Audience
from quantriet.org.models import Grant, Organization, Position, lead_positions, subtree_q
from quantriet.org.tree import ancestor_paths

from . import services
from .models import ATTENDED, Attendance, Conference, ConferenceStatus, Obligation, PlanStatus, StudyPlan


def led_orgs(user, visible=None):
    """Organisations USER was granted or leads (secretary, deputies), among those they may see."""
    visible = Organization.objects.visible_to(user) if visible is None else visible
    q = Q(pk__in=Grant.objects.filter(user=user).values("org_id"))
    member = getattr(user, "member", None)
    if member is not None:
        q |= Q(pk__in=lead_positions(member).values("org_id"))
    return visible.filter(q)


def top_orgs(orgs) -> list:
    """ORGS without those inside another one of them (each subtree once)."""
    tops = []
    for org in sorted(orgs, key=lambda o: o.path):
        if not any(org.path.startswith(top.path) for top in tops):
            tops.append(org)
    return tops


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
    upcoming = [c for c in candidates if c.ends_at >= now and services.on_roster(c, member)]
    for c in upcoming:
        try:
            c.link = c.get_absolute_url()
        except NoReverseMatch:  # the conference pages are another part of the app
            c.link = None
    return upcoming


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
