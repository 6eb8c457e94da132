"""Incremental refresh: find what changed since a plan's last run and recompute only those subtrees.

The apps below analytics never call it (DESIGN §3: a rollup is refreshed by the higher app, not
by the lower app calling up); they only keep change times — ``Attendance.updated_at``,
``Conference.updated_at``, ``Essay.submitted_at``, ``Grade.graded_at``,
``EssayVerdict.computed_at``, ``QuizResult.updated_at`` — all indexed. `refresh_changed` reads
them from the plan's watermark (`FidelityRun.checked_at`, less a margin for transactions that
committed late), refreshes the touched cells' and hosts' subtrees and the chain above, and moves
the watermark. `manage.py refresh_fidelity --changed --every 30` runs it in a loop (`make run`
starts one); a plan that was closed or whose quiz settings changed since, or that has no rows
yet, is recomputed whole.

Time changes judgements with no data changing: the day after its deadline a unit that has not
held its conference turns from "chưa đến hạn" into "quá hạn", and the day after the essay
deadline the submission rate starts to count. So the first run after such a day recomputes the
units whose deadline passed since the last run (and the whole plan for the essay deadline).
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from quantriet.essays.models import Essay, EssayVerdict, Grade
from quantriet.org.models import Organization
from quantriet.quizzes.models import Quiz, QuizResult
from quantriet.study.models import Attendance, BridgePoint, Conference, Obligation, PlanStatus, StudyPlan

from .models import FidelityRun, FidelityScore
from .rollup import refresh

#: Changes are read from this long before the watermark: a transaction that began before the
#: last run and committed after it still has its rows picked up.
OVERLAP = timedelta(minutes=5)


def _passed_since(day, since) -> bool:
    """Whether DAY's deadline passed between SINCE and now: DAY is due from the next day on."""
    return day is not None and timezone.localdate(since) <= day < timezone.localdate()


def changed_orgs(plan: StudyPlan, since) -> set[int]:
    """Cells whose members' figures changed since SINCE, the units of conferences that changed, and
    the units whose deadline passed since SINCE without a conference (now overdue)."""
    cells = set()
    passed = Obligation.objects.filter(
        plan=plan,
        held_on__isnull=True,
        deadline__gte=timezone.localdate(since),
        deadline__lt=timezone.localdate(),
    )
    cells.update(passed.values_list("org_id", flat=True))
    member_cells = (
        (Attendance.objects.filter(conference__plan=plan, updated_at__gte=since), "member__cell_id"),
        (Essay.objects.filter(plan=plan, submitted_at__gte=since), "member__cell_id"),
        (Grade.objects.filter(essay__plan=plan, graded_at__gte=since), "essay__member__cell_id"),
        (EssayVerdict.objects.filter(essay__plan=plan, computed_at__gte=since), "essay__member__cell_id"),
        (QuizResult.objects.filter(quiz__plan=plan, updated_at__gte=since), "member__cell_id"),
    )
    for rows, field in member_cells:
        cells.update(rows.order_by().values_list(field, flat=True).distinct())
    conferences = Conference.objects.filter(plan=plan, updated_at__gte=since)
    cells.update(conferences.values_list("host_id", flat=True))
    cells.update(conferences.filter(covered_orgs__isnull=False).values_list("covered_orgs", flat=True))
    cells.update(BridgePoint.objects.filter(conference__in=conferences).values_list("host_id", flat=True))
    return cells


def _needs_full(plan: StudyPlan, run: FidelityRun | None) -> bool:
    if run is None or run.plan_status != plan.status:
        return True
    if _passed_since(plan.essay_deadline, run.checked_at - OVERLAP):
        return True
    if not FidelityScore.objects.filter(plan=plan, org_id=plan.issuer_id).exists():
        return True
    return Quiz.objects.filter(plan=plan, updated_at__gte=run.checked_at - OVERLAP).exists()


def refresh_changed(plan: StudyPlan) -> int:
    """Bring PLAN's rows up to date with every change since its last run; returns the rows written."""
    run = FidelityRun.objects.filter(plan=plan).first()
    if _needs_full(plan, run):
        return refresh(plan)
    started = timezone.now()
    orgs = changed_orgs(plan, run.checked_at - OVERLAP)
    paths = sorted(Organization.objects.filter(pk__in=orgs).values_list("path", flat=True))
    tops = [path for i, path in enumerate(paths) if not any(path.startswith(above) for above in paths[:i])]
    written = sum(refresh(plan, under=org) for org in Organization.objects.filter(path__in=tops))
    FidelityRun.objects.filter(pk=run.pk).update(checked_at=started)
    return written


def refresh_all_changed() -> int:
    """`refresh_changed` for every running plan, and for plans closed since their last run."""
    running = Q(status=PlanStatus.PUBLISHED) | Q(
        status=PlanStatus.CLOSED, fidelity_run__plan_status=PlanStatus.PUBLISHED
    )
    return sum(refresh_changed(plan) for plan in StudyPlan.objects.filter(running).select_related("issuer"))
