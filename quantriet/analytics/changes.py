"""Incremental refresh: find what changed since a plan's last run and recompute only those subtrees.

The apps below analytics never call it (docs/architecture.md, "Layout": a rollup is refreshed by
the higher app, not by the lower app calling up); they only keep change times —
``Attendance.updated_at``, ``Conference.updated_at``, ``Essay.submitted_at``, ``Grade.graded_at``,
``EssayVerdict.computed_at``, ``QuizResult.updated_at``, ``Programme.updated_at`` and
``checked_at`` — all indexed, and answer "what changed
since" through their selectors (``*_changed_since``). `refresh_changed` reads them from the plan's
watermark (`FidelityRun.checked_at`, less a margin for transactions that
committed late), refreshes the touched cells' and hosts' subtrees and the chain above, and moves
the watermark. `manage.py refresh_fidelity --changed --every 20` runs it in a loop (`make run`
starts one); a plan that was closed or whose quiz settings changed since, or that has no rows
yet, is recomputed whole.

Time changes judgements with no data changing: the day after its deadline a unit that has not
held its conference turns from "chưa đến hạn" into "quá hạn", and the day after the essay
deadline the submission rate starts to count. So the first run after such a day recomputes the
units whose deadline passed since the last run (and the whole plan for the essay deadline).
"""

from datetime import timedelta

from django.utils import timezone

from quantriet.essays import selectors as essays
from quantriet.org.selectors import org_paths, orgs_outermost
from quantriet.org.tree import ancestor_paths
from quantriet.plans import selectors as plans
from quantriet.quizzes import selectors as quizzes
from quantriet.study import selectors as study
from quantriet.study.models import PlanStatus, StudyPlan

from .models import FidelityRun, FidelityScore
from .rollup import refresh, refresh_parts

#: Changes are read from this long before the watermark: a transaction that began before the
#: last run and committed after it still has its rows picked up.
OVERLAP = timedelta(minutes=5)


def _passed_since(day, since) -> bool:
    """Whether DAY's deadline passed between SINCE and now: DAY is due from the next day on."""
    return day is not None and timezone.localdate(since) <= day < timezone.localdate()


def changed_orgs(plan: StudyPlan, since) -> tuple[set[int], set[int]]:
    """What changed since SINCE, as two sets of organisation ids: the units of conferences and of
    action programmes that changed (their subtrees are recomputed from the raw data), and the cells
    whose members' figures changed and the units whose deadline passed since SINCE without a
    conference, now overdue (their rows are recounted: `rollup.refresh_parts`)."""
    facts = set(study.conferences_changed_since(plan, since))
    facts.update(plans.programmes_changed_since(plan, since))
    figures = set(study.obligations_fallen_due_since(plan, since))
    figures.update(study.attendance_changed_since(plan, since))
    figures.update(essays.essays_changed_since(plan, since))
    figures.update(quizzes.quiz_results_changed_since(plan, since))
    return facts, figures


def _needs_full(plan: StudyPlan, run: FidelityRun | None) -> bool:
    if run is None or run.plan_status != plan.status:
        return True
    if _passed_since(plan.essay_deadline, run.checked_at - OVERLAP):
        return True
    if not FidelityScore.objects.filter(plan=plan, org_id=plan.issuer_id).exists():
        return True
    return quizzes.quiz_changed_since(plan, run.checked_at - OVERLAP)


def refresh_changed(plan: StudyPlan) -> int:
    """Bring PLAN's rows up to date with every change since its last run; returns the rows written."""
    run = FidelityRun.objects.filter(plan=plan).first()
    if _needs_full(plan, run):
        return refresh(plan)
    started = timezone.now()
    facts, figures = changed_orgs(plan, run.checked_at - OVERLAP)
    subtrees = orgs_outermost(facts)
    tops = {org.path for org in subtrees}
    figures = {org_id for org_id, path in org_paths(figures).items() if tops.isdisjoint(ancestor_paths([path]))}
    written = refresh_parts(plan, subtrees=subtrees, orgs=figures)
    FidelityRun.objects.filter(pk=run.pk).update(checked_at=started)
    return written


def refresh_all_changed() -> int:
    """`refresh_changed` for every running plan, and for plans closed since their last run."""
    closed_since = FidelityRun.objects.filter(plan_status=PlanStatus.PUBLISHED).values("plan_id")
    return sum(refresh_changed(plan) for plan in study.plans_running(closed_among=closed_since))
