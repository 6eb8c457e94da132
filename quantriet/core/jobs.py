"""Background jobs with a progress page (việc nền): the record of one piece of background work.

A feature that runs something long in the background (a bulk originality rescan, a rollup
refresh) uses three calls:

    from quantriet.core.jobs import job_create, job_run

    # 1. In the service a POST view calls: create the job (audited), enqueue the task with its id,
    #    then send the user to job.get_absolute_url() (/viec-nen/<id>/).
    job = job_create(actor, "essays.rescan", "Quét lại trùng lặp — Kế hoạch 12", key="plan:12",
                     back_url=reverse("essays:board", args=[12]))
    job_enqueue(job, rescan_task, 12, job.pk)

    # 2. In the task (django-tasks): run the work under the job.
    @rerun_safe  # core.workers: the rescan recomputes everything, so a dead worker's run is redone
    @task()
    def rescan_task(plan_id, job_id):
        return job_run(job_id, lambda progress: rescan(plan_id, progress))

- ``job_run(job_id, work)`` marks the job running, calls ``work(progress)``, stores what it
  returns (a JSON-ready dict) as ``job.result`` and marks the job done. ``progress(done,
  total=None)`` reports how far the work is; it writes the row only when the whole percentage or
  the total changes (at most about a hundred writes, however many items), and once at the end.
- A failure never leaves the job running: ``raise JobError("…")`` fails it with that Vietnamese
  message for the user (``JobError("…", result={...})`` also keeps details for the page, such as
  the rows of a file that were refused); any other exception fails it with `CRASH_MESSAGE`, is
  logged and raised again (so the task backend records the traceback too). Both are audited
  like the creation. A refusal keeps what the work wrote before it; a crash inside a request's
  transaction (the immediate backend) rolls the work back.
- Work on a file takes it as the job's ``payload`` (``job_create(..., payload=data,
  payload_name=name)``; the work reads ``Job.payload``): the file travels in the database, so
  any worker on any machine can run the job. It is emptied once the job has ended, whatever
  the outcome.
- ``job_active(kind, key)`` is the unfinished, not stale job of that kind about that object, if
  any: a feature may send a second request to it rather than start the same work twice.
- The page polls itself (htmx, every second) until the job is finished, then shows from
  ``result``: ``"message"`` (one line) and ``"rows"`` (a list of [label, value] shown as a
  table); other keys are kept for the caller. A job silent for `models.JOB_STALE_AFTER` says
  its worker may be gone.
- ``job_enqueue(job, task, *args)`` enqueues the task and remembers the call on the job: when
  the worker running it dies, `core.workers` finds the job again, and either puts the work back
  in the queue (``job_requeued``: the job waits again, its ``restarts`` counted) or fails it
  (``job_interrupted``), "resumable" when the task is `rerun_safe`: its creator then sees a
  "Chạy lại" button (``job_rerun``), and its payload is kept until then.
- Who sees a job: its creator and superusers (``Job.objects.visible_to``); anyone else gets a
  404, as for an object that does not exist.

Progress is written with the work's database connection: work that runs inside one big
transaction shows its progress only when that commits (keep such work in short transactions).
"""

import json
import logging
from collections.abc import Callable
from contextlib import nullcontext

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from .audit import audit_record
from .models import JOB_STALE_AFTER, Job, JobStatus

log = logging.getLogger(__name__)

#: What the user reads when the work crashed (the traceback goes to the log).
CRASH_MESSAGE = "Lỗi hệ thống khi chạy việc nền; việc đã dừng giữa chừng. Hãy báo quản trị hệ thống."
#: What the user reads when the worker running the job died every time it was started (core.workers).
WORKER_LOST_MESSAGE = (
    "Tiến trình nền chạy việc này đã dừng đột ngột (máy chủ khởi động lại hoặc thiếu bộ nhớ) trước khi "
    "việc xong; phần đang làm dở không được ghi. Bấm “Chạy lại” để chạy lại từ đầu."
)
#: The same, for a task that is not safe to run twice: not offered again.
WORKER_LOST_FINAL = "Tiến trình nền chạy việc này đã dừng đột ngột trước khi việc xong. Hãy báo quản trị hệ thống."
#: With no total known, progress is written every this many items.
UNKNOWN_TOTAL_STEP = 100


