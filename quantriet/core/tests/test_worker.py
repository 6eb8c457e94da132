"""The background worker survives transient database errors; a job waiting too long says so.

Probing found `db_worker` (as `make run` starts it) hitting "database is locked" and no longer
processing while its process stayed up: a roster import stayed queued for ten minutes.
"""

import datetime

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from quantriet.core.management.commands.db_worker import Command, ResilientWorker
from quantriet.core.models import Job, JobStatus
from quantriet.org.tasks import ROSTER_IMPORT_KIND

from .workers_common import DB_TASKS, OPTIONS

done = []


@task()
def remember(value: str):
    """A task with a visible effect (module level: django-tasks needs an importable function)."""
    done.append(value)
    return value


@pytest.fixture
def locked_once(monkeypatch, in_test_transaction):
    """The worker's transaction fails to begin once with SQLite's "database is locked", as when
    another connection holds the write lock past the timeout; then the database is free again."""
    real = db_worker.exclusive_transaction
    failures = [OperationalError("database is locked")]

    def flaky(using=None):
        if failures:
            raise failures.pop()
        return real(using)

    monkeypatch.setattr(db_worker, "exclusive_transaction", flaky)
    pauses = []

    def sleep(seconds):
        pauses.append(seconds)
        assert len(pauses) < 5, "the worker keeps failing"  # fail the test rather than loop for ever

    monkeypatch.setattr(db_worker.time, "sleep", sleep)
    return failures


@override_settings(TASKS=DB_TASKS, WORKER_BACKOFF_START=0.01)
def test_the_worker_survives_a_locked_database_and_then_runs_the_job(db, locked_once, caplog):
    done.clear()
    result = remember.enqueue("nhập danh sách")
    ResilientWorker(**OPTIONS).run()
    assert locked_once == []  # the error did happen
    assert done == ["nhập danh sách"]
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"
    assert "database is locked" in caplog.text and "thử lại" in caplog.text


@override_settings(TASKS=DB_TASKS, WORKER_BACKOFF_START=0.01)
def test_upstream_worker_alone_dies_on_the_same_error(db, locked_once):
    """What the project's command fixes: django-tasks-db's own loop ends with the exception."""
    done.clear()
    remember.enqueue("x")
    with pytest.raises(OperationalError):
        db_worker.Worker(**OPTIONS).run()
    assert done == []


def test_manage_py_db_worker_is_the_resilient_one():
    from django.core.management import get_commands, load_command_class

    assert get_commands()["db_worker"] == "quantriet.core"
    assert isinstance(load_command_class("quantriet.core", "db_worker"), Command)


# ---------------------------------------------------------------- a job waiting too long


@override_settings(JOB_QUEUE_WARNING_MINUTES=5)
def test_a_job_queued_too_long_warns_on_its_page_and_in_the_admin(users, client_as):
    job = Job.objects.create(kind="test", label="Quét lại", created_by=users["xa1.bithu"])
    page = client_as("xa1.bithu").get(job.get_absolute_url()).content.decode()
    assert "db_worker" not in page
    assert "waiting-jobs" not in client_as("admin").get("/quan-tri/").content.decode()

    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=6))
    assert Job.objects.get(pk=job.pk).stale and Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    page = client_as("xa1.bithu").get(job.get_absolute_url()).content.decode()
    assert "Chưa có tiến trình nền nào nhận việc này" in page

    roster = Job.objects.create(
        kind=ROSTER_IMPORT_KIND,
        label="Nhập danh sách đảng viên: ds.xlsx",
        payload_name="ds.xlsx",
        created_by=users["xa1.bithu"],
    )
    url = reverse("org:roster_job", args=[roster.pk])
    assert "job-waiting" not in client_as("xa1.bithu").get(url).content.decode()
    Job.objects.filter(pk=roster.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=6))
    page = client_as("xa1.bithu").get(url).content.decode()
    assert 'id="job-waiting"' in page and "db_worker" in page
    assert Job.objects.get(pk=roster.pk).status == JobStatus.QUEUED

    admin = client_as("admin").get("/quan-tri/").content.decode()
    assert "1 việc nền đã chờ hơn 5 phút" in admin and "1 lượt nhập danh sách đã chờ hơn 5 phút" in admin
