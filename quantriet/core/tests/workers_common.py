"""A real database task queue and worker inside a test (no tests here; the fixtures `run_worker`
and `in_test_transaction` are in the root conftest.py), and a worker that died.

The worker is the project's `db_worker` (`ResilientWorker`) in batch mode: it runs what is queued,
then returns. A dead worker is what `kill -9` leaves: its task RUNNING under its id, its job
running, no sign of life since.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from quantriet.core.models import Job, JobStatus

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

#: Worker options: batch mode, so that the run ends once no task is left.
OPTIONS = {
    "queue_names": ["default"],
    "interval": 0,
    "batch": True,
    "backend_name": "default",
    "startup_delay": False,
    "max_tasks": None,
    "worker_id": "test",
    "excluded_queue_names": [],
}


def left_by_dead_worker(job: Job, workers_seen=("may-1",), done=0):
    """JOB's task as a worker killed mid-run leaves it: claimed (once by each of WORKERS_SEEN, the
    last one running it), started long ago, its job running with DONE items; no worker beats."""
    long_ago = timezone.now() - timedelta(seconds=settings.WORKER_DEAD_SECONDS + 60)
    claimed = DBTaskResult.objects.filter(pk=job.task_id, status="READY")
    assert claimed.update(status="RUNNING", started_at=long_ago, worker_ids=list(workers_seen)) == 1
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=long_ago, updated_at=long_ago, done=done)


def task_status(job: Job) -> str:
    return DBTaskResult.objects.get(pk=Job.objects.get(pk=job.pk).task_id).status
