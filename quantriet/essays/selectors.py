"""Reads of essays that other pages and apps need (the landing page, the member's record).

Every function takes the viewer and answers only what the viewer may see (`Essay.visible_to`).
"""

from django.db.models import Count, Q

from quantriet.org.models import attach_parent_names
from quantriet.org.policy import can
from quantriet.study.models import PlanStatus

from .models import Essay, VerdictLabel


def near_duplicates(user, verdicts) -> dict[int, list[dict]]:
    """For each of VERDICTS (by essay id), its near-duplicate essays, most similar first.

    Each is {"essay": id, "score": share, "author": "Nguyễn Văn An", "unit": "Chi bộ …, Đảng bộ xã …"};
    author and unit are None for an essay USER may not see (another scope's essays stay hidden).
    Three queries whatever the number of verdicts.
    """
    verdicts = [v for v in verdicts if v is not None]
    ids = {d["essay"] for v in verdicts for d in v.duplicates}
    visible = Essay.objects.visible_to(user).filter(pk__in=ids).select_related("member", "cell")
    essays = {e.pk: e for e in visible.only("id", "member__full_name", "cell__path", "cell__name")}
    attach_parent_names([e.cell for e in essays.values()])
    found = {}
    for verdict in verdicts:
        rows = []
        for d in verdict.duplicates:
            other = essays.get(d["essay"])
            rows.append(
                {
                    "essay": d["essay"],
                    "score": d["score"],
                    "author": other.member.full_name if other else None,
                    "unit": other.cell.name_with_parent if other else None,
                }
            )
        found[verdict.essay_id] = rows
    return found


#: Verdicts that are a sign of copying ("Chung chung" is a weak essay, not a copied one).
COPYING_LABELS = (VerdictLabel.COPIES_RESOLUTION, VerdictLabel.COPIES_SAMPLE, VerdictLabel.COPIES_ESSAY)


def flagged_q() -> Q:
    """Essays whose originality check found a sign of copying."""
    return Q(verdict__label__in=COPYING_LABELS)


def ungraded_by_plan(user, orgs) -> list[dict]:
    """Essays waiting for a grade under ORGS (organisations USER grades), per published plan:
    [{"plan": id, "title": …, "org": org, "count": n}], largest first. One query per organisation."""
    rows = []
    for org in orgs:
        if not can(user, "essay.grade", org):
            continue
        counts = (
            Essay.objects.in_subtree(org)
            .filter(grade__isnull=True, plan__status=PlanStatus.PUBLISHED)
            .values("plan_id", "plan__title")
            .annotate(n=Count("id"))
        )
        rows += [{"plan": r["plan_id"], "title": r["plan__title"], "org": org, "count": r["n"]} for r in counts]
    return sorted(rows, key=lambda r: (-r["count"], r["plan"]))


def member_essays(member):
    """MEMBER's essays across plans, newest plan first, with grade and verdict (the caller checks access)."""
    return (
        Essay.objects.filter(member=member)
        .select_related("plan", "grade", "verdict")
        .order_by("-plan__published_at", "-plan_id")
    )