class JobError(Exception):
    """Raised by a job's work to fail it with a message for the user (Vietnamese); RESULT, if
    given, is stored as the failed job's result (details the page shows)."""

    def __init__(self, message: str = "", *, result: dict | None = None):
        super().__init__(message)
        self.result = result


def job_create(
    actor,
    kind: str,
    label: str,
    *,
    key: str = "",
    back_url: str = "",
    details=None,
    payload: bytes = b"",
    payload_name: str = "",
) -> Job:
    """A queued job created by ACTOR (audited as ``job.create`` with DETAILS); enqueue its task next.

    PAYLOAD (named PAYLOAD_NAME) is the file the work reads, if any."""
    if not back_url.startswith("/") or back_url.startswith("//"):
        back_url = ""  # only a path inside the site
    job = Job.objects.create(
        kind=kind[:60],
        key=key[:100],
        label=label[:300],
        back_url=back_url[:500],
        created_by=actor if getattr(actor, "pk", None) else None,
        payload=payload,
        payload_name=payload_name[:255],
    )
    audit_record(
        actor, "job.create", job, None, {"kind": job.kind, "key": job.key, "label": job.label} | (details or {})
    )
    return job


def job_enqueue(job: Job, task, *args, **kwargs):
    """Enqueue TASK(*ARGS, **KWARGS) to do JOB's work, and remember the call on the job (see the
    module docstring). The task row and the job's link to it are written together."""
    call = {"path": task.module_path, "args": list(args), "kwargs": kwargs}
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(task_call=call)
        result = task.enqueue(*args, **kwargs)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_call, job.task_id = call, str(result.id)
    return result


def job_requeued(task_id: str, workers: list[str]):
    """The task TASK_ID went back to the queue after its worker died: its job waits again."""
    job = Job.objects.defer("payload").filter(task_id=task_id).first()
    if job is None or job.finished:
        return
    before = {"status": job.status, "done": job.done, "total": job.total}
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.QUEUED, done=0, total=0, started_at=None, updated_at=now, restarts=F("restarts") + 1
    )
    audit_record(None, "job.requeue", job, before, {"status": JobStatus.QUEUED, "lost_worker": workers})


def job_interrupted(task_id: str, *, resumable: bool):
    """The task TASK_ID was failed after its worker died: so is its job, RESUMABLE or not (its
    payload is kept for a re-run, dropped otherwise)."""
    job = Job.objects.defer("payload").filter(task_id=task_id).first()
    if job is None or job.finished:
        return
    before = {"status": job.status, "done": job.done, "total": job.total}
    now = timezone.now()
    fields = {"status": JobStatus.FAILED, "finished_at": now, "updated_at": now, "resumable": resumable}
    fields["error"] = WORKER_LOST_MESSAGE if resumable else WORKER_LOST_FINAL
    if not resumable:
        fields["payload"] = b""
    Job.objects.filter(pk=job.pk).update(**fields)
    audit_record(job.created_by, "job.failed", job, before, {"status": JobStatus.FAILED, "error": fields["error"]})


def job_rerun(actor, job: Job) -> bool:
    """Start again from the beginning the work of JOB, failed because its worker died (``resumable``).

    The caller checks that ACTOR may (the job's creator). False when there is nothing to run again
    (not resumable, or run again already: a second click)."""
    from .workers import is_rerun_safe

    path = job.task_call.get("path", "")
    if not is_rerun_safe(path):
        return False
    with transaction.atomic():
        now = timezone.now()
        fields = {"status": JobStatus.QUEUED, "resumable": False, "error": "", "done": 0, "total": 0}
        fields |= {"started_at": None, "finished_at": None, "updated_at": now, "restarts": 0}
        if not Job.objects.filter(pk=job.pk, status=JobStatus.FAILED, resumable=True).update(**fields):
            return False
        audit_record(actor, "job.rerun", job, {"status": job.status}, {"status": JobStatus.QUEUED})
        task = import_string(path)
        job_enqueue(job, task, *job.task_call["args"], **job.task_call["kwargs"])
    return True


