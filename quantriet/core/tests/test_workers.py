"""Workers that die (core.workers): their tasks taken back by the living, run again or failed with
"Chạy lại" (core.jobs.job_rerun, /viec-nen/<id>/chay-lai/).

Before, a worker killed mid-task left its task RUNNING and its job spinning for ever: every test
here that expects the work to end fails without the recovery.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from quantriet.core.jobs import WORKER_LOST_FINAL, WORKER_LOST_MESSAGE, job_create, job_enqueue, job_run
from quantriet.core.models import AuditEntry, Job, JobStatus, WorkerBeat
from quantriet.core.workers import BEATS_KEPT, WORKER_LOST, Heartbeat, _take_back, rerun_safe, tasks_recover

from .workers_common import left_by_dead_worker, task_status

ALL = ["admin", "tinh.tuyengiao", "xa1.bithu", "xa2.bithu", "dangvien1", "outsider"]
runs = []


@rerun_safe
@task()
def count_again(job_id: int):
    """A task whose work may run twice (module level: django-tasks needs an importable function)."""
    return job_run(job_id, lambda progress: runs.append(job_id) or {"message": "Đã đếm xong."})


@task()
def send_once(job_id: int):
    """A task not marked safe to re-run (it would, say, mail someone twice)."""
    return job_run(job_id, lambda progress: runs.append(job_id) or {"message": "Đã gửi."})


@pytest.fixture
def queued(users, run_worker):
    """queued(task) → a job of xa1.bithu with a payload, TASK enqueued for it on the database queue."""
    runs.clear()

    def make(work=count_again, actor=users["xa1.bithu"]):
        job = job_create(actor, "test.count", "Đếm thử", payload=b"ho-so", payload_name="ds.csv")
        job_enqueue(job, work, job.pk)
        return job

    return make


def refreshed(job):
    return Job.objects.get(pk=job.pk)


def test_a_task_left_by_a_dead_worker_is_run_again_by_a_living_one(queued, run_worker, client_as):
    job = queued()
    left_by_dead_worker(job, done=40)
    page = client_as("xa1.bithu").get(job.get_absolute_url()).content.decode()
    assert "Đang chạy" in page and "job-restarts" not in page

    assert tasks_recover() == {"requeued": [job.task_id], "failed": []}
    job = refreshed(job)
    assert job.status == JobStatus.QUEUED and job.restarts == 1 and job.done == 0
    page = client_as("xa1.bithu").get(job.get_absolute_url()).content.decode()
    assert 'id="job-restarts"' in page and "chạy lại từ đầu (lần 2)" in page
    requeue = AuditEntry.objects.get(action="job.requeue", object_id=str(job.pk))
    assert requeue.after["lost_worker"] == ["may-1"]

    run_worker()
    job = refreshed(job)
    assert runs == [job.pk] and job.status == JobStatus.DONE and job.payload == b""
    assert task_status(job) == "SUCCESSFUL"
    assert DBTaskResult.objects.get(pk=job.task_id).worker_ids == ["may-1", "may-2"]


def test_a_worker_starting_takes_back_what_a_dead_one_left(queued, run_worker):
    """A worker restarted after a crash (systemd's Restart=always) needs nobody else."""
    job = queued()
    left_by_dead_worker(job)
    run_worker()
    assert refreshed(job).status == JobStatus.DONE and runs == [job.pk]
    assert WorkerBeat.objects.filter(worker_id="may-2").exists()


def test_a_worker_still_beating_keeps_its_task(queued):
    job = queued()
    left_by_dead_worker(job, workers_seen=["may-1"])
    WorkerBeat.objects.create(worker_id="may-1", host="may-1", pid=1)  # a sign of life just now
    assert tasks_recover() == {"requeued": [], "failed": []}
    assert task_status(job) == "RUNNING" and refreshed(job).status == JobStatus.RUNNING


def test_a_task_claimed_moments_ago_is_left_alone(queued, settings):
    """A worker beats before it claims: a task started less than WORKER_DEAD_SECONDS ago is alive."""
    job = queued()
    left_by_dead_worker(job)
    just_now = timezone.now() - timedelta(seconds=settings.WORKER_DEAD_SECONDS / 2)
    DBTaskResult.objects.filter(pk=job.task_id).update(started_at=just_now)
    assert tasks_recover() == {"requeued": [], "failed": []}


def test_after_the_retries_the_job_fails_and_its_creator_runs_it_again(queued, run_worker, client_as, settings):
    settings.WORKER_LOST_RETRIES = 2
    job = queued()
    left_by_dead_worker(job, workers_seen=["may-1", "may-2", "may-1"])  # it killed its worker three times
    assert tasks_recover() == {"requeued": [], "failed": [job.task_id]}
    job = refreshed(job)
    assert job.status == JobStatus.FAILED and job.resumable and job.error == WORKER_LOST_MESSAGE
    assert job.payload == b"ho-so"  # kept for the re-run
    failed = DBTaskResult.objects.get(pk=job.task_id)
    assert failed.status == "FAILED" and failed.exception_class_path == WORKER_LOST
    page = client_as("xa1.bithu").get(job.get_absolute_url()).content.decode()
    rerun_url = reverse("core:job_rerun", args=[job.pk])
    assert "Chạy lại" in page and f'action="{rerun_url}"' in page and "csrfmiddlewaretoken" in page
    assert rerun_url not in client_as("admin").get(job.get_absolute_url()).content.decode()

    response = client_as("xa1.bithu").post(rerun_url)
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    job = refreshed(job)
    assert job.status == JobStatus.QUEUED and not job.resumable and job.error == "" and job.restarts == 0
    assert job.task_id != failed.pk and task_status(job) == "READY"
    assert AuditEntry.objects.filter(action="job.rerun", object_id=str(job.pk), actor__username="xa1.bithu").exists()
    run_worker()
    assert refreshed(job).status == JobStatus.DONE and runs == [job.pk]

    again = client_as("xa1.bithu").post(rerun_url)  # a second click, or an old tab: nothing to run
    assert again.status_code == 302 and refreshed(job).status == JobStatus.DONE
    assert DBTaskResult.objects.filter(task_path=failed.task_path).count() == 2


def test_rerun_is_refused_outside_the_creator(queued, users, client_as):
    job = queued()
    left_by_dead_worker(job, workers_seen=["a", "b", "c"])
    tasks_recover()
    url = reverse("core:job_rerun", args=[job.pk])
    others = [p for p in ALL if p != "xa1.bithu"]
    expected = {p: 404 for p in others} | {"admin": 403}
    assert {p: client_as(p).post(url).status_code for p in others} == expected
    assert "Chỉ người tạo việc nền này" in client_as("admin").post(url).content.decode()
    assert client_as(None).post(url).status_code == 302  # to the login page
    assert client_as("xa1.bithu").get(url).status_code == 405
    assert refreshed(job).status == JobStatus.FAILED and refreshed(job).resumable
    assert client_as("xa1.bithu").post(url).status_code == 302 and refreshed(job).status == JobStatus.QUEUED


def test_a_job_without_creator_is_run_again_by_a_superuser(queued, client_as):
    job = queued(actor=None)
    left_by_dead_worker(job, workers_seen=["a", "b", "c"])
    tasks_recover()
    url = reverse("core:job_rerun", args=[job.pk])
    assert client_as("tinh.tuyengiao").post(url).status_code == 404
    assert client_as("admin").post(url).status_code == 302 and refreshed(job).status == JobStatus.QUEUED


def test_a_task_not_safe_to_rerun_fails_at_once_without_chay_lai(queued, client_as):
    job = queued(send_once)
    left_by_dead_worker(job)
    assert tasks_recover() == {"requeued": [], "failed": [job.task_id]}
    job = refreshed(job)
    assert job.status == JobStatus.FAILED and not job.resumable and job.error == WORKER_LOST_FINAL
    assert job.payload == b""  # no re-run: the input is not kept
    assert "Chạy lại" not in client_as("xa1.bithu").get(job.get_absolute_url()).content.decode()
    assert client_as("xa1.bithu").post(reverse("core:job_rerun", args=[job.pk])).status_code == 302
    assert refreshed(job).status == JobStatus.FAILED and runs == []


def test_a_task_taken_back_by_another_worker_meanwhile_is_not_taken_twice(queued):
    job = queued()
    left_by_dead_worker(job)
    seen = DBTaskResult.objects.get(pk=job.task_id)  # read by this worker, then another one was faster:
    assert tasks_recover()["requeued"] == [job.task_id]
    assert not _take_back(seen, True, timezone.now()) and not _take_back(seen, False, timezone.now())
    assert task_status(job) == "READY" and refreshed(job).restarts == 1


def test_the_heartbeat_records_the_worker_and_forgets_old_ones(db, in_test_transaction):
    WorkerBeat.objects.create(worker_id="cu", host="may-cu", pid=7, seen_at=timezone.now() - BEATS_KEPT * 2)
    heartbeat = Heartbeat("moi")
    heartbeat.beat()
    first = WorkerBeat.objects.get(worker_id="moi")
    heartbeat.beat()
    beat = WorkerBeat.objects.get(worker_id="moi")
    assert beat.seen_at > first.seen_at and beat.started_at == first.started_at and beat.pid > 0
    assert not WorkerBeat.objects.filter(worker_id="cu").exists()


def test_the_admin_lists_the_workers_read_only(client_as, users):
    WorkerBeat.objects.create(worker_id="may-song", host="app1", pid=11)
    WorkerBeat.objects.create(worker_id="may-chet", host="app2", pid=12, seen_at=timezone.now() - timedelta(hours=1))
    page = client_as("admin").get("/quan-tri/core/workerbeat/").content.decode()
    assert "may-song" in page and "may-chet" in page and "Tiến trình nền" in page
    assert page.count('alt="True"') == 1 and page.count('alt="False"') == 1  # alive, silent
    beat = WorkerBeat.objects.get(worker_id="may-song")
    assert client_as("admin").post(f"/quan-tri/core/workerbeat/{beat.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client_as("tinh.tuyengiao").get("/quan-tri/core/workerbeat/").status_code == 302  # not staff: to login
