"""The full refresh of a plan as a background job (run by `manage.py db_worker`)."""

from django_tasks import task

from quantriet.core.jobs import job_run
from quantriet.core.workers import rerun_safe
from quantriet.study.models import StudyPlan

from .rollup import refresh


@rerun_safe  # every row recomputed from the facts
@task()
def refresh_plan_task(plan_id: int, job_id: int) -> dict:
    """The full refresh of one plan under a job, whose page shows the progress."""

    def work(progress):
        plan = StudyPlan.objects.select_related("issuer").get(pk=plan_id)
        rows = refresh(plan, progress=progress)
        return {"message": f"Đã tính lại chỉ số làm kỹ của {rows} tổ chức.", "rows": [["Số tổ chức", rows]]}

    return job_run(job_id, work)
