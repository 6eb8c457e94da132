"""Background refreshes of the fidelity rows (run by `manage.py db_worker`)."""

from datetime import datetime

from django_tasks import task

from quantriet.core.jobs import job_run
from quantriet.org.models import Organization
from quantriet.study.models import StudyPlan

from .models import FidelityScore
from .rollup import refresh


@task()
def refresh_orgs(plan_id: int, org_ids: list[int], changed_at: str) -> int:
    """Refresh the subtrees of the organisations a change touched (the whole plan on its first run).

    A subtree refreshed since CHANGED_AT (ISO time, after the change committed) already includes
    it and is skipped: a burst of check-ins in one cell costs one refresh, not one per check-in.
    """
    plan = StudyPlan.objects.select_related("issuer").filter(pk=plan_id).first()
    if plan is None:
        return 0
    if not FidelityScore.objects.filter(plan=plan, org=plan.issuer).exists():
        return refresh(plan)
    since = datetime.fromisoformat(changed_at)
    fresh = set(
        FidelityScore.objects.filter(plan=plan, org__in=org_ids, refreshed_at__gt=since).values_list("org", flat=True)
    )
    paths = sorted(Organization.objects.filter(pk__in=set(org_ids) - fresh).values_list("path", flat=True))
    tops = [path for i, path in enumerate(paths) if not any(path.startswith(above) for above in paths[:i])]
    return sum(refresh(plan, under=org) for org in Organization.objects.filter(path__in=tops))


@task()
def refresh_plan_task(plan_id: int, job_id: int) -> dict:
    """The full refresh of one plan under a job, whose page shows the progress."""

    def work(progress):
        plan = StudyPlan.objects.select_related("issuer").get(pk=plan_id)
        rows = refresh(plan, progress=progress)
        return {"message": f"Đã tính lại chỉ số làm kỹ của {rows} tổ chức.", "rows": [["Số tổ chức", rows]]}

    return job_run(job_id, work)
