"""Task workers that die: signs of life, and the tasks they leave behind taken back by the others.

django-tasks-db marks a task RUNNING when a worker claims it and only that worker ever marks it
finished: a worker killed in the middle (the machine lost, the process killed by the kernel for
memory, `kill -9`) leaves its task RUNNING for ever, and its job's page spinning.

So every worker (`manage.py db_worker`, `Heartbeat`) writes a sign of life (`WorkerBeat`) every
WORKER_HEARTBEAT_SECONDS, and then looks for tasks left behind (`tasks_recover`): RUNNING tasks
whose last worker has been silent for WORKER_DEAD_SECONDS. What a committee office expects of
such a task, decided here:

- **run again from the start, by itself**, when the task says its work is safe to re-run
  (`rerun_safe`: all or nothing, or recomputed from scratch — the roster import, the originality
  rescans, the fidelity refresh): the task goes back to the queue, its job shows "Đang chờ" and
  counts the restart, and the next free worker runs it. Nobody has to notice.
- **failed, with "Chạy lại"**, once it was started WORKER_LOST_RETRIES + 1 times and its worker died
  every time (the work itself probably kills its worker: a file too big for the machine's memory):
  the job says so in Vietnamese and its creator may run it again (`core.jobs.job_rerun`) once the
  cause is fixed; its input file is kept until then.
- **failed** at once, without a new attempt, for a task not marked safe to re-run (the overdue
  reminders: a second run could mail twice; the daily timer runs them again anyway).

Which worker takes a task back does not matter: the first one to change the row (a conditional
UPDATE on the task's status and start time, the same on PostgreSQL and SQLite) does it, the others
find nothing to do. A worker only seems dead if its signs of life stop: WORKER_DEAD_SECONDS must be
well above any pause of the database (a worker whose beat cannot be written for that long is
taken for dead, and its re-run-safe task may then run twice — harmless by construction).
"""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from .models import WorkerBeat

log = logging.getLogger(__name__)

#: Task paths (`Task.module_path`) marked safe to run again from the start (`rerun_safe`).
_RERUN_SAFE: set[str] = set()
#: What the task backend records as the failure of a task whose worker died.
WORKER_LOST = "quantriet.core.workers.WorkerLost"
#: Worker beats older than this are deleted (the worker is long gone).
BEATS_KEPT = timedelta(days=1)


def rerun_safe(task):
    """Mark TASK (a django-tasks Task; put this above ``@task()``) as safe to run again from the
    start after its worker died: its work writes all or nothing, or recomputes from scratch."""
    _RERUN_SAFE.add(task.module_path)
    return task


def is_rerun_safe(path: str) -> bool:
    """Whether the task at PATH is marked `rerun_safe` (its module is imported to know)."""
    try:
        import_string(path)
    except ImportError:
        return False
    return path in _RERUN_SAFE


def worker_beat(worker_id: str, now=None):
    """Record that WORKER_ID is alive (this host, this process)."""
    now = now or timezone.now()
    updated = WorkerBeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        WorkerBeat.objects.create(
            worker_id=worker_id, host=socket.gethostname()[:255], pid=os.getpid(), started_at=now, seen_at=now
        )


def tasks_recover(now=None) -> dict:
    """Take back the tasks left RUNNING by dead workers (see the module docstring).

    Returns {"requeued": [task ids], "failed": [task ids]}."""
    from .jobs import job_interrupted, job_requeued

    now = now or timezone.now()
    silent_since = now - timedelta(seconds=settings.WORKER_DEAD_SECONDS)
    alive = set(WorkerBeat.objects.filter(seen_at__gte=silent_since).values_list("worker_id", flat=True))
    # Started before the silence began: a worker beats before it claims anything.
    running = DBTaskResult.objects.running().filter(started_at__lt=silent_since)
    done = {"requeued": [], "failed": []}
    for task in running.only("id", "task_path", "worker_ids", "started_at"):
        if task.worker_ids and task.worker_ids[-1] in alive:
            continue
        safe = is_rerun_safe(task.task_path)
        again = safe and len(task.worker_ids) <= settings.WORKER_LOST_RETRIES
        if not _take_back(task, again, now):
            continue  # another worker took it back first
        if again:
            job_requeued(str(task.id), task.worker_ids[-1:])
        else:
            job_interrupted(str(task.id), resumable=safe)
        done["requeued" if again else "failed"].append(str(task.id))
        log.warning(
            "Tác vụ %s (%s) bị bỏ dở vì tiến trình nền %s đã dừng: %s.",
            task.id,
            task.task_path,
            task.worker_ids[-1:] or "?",
            "đưa lại vào hàng đợi" if again else "đánh dấu thất bại",
        )
    WorkerBeat.objects.filter(seen_at__lt=now - BEATS_KEPT).delete()
    return done


def _take_back(task: DBTaskResult, again: bool, now) -> bool:
    """Put TASK back in the queue (AGAIN) or mark it failed, if it is still as it was read."""
    claimed = DBTaskResult.objects.filter(pk=task.pk, status="RUNNING", started_at=task.started_at)
    if again:
        return claimed.update(status="READY", started_at=None) == 1
    trace = f"Tiến trình nền {task.worker_ids[-1:] or '?'} đã dừng khi đang chạy tác vụ này (không còn tín hiệu).\n"
    return claimed.update(status="FAILED", finished_at=now, exception_class_path=WORKER_LOST, traceback=trace) == 1


class Heartbeat(threading.Thread):
    """Beside a worker's loop: its sign of life every WORKER_HEARTBEAT_SECONDS, then `tasks_recover`.

    A thread, so that a long task (a rescan busy for minutes) still beats. It has its own database
    connection; an error of the database is logged and the next beat tries again."""

    def __init__(self, worker_id: str):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def start(self):
        """The first beat in the caller's thread, before the worker claims anything; then the thread."""
        self.beat()
        super().start()

    def run(self):
        try:
            while not self.stopped.wait(settings.WORKER_HEARTBEAT_SECONDS):
                self.beat()
        finally:
            connection.close()

    def beat(self):
        close_old_connections()
        try:
            worker_beat(self.worker_id)
            tasks_recover()
        except DatabaseError as error:
            log.warning("Không ghi được tín hiệu của tiến trình nền %s: %s", self.worker_id, error)
            connection.close()

    def stop(self):
        self.stopped.set()
        self.join(timeout=settings.WORKER_HEARTBEAT_SECONDS + 5)
