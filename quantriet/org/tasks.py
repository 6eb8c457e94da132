"""Background work of the org app, run by `manage.py db_worker` (django-tasks).

A roster upload is a background job (core.Job, kind `ROSTER_IMPORT_KIND`): the file is its
payload, the unit the upload was narrowed to is its key ("org:<id>"; empty for the uploader's
whole scope), the counts are its result, the refused rows its result's "problems".
"""

from django.db import transaction
from django.urls import reverse
from django_tasks import task

from quantriet.core.audit import audit_record
from quantriet.core.jobs import JobError, job_create, job_enqueue, job_run
from quantriet.core.models import Job
from quantriet.core.sheets import SheetError
from quantriet.core.workers import rerun_safe

from .models import Organization
from .policy import paths_where
from .roster import import_roster, roster_scope_paths

ROSTER_IMPORT_KIND = "org.roster_import"
#: Why a refused file failed its job; its page lists the problems below it.
REFUSED = "Tệp bị từ chối, không dòng nào được ghi."


def roster_import_start(actor, org: Organization | None, filename: str, data: bytes) -> Job:
    """Queue the import of the roster DATA (named FILENAME) uploaded by ACTOR, into ORG's subtree
    or (None) into ACTOR's whole roster scope. The caller checks the right to import."""
    with transaction.atomic():
        job = job_create(
            actor,
            ROSTER_IMPORT_KIND,
            f"Nhập danh sách đảng viên: {filename}",
            key=f"org:{org.pk}" if org is not None else "",
            back_url=reverse("org:roster_import"),
            payload=data,
            payload_name=filename,
        )
        audit_record(actor, "member.import_upload", job, None, {"file": filename, "size": len(data)})
    job_enqueue(job, run_roster_import, job.pk)
    return job


def roster_jobs(user):
    """USER's own roster imports, newest first. Their pages (with the refused rows) are the uploader's
    only, even against the admin (a roster is personal data); a superuser sees a job's state on the
    generic job page and in the admin, as for every job."""
    jobs = Job.objects.visible_to(user).filter(kind=ROSTER_IMPORT_KIND, created_by=user)
    return jobs.defer("payload").order_by("-created_at", "-id")


@rerun_safe  # all or nothing: a worker dying mid-import wrote nothing, and a re-run matches what it did
@task()
def run_roster_import(job_id: int):
    return job_run(job_id, lambda progress: _import(job_id, progress))


def _import(job_id: int, progress) -> dict:
    """The import of the job's file. The scope is recomputed from the uploader's *current* grants."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    narrowed_to = Organization.objects.get(pk=job.key.removeprefix("org:")) if job.key else None
    paths = roster_scope_paths(narrowed_to, paths_where(job.created_by, "roster.import"))
    try:
        result = import_roster(job.created_by, bytes(job.payload), job.payload_name, paths, progress)
    except SheetError as error:
        problems = [{"row": p.row, "column": p.column, "message": p.message, "text": str(p)} for p in error.problems]
        raise JobError(REFUSED, result={"problems": problems}) from None
    counts = {
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "transferred": result.transferred,
    }
    message = (
        f"Đã nhập {result.rows} dòng: thêm mới {result.created}, cập nhật {result.updated}, "
        f"không đổi {result.unchanged}, chuyển chi bộ {result.transferred}."
    )
    return {"message": message, "counts": counts}
