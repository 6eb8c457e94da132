"""Reads of the organisation tree and positions that higher apps need (the landing page, the
fidelity rollups). Callers check access; nothing here writes.
"""

from collections import defaultdict
from datetime import date

from django.db.models import Q

from quantriet.core.bulk import chunks

from .models import LEAD_TITLES, Member, Organization, Position, Title

#: Past this many organisations, reading a whole subtree (one range scan of the path index) beats
#: a long IN list.
MANY = 500


def orgs_outermost(orgs) -> list[Organization]:
    """The organisations ORGS names (ids, a list or a subquery), without those inside another one
    of them: each subtree once, in tree order."""
    tops = []
    for org in Organization.objects.filter(pk__in=orgs).order_by("path"):
        if not any(org.path.startswith(top.path) for top in tops):
            tops.append(org)
    return tops


def org_paths(org_ids) -> dict[int, str]:
    """{id: path} of the organisations ORG_IDS."""
    return dict(Organization.objects.filter(pk__in=list(org_ids)).values_list("id", "path"))


def orgs_holding_members(org_ids: list[int]) -> set[int]:
    """Those of ORG_IDS that are some member's cell."""
    found = set()
    for chunk in chunks(org_ids, 10_000):
        found.update(Member.objects.filter(cell_id__in=chunk).values_list("cell_id", flat=True).distinct())
    return found


def org_ancestors(org: Organization) -> list[Organization]:
    """The organisations above ORG, the top one first."""
    return list(Organization.objects.get_ancestors(org))


def org_nodes(paths: set[str], within: Organization) -> list[tuple]:
    """(id, path, depth, kind) of the organisations at PATHS, all of them in WITHIN's subtree."""
    orgs = Organization.objects.filter(path__in=paths) if len(paths) < MANY else within.subtree()
    return [node for node in orgs.values_list("id", "path", "depth", "kind") if node[1] in paths]


def org_id_at(path: str) -> int | None:
    """The id of the organisation at PATH (None: no such node)."""
    return Organization.objects.filter(path=path).values_list("id", flat=True).first()


def secretary_terms(org_ids: set[int], within: Organization) -> dict[int, list[tuple]]:
    """Every secretary's term in the organisations ORG_IDS (all in WITHIN's subtree), by organisation:
    {org id: [(start, end or None, member id)]}."""
    orgs = list(org_ids) if len(org_ids) < MANY else within.subtree().values("id")
    terms = defaultdict(list)
    for org_id, member_id, start, end in Position.objects.filter(title=Title.SECRETARY, org__in=orgs).values_list(
        "org_id", "member_id", "start", "end"
    ):
        terms[org_id].append((start, end, member_id))
    return terms


def position_terms(member_ids, first: date, after: date) -> dict[int, list[tuple]]:
    """The positions MEMBER_IDS held at some point from FIRST until before AFTER, by member:
    {member id: [(title, start, end or None)]} (one query)."""
    terms = defaultdict(list)
    held = Position.objects.filter(member_id__in=list(member_ids), start__lt=after).filter(
        Q(end__isnull=True) | Q(end__gte=first)
    )
    for member_id, title, start, end in held.values_list("member_id", "title", "start", "end"):
        terms[member_id].append((title, start, end))
    return terms


def held_on(terms: list[tuple], day: date) -> bool:
    """Whether any of TERMS (`position_terms`' tuples) was held on DAY."""
    return any(start <= day and (end is None or end >= day) for _title, start, end in terms)


def heads_in(member_ids, year: int) -> set[int]:
    """Those of MEMBER_IDS who led an organisation (secretary or deputy secretary, `LEAD_TITLES`) at
    some point in YEAR (one query)."""
    held = Position.objects.filter(
        member_id__in=list(member_ids), title__in=LEAD_TITLES, start__lt=date(year + 1, 1, 1)
    ).filter(Q(end__isnull=True) | Q(end__gte=date(year, 1, 1)))
    return set(held.values_list("member_id", flat=True).distinct())