def job_active(kind: str, key: str) -> Job | None:
    """The latest unfinished job of KIND about KEY that is still alive (not stale), or None."""
    alive = timezone.now() - JOB_STALE_AFTER
    return Job.objects.unfinished().filter(kind=kind, key=key, updated_at__gte=alive).order_by("-created_at").first()


class JobProgress:
    """``progress(done, total=None)``: record how far the work is, writing the row only when it shows."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.done = 0
        self.total = 0
        self.writes = 0
        self._shown = None

    def _mark(self) -> tuple:
        if self.total:
            return (self.total, min(100, 100 * self.done // self.total), self.done >= self.total)
        return (0, self.done // UNKNOWN_TOTAL_STEP, False)

    def __call__(self, done: int, total: int | None = None):
        self.done = max(0, int(done))
        if total is not None:
            self.total = max(0, int(total))
        mark = self._mark()
        if mark != self._shown:
            self._shown = mark
            self.writes += 1
            Job.objects.filter(pk=self.job_id).update(done=self.done, total=self.total, updated_at=timezone.now())


def job_run(job_id: int, work: Callable[[JobProgress], dict | None]):
    """Run WORK(progress) under the job JOB_ID and record how it ended (see the module docstring)."""
    job = Job.objects.defer("payload").get(pk=job_id)
    if job.finished:
        log.warning("job %s already %s: not run again", job_id, job.status)
        return job.result
    now = timezone.now()
    Job.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, started_at=now, updated_at=now)
    progress = JobProgress(job_id)
    # Inside a transaction already (an immediate backend within a request), a savepoint keeps a
    # database error of the work from breaking the transaction the failure is recorded in.
    guard = transaction.atomic if connection.in_atomic_block else nullcontext
    try:
        with guard():
            result, refusal = _attempt(work, progress)
        result = json.loads(json.dumps(result or {}, cls=DjangoJSONEncoder))  # what the JSON field can hold
    except Exception:
        log.exception("job %s (%s) crashed", job_id, job.kind)
        _finish(job_id, JobStatus.FAILED, error=CRASH_MESSAGE, done=progress.done, total=progress.total)
        raise
    if refusal is not None:
        message = str(refusal) or CRASH_MESSAGE
        _finish(
            job_id, JobStatus.FAILED, error=message, done=progress.done, total=progress.total, result=refusal.result
        )
        return None
    done = progress.total or progress.done
    _finish(job_id, JobStatus.DONE, result=result, done=done, total=max(progress.total, done))
    return result


def _attempt(work, progress) -> tuple[dict | None, JobError | None]:
    """(WORK's result, None), or (None, the JobError it failed with). The refusal is returned, not
    raised through the savepoint: what the work wrote before refusing (e.g. the transfer requests
    of a refused roster) stays, as it does in a worker, where no transaction surrounds the work."""
    try:
        return work(progress), None
    except JobError as error:
        return None, error


def _finish(job_id: int, status: str, *, done: int, total: int, result=None, error: str = ""):
    """Record how the job ended (the counters again: a savepoint rolled back may have taken them),
    and drop its payload: the input is not kept once the work has ended."""
    job = Job.objects.defer("payload").get(pk=job_id)
    before = {"status": job.status, "done": job.done, "total": job.total}
    job.status, job.error, job.finished_at = status, error, timezone.now()
    job.updated_at = job.finished_at
    job.done, job.total = done, total
    job.payload = b""
    fields = ["status", "error", "finished_at", "updated_at", "done", "total", "payload"]
    if result is not None:
        job.result = result
        fields.append("result")
    job.save(update_fields=fields)
    after = {"status": job.status, "done": job.done, "total": job.total}
    after |= {"error": error} if error else {"result": job.result}
    audit_record(job.created_by, f"job.{status}", job, before, after)
