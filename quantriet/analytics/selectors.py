"""Reads of the fidelity rows that other pages need (the landing page): one row per
(plan, organisation) from the rollups, never raw attendance. Callers pass what USER may see."""

from django.db.models import F, Q
from django.utils import timezone

from quantriet.org.policy import holds_anywhere, widest_where
from quantriet.study.models import PlanStatus, StudyPlan

from .access import FIDELITY_VIEW
from .dashboard import band
from .models import FidelityScore

#: How many flagged units a summary names; the dashboard lists them all.
FLAGGED_SHOWN = 5
#: Units not yet judged (an overdue one has no index) before the weakest judged ones.
WEAKEST_FIRST = (F("index").asc(nulls_first=True), "path")


def plan_summaries(user, limit=5) -> list[dict]:
    """The current (published) plans whose figures USER may see, newest first, each with the row
    of USER's widest organisation in its tree and its weakest flagged units below.

    [{"plan", "org", "row" (FidelityScore or None before the first refresh), "style" (colour band),
      "flagged" (count of units below marked "làm lướt" or overdue), "weakest" ([rows], at most FLAGGED_SHOWN)}]
    """
    if not holds_anywhere(user, FIDELITY_VIEW):
        return []
    plans = (
        StudyPlan.objects.visible_to(user)
        .filter(status=PlanStatus.PUBLISHED)
        .select_related("issuer")
        .order_by("-published_at", "-id")
    )
    today = timezone.localdate()
    flagged = Q(lam_luot=True) | Q(held_on__isnull=True, deadline__lt=today)
    summaries = []
    for plan in plans:
        org = widest_where(user, FIDELITY_VIEW, plan.issuer)
        if org is None:
            continue
        below = FidelityScore.objects.filter(plan=plan, path__startswith=org.path).filter(flagged).exclude(org=org)
        row = FidelityScore.objects.filter(plan=plan, org=org).select_related("head").first()
        summaries.append(
            {
                "plan": plan,
                "org": org,
                "row": row,
                "style": band(row.index if row else None),
                "flagged": below.count(),
                "weakest": list(below.select_related("org", "head").order_by(*WEAKEST_FIRST)[:FLAGGED_SHOWN]),
            }
        )
        if len(summaries) == limit:
            break
    return summaries


def year_indices(org_ids, year: int) -> dict[int, list[dict]]:
    """{org id: [{"plan_id", "plan_title", "index", "lam_luot"}]} for ORG_IDS, over the published plans
    issued in YEAR that judged them (a unit with no index yet is left out): how thoroughly each unit
    studied the year's resolutions, as the yearly evaluation of collectives reads it."""
    found: dict[int, list[dict]] = {}
    rows = (
        FidelityScore.objects.filter(org_id__in=list(org_ids), index__isnull=False, plan__status=PlanStatus.PUBLISHED,
                                     plan__published_at__year=year)
        .order_by("plan__published_at", "plan_id")
        .values("org_id", "plan_id", "plan__title", "index", "lam_luot")
    )  # fmt: skip
    for row in rows:
        found.setdefault(row["org_id"], []).append(
            {"plan_id": row["plan_id"], "plan_title": row["plan__title"], "index": row["index"],
             "lam_luot": row["lam_luot"]}
        )  # fmt: skip
    return found
