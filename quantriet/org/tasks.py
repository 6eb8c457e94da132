"""Background work of the org app, run by `manage.py db_worker` (django-tasks)."""

import logging

from django.utils import timezone
from django_tasks import task

from quantriet.core.sheets import Problem, SheetError

from .models import ROSTER_ROLES, ImportStatus, RosterImportJob, granted_paths
from .roster import import_roster, roster_scope_paths

log = logging.getLogger(__name__)


@task()
def run_roster_import(job_id: int):
    job = RosterImportJob.objects.select_related("user", "org").get(pk=job_id)
    job.status = ImportStatus.RUNNING
    job.save(update_fields=["status"])

    def progress(done, total):
        RosterImportJob.objects.filter(pk=job_id).update(done=done, total=total)

    paths = roster_scope_paths(job.org, granted_paths(job.user, ROSTER_ROLES))
    try:
        result = import_roster(job.user, bytes(job.data), job.filename, paths, progress)
    except SheetError as error:
        _fail(job, error.problems)
    except Exception:
        # The job must end either way, or its page would poll for ever; the import itself rolled back.
        log.exception("roster import job %s crashed", job_id)
        _fail(job, [Problem(0, "", "Lỗi hệ thống khi nhập; không dòng nào được ghi. Hãy báo quản trị hệ thống.")])
    else:
        job.status = ImportStatus.DONE
        job.result = {
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "transferred": result.transferred,
        }
    job.data = b""
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "problems", "result", "data", "finished_at"])


def _fail(job, problems):
    job.status = ImportStatus.FAILED
    job.problems = [{"row": p.row, "column": p.column, "message": p.message, "text": str(p)} for p in problems]
