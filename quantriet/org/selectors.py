"""Reads of the organisation tree and positions that higher apps need (the landing page, the
fidelity rollups). Callers check access; nothing here writes.
"""

from collections import defaultdict

from .models import Organization, Position, Title

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
