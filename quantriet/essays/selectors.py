"""Reads of essays that other pages and apps need (the landing page, the member's record, the
fidelity rollups).

The pages' reads take the viewer and answer only what the viewer may see (`Essay.visible_to`);
the rollups' reads (figures per cell, what changed since a time) are not a user's view.
"""

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from quantriet.core.links import page_urls
from quantriet.org import selectors as org_selectors
from quantriet.org.models import attach_parent_names
from quantriet.org.policy import can
from quantriet.originality.align import kind_label
from quantriet.study import selectors as study
from quantriet.study.models import EssayAudience, PlanStatus, StudyPlan

from .models import VERDICT_EXPLANATIONS, Criterion, Essay, EssayVerdict, Grade, Rubric, VerdictLabel


def near_duplicates(user, verdicts) -> dict[int, list[dict]]:
    """For each of VERDICTS (by essay id), its near-duplicate essays, most similar first.

    Each is {"essay": id, "score": share, "kind_text": "diễn đạt lại", "author": "Nguyễn Văn An",
    "unit": "Chi bộ …, Đảng bộ xã …"};
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
                    "kind_text": kind_label(d["kind"]) if d.get("kind") else "",
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


# ---------------------------------------------------------------- the facts of the fidelity rollups


def _essays_of(plan, writers):
    return Essay.objects.filter(plan=plan, member__in=writers)


def essays_by_cell(plan, writers):
    """Per cell, how many of WRITERS (members) submitted an essay under PLAN: rows {"unit": cell id, "n"}."""
    return _essays_of(plan, writers).values(unit=F("member__cell_id")).annotate(n=Count("id"))


def grades_by_cell(plan, writers) -> list[dict]:
    """Per cell, the grades of WRITERS' essays under PLAN: rows {"unit": cell id, "n", "percent_sum"}
    (the sum of the grades, each in percent of the rubric's maximum); none without a rubric."""
    rubric = Rubric.objects.filter(plan=plan).first()
    maximum = float(rubric.max_total) if rubric else 0
    if not maximum:
        return []
    grades = Grade.objects.filter(essay__in=_essays_of(plan, writers)).values(unit=F("essay__member__cell_id"))
    rows = grades.annotate(n=Count("id"), s=Sum("total"))
    return [{"unit": r["unit"], "n": r["n"], "percent_sum": float(r["s"] or 0) * 100 / maximum} for r in rows]


def verdicts_by_cell(plan, writers):
    """Per cell, the originality verdicts on WRITERS' essays under PLAN: rows {"unit": cell id, "n",
    "original" (those judged the member's own work)}."""
    verdicts = EssayVerdict.objects.filter(essay__in=_essays_of(plan, writers)).values(unit=F("essay__member__cell_id"))
    return verdicts.annotate(n=Count("id"), original=Count("id", filter=Q(label=VerdictLabel.ORIGINAL)))


def essays_changed_since(plan, since) -> set[int]:
    """Ids of the cells of the members whose essay under PLAN was submitted, graded or checked for
    originality since SINCE."""
    changed = (
        (Essay.objects.filter(plan=plan, submitted_at__gte=since), "member__cell_id"),
        (Grade.objects.filter(essay__plan=plan, graded_at__gte=since), "essay__member__cell_id"),
        (EssayVerdict.objects.filter(essay__plan=plan, computed_at__gte=since), "essay__member__cell_id"),
    )
    return {cell for rows, field in changed for cell in rows.order_by().values_list(field, flat=True).distinct()}


# ---------------------------------------------------------------- a calendar year of many members (evaluation)


VERDICT_FIELDS = ("verdict__label", "verdict__sample_kind", "verdict__duplicates")


def member_essays_in(member_ids, year: int, cells: dict[int, int] | None = None, today=None) -> dict[int, list[dict]]:
    """Per member of MEMBER_IDS, the essays asked of them by plans whose essay deadline falls in
    YEAR, written or not (at most six queries; callers check access and keep MEMBER_IDS to a few
    thousand).

    Asked, as `study.services.essay_writers` says: the member's cell has an obligation under the
    plan, narrowed for the key cadres to those holding a position on the deadline; an essay the
    member submitted counts too (a member since moved). Each is {"plan_id", "plan_title",
    "submitted", "grade": the grade's share of the rubric's maximum (0–1; None: not graded, or no
    rubric), "copied": the verdict's words when it holds the essay a copy ("Chép bài mẫu trên
    mạng: diễn đạt lại"; "" otherwise), "verdict" and "explanation": the originality verdict's label
    and its line for the member ("" when not checked), "deadline", "due": the deadline is past TODAY
    (default: today; on the deadline day the member may still submit), "url": the essay's page, or the
    plan's page where the member submits when nothing was submitted}. CELLS ({member id: cell id})
    saves a lookup.
    """
    member_ids = list(member_ids)
    today = today or timezone.localdate()
    first, after, _start, _end = study.year_bounds(year)
    plans = {
        pk: (study.plan_label(symbol, title), audience, deadline)
        for pk, symbol, title, audience, deadline in StudyPlan.objects.filter(
            essay_deadline__gte=first, essay_deadline__lt=after
        )
        .exclude(status=PlanStatus.DRAFT)
        .exclude(essay_audience="")
        .order_by("essay_deadline", "pk")
        .values_list("pk", "symbol", "title", "essay_audience", "essay_deadline")
    }
    if not plans:
        return {member_id: [] for member_id in member_ids}
    cells = study.member_cells(member_ids) if cells is None else cells
    concerned = study.cells_with_obligation(plans, set(cells.values()))
    cadre_plans = [pk for pk, (_label, audience, _deadline) in plans.items() if audience == EssayAudience.KEY_CADRES]
    terms = org_selectors.position_terms(member_ids, first, after) if cadre_plans else {}
    essays = {
        (member_id, plan_id): (pk, total, label, sample_kind, duplicates)
        for pk, plan_id, member_id, total, label, sample_kind, duplicates in Essay.objects.filter(
            plan_id__in=list(plans), member_id__in=member_ids
        ).values_list("pk", "plan_id", "member_id", "grade__total", *VERDICT_FIELDS)
    }
    maxima = {
        row["rubric__plan_id"]: row["maximum"]
        for row in Criterion.objects.filter(rubric__plan_id__in=list(plans))
        .values("rubric__plan_id")
        .annotate(maximum=Sum("max_points"))
    }
    essay_url, write_url = page_urls("essays:essay"), page_urls("essays:write")
    found = {}
    for member_id in member_ids:
        cell_id = cells.get(member_id)
        records = []
        for plan_id, (label, audience, deadline) in plans.items():
            essay = essays.get((member_id, plan_id))
            if essay is None:
                if (plan_id, cell_id) not in concerned:
                    continue
                cadre = org_selectors.held_on(terms.get(member_id, []), deadline)
                if audience == EssayAudience.KEY_CADRES and not cadre:
                    continue
                records.append({"plan_id": plan_id, "plan_title": label, "submitted": False, "grade": None,
                                "copied": "", "verdict": "", "explanation": "", "deadline": deadline,
                                "due": deadline < today, "url": write_url(plan_id)})  # fmt: skip
                continue
            pk, total, verdict, sample_kind, duplicates = essay
            maximum = maxima.get(plan_id)
            records.append(
                {
                    "plan_id": plan_id,
                    "plan_title": label,
                    "submitted": True,
                    "grade": float(total / maximum) if total is not None and maximum else None,
                    "copied": _copy_words(verdict, sample_kind, duplicates),
                    "verdict": VerdictLabel(verdict).label if verdict else "",
                    "explanation": VERDICT_EXPLANATIONS.get(verdict, "") if verdict else "",
                    "deadline": deadline,
                    "due": deadline < today,
                    "url": essay_url(pk),
                }
            )
        found[member_id] = records
    return found


def _copy_words(label: str | None, sample_kind: str, duplicates) -> str:
    """What a verdict says of a copied essay ("Chép bài mẫu trên mạng: diễn đạt lại"), "" for the others."""
    if label not in COPYING_LABELS:
        return ""
    verdict = EssayVerdict(label=label, sample_kind=sample_kind or "", duplicates=duplicates or [])
    how = verdict.copying_text
    return f"{verdict.get_label_display()}: {how}" if how else verdict.get_label_display()
