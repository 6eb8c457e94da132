"""Roster imports become background jobs (core.Job, kind "org.roster_import"): one job table.

Every RosterImportJob is copied: the uploaded file becomes the job's payload, the unit the upload
was narrowed to its key ("org:<id>"), the counts and the refused rows its result. An import still
waiting in the task queue keeps its place: its queued task is pointed at the new job's id. (A
job's old address, /nhap-danh-sach/<old id>/, does not follow: the ids are the job table's.)
"""

from django.db import migrations
from django.urls import reverse

KIND = "org.roster_import"
TASK = "quantriet.org.tasks.run_roster_import"
#: As in org/tasks.py when the migration was written (a migration keeps its own copy).
REFUSED = "Tệp bị từ chối, không dòng nào được ghi."


def _result(old) -> dict:
    if old.status == "done" and old.result:
        counts = old.result
        message = (
            f"Đã nhập {counts.get('rows', 0)} dòng: thêm mới {counts.get('created', 0)}, "
            f"cập nhật {counts.get('updated', 0)}, không đổi {counts.get('unchanged', 0)}, "
            f"chuyển chi bộ {counts.get('transferred', 0)}."
        )
        return {"message": message, "counts": counts}
    if old.status == "failed":
        return {"problems": old.problems}
    return {}


def _repoint_queued_tasks(apps, ids: dict):
    """Point the queued import tasks at the moved rows (IDS: old id → new id)."""
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for queued in DBTaskResult.objects.filter(task_path=TASK, status="READY"):
        args = queued.args_kwargs.get("args") or []
        if args and args[0] in ids:
            queued.args_kwargs = {**queued.args_kwargs, "args": [ids[args[0]], *args[1:]]}
            queued.save(update_fields=["args_kwargs"])


def imports_to_jobs(apps, schema_editor):
    RosterImportJob = apps.get_model("org", "RosterImportJob")
    Job = apps.get_model("core", "Job")
    new_ids = {}
    for old in RosterImportJob.objects.order_by("pk").iterator(chunk_size=100):
        job = Job.objects.create(
            kind=KIND,
            key=f"org:{old.org_id}" if old.org_id else "",
            label=f"Nhập danh sách đảng viên: {old.filename}"[:300],
            status=old.status,
            done=old.done,
            total=old.total,
            result=_result(old),
            error=REFUSED if old.status == "failed" else "",
            back_url=reverse("org:roster_import"),
            created_by_id=old.user_id,
            created_at=old.created_at,
            finished_at=old.finished_at,
            updated_at=old.finished_at or old.created_at,
            payload=bytes(old.data),
            payload_name=old.filename,
        )
        new_ids[old.pk] = job.pk
    _repoint_queued_tasks(apps, new_ids)


def jobs_to_imports(apps, schema_editor):
    """Back to RosterImportJob rows (the queued tasks are pointed back as well)."""
    RosterImportJob = apps.get_model("org", "RosterImportJob")
    Job = apps.get_model("core", "Job")
    old_ids = {}
    for job in Job.objects.filter(kind=KIND).exclude(created_by=None).order_by("pk").iterator(chunk_size=100):
        old = RosterImportJob.objects.create(
            user_id=job.created_by_id,
            org_id=int(job.key.removeprefix("org:")) if job.key else None,
            filename=job.payload_name,
            data=bytes(job.payload),
            status=job.status,
            done=job.done,
            total=job.total,
            problems=job.result.get("problems", []),
            result=job.result.get("counts", {}),
            created_at=job.created_at,
            finished_at=job.finished_at,
        )
        old_ids[job.pk] = old.pk
    Job.objects.filter(kind=KIND).delete()
    _repoint_queued_tasks(apps, old_ids)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0003_transfer_request"),
        ("core", "0004_job_payload"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(imports_to_jobs, jobs_to_imports)]
