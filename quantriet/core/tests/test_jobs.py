"""Background jobs (core.jobs): running, progress, failure, and the page /viec-nen/<id>/."""

import datetime

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from quantriet.core import urls
from quantriet.core.jobs import CRASH_MESSAGE, JobError, JobProgress, job_active, job_create, job_run
from quantriet.core.models import JOB_STALE_AFTER, AuditEntry, Job, JobStatus

ALL = ["admin", "tinh.tuyengiao", "xa1.bithu", "xa2.bithu", "dangvien1", "outsider"]


@task()
def crashing_task(job_id: int):
    """A task whose work divides by zero (module level: django-tasks needs an importable function)."""
    return job_run(job_id, lambda progress: 1 / 0)


def new_job(user, **kwargs):
    return job_create(user, "test.count", "Đếm thử", **kwargs)


def audit_actions(job):
    return sorted(
        AuditEntry.objects.filter(object_type="core.job", object_id=str(job.pk)).values_list("action", flat=True)
    )


def test_a_job_runs_shows_progress_while_running_and_keeps_its_result(users):
    job = new_job(users["xa1.bithu"], key="x:1", back_url="/thu-hoach/")
    assert job.status == JobStatus.QUEUED and job.created_by == users["xa1.bithu"]
    seen = {}

    def work(progress):
        for i in range(1, 1001):
            progress(i, 1000)
            if i == 500:
                row = Job.objects.get(pk=job.pk)
                seen.update(status=row.status, done=row.done, total=row.total, started=row.started_at)
        return {"message": "Đã đếm xong.", "rows": [["Số mục", 1000]], "day": datetime.date(2026, 1, 5)}

    result = job_run(job.pk, work)
    assert seen["status"] == JobStatus.RUNNING and seen["done"] == 500 and seen["total"] == 1000
    assert seen["started"] is not None
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.done == job.total == 1000 and job.percent == 100
    assert job.result == result == {"message": "Đã đếm xong.", "rows": [["Số mục", 1000]], "day": "2026-01-05"}
    assert job.started_at <= job.finished_at and job.error == ""
    assert audit_actions(job) == ["job.create", "job.done"]
    assert job_run(job.pk, lambda progress: pytest.fail("a finished job runs again")) == job.result


def test_progress_writes_only_when_the_percentage_changes(users):
    job = new_job(users["xa1.bithu"])
    progress = JobProgress(job.pk)
    with CaptureQueriesContext(connection) as queries:
        for i in range(10_001):
            progress(i, 10_000)
            if i == 150:
                assert Job.objects.get(pk=job.pk).done == 100  # the last whole percent written
    assert progress.writes == 101  # 0 %, 1 %, …, 100 %: not 10,001
    assert len(queries) == 101 + 1  # and the one read above
    unknown = JobProgress(job.pk)
    for i in range(1000):
        unknown(i)
    assert unknown.writes == 10
    assert Job.objects.get(pk=job.pk).total == 0


def test_a_crash_fails_the_job_with_a_vietnamese_message_and_is_raised_again(users):
    job = new_job(users["xa1.bithu"])

    def work(progress):
        progress(3, 10)
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        job_run(job.pk, work)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == CRASH_MESSAGE and job.finished_at is not None
    assert job.done == 3 and job.total == 10 and job.percent == 100
    assert "Lỗi hệ thống" in job.error
    assert audit_actions(job) == ["job.create", "job.failed"]


def test_a_database_error_in_the_work_still_ends_the_job(users):
    job = new_job(users["xa1.bithu"])

    def work(progress):
        Job.objects.create(pk=job.pk, kind="x", label="trùng khóa")  # IntegrityError

    with pytest.raises(IntegrityError):
        job_run(job.pk, work)
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED  # the connection is still usable


def test_a_job_error_is_the_message_the_user_reads(users):
    job = new_job(users["xa1.bithu"])

    def work(progress):
        raise JobError("Kế hoạch không còn tồn tại.")

    assert job_run(job.pk, work) is None
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == "Kế hoạch không còn tồn tại."


def test_a_refusal_keeps_its_details_and_what_the_work_wrote_and_drops_the_payload(users):
    """Inside the test's transaction, as under the immediate backend within a request: the refusal
    must not roll back what the work wrote on purpose before refusing (a worker would keep it)."""
    job = new_job(users["xa1.bithu"], payload=b"PK\x03\x04", payload_name="ds.xlsx")
    assert bytes(Job.objects.get(pk=job.pk).payload) == b"PK\x03\x04" and job.payload_name == "ds.xlsx"

    def work(progress):
        AuditEntry.objects.create(action="test.before_refusal", object_type="test")
        raise JobError("Tệp bị từ chối.", result={"problems": [{"row": 3, "message": "Sai số thẻ."}]})

    assert job_run(job.pk, work) is None
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == "Tệp bị từ chối."
    assert job.result == {"problems": [{"row": 3, "message": "Sai số thẻ."}]}
    assert bytes(job.payload) == b""
    assert AuditEntry.objects.filter(action="test.before_refusal").exists()


def test_a_crash_rolls_the_work_back_and_drops_the_payload(users):
    job = new_job(users["xa1.bithu"], payload=b"PK")

    def work(progress):
        AuditEntry.objects.create(action="test.before_crash", object_type="test")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        job_run(job.pk, work)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == CRASH_MESSAGE and bytes(job.payload) == b""
    assert not AuditEntry.objects.filter(action="test.before_crash").exists()


def test_a_crashing_task_under_the_immediate_backend_leaves_no_job_running(users):
    job = new_job(users["xa1.bithu"])
    result = crashing_task.enqueue(job.pk)
    assert result.status == "FAILED" and "ZeroDivisionError" in result.errors[0].traceback
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == CRASH_MESSAGE


def test_only_a_path_inside_the_site_is_kept_as_the_way_back(users):
    assert new_job(users["admin"], back_url="//example.com/x").back_url == ""
    assert new_job(users["admin"], back_url="https://example.com/").back_url == ""
    assert new_job(users["admin"], back_url="/thu-hoach/").back_url == "/thu-hoach/"


def test_job_active_ignores_finished_and_stale_jobs(users):
    job = new_job(users["admin"], key="plan:1")
    assert job_active("test.count", "plan:1") == job
    assert job_active("test.count", "plan:2") is None
    Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - JOB_STALE_AFTER - datetime.timedelta(seconds=1))
    assert job_active("test.count", "plan:1") is None
    assert Job.objects.get(pk=job.pk).stale
    fresh = new_job(users["admin"], key="plan:1")
    job_run(fresh.pk, lambda progress: {})
    assert job_active("test.count", "plan:1") is None


# ---------------------------------------------------------------- the page


def test_the_page_polls_while_running_then_shows_the_result(users, client_as):
    job = new_job(users["xa1.bithu"], back_url="/thu-hoach/")
    client = client_as("xa1.bithu")
    page = client.get(job.get_absolute_url()).content.decode()
    status_url = reverse("core:job_status", args=[job.pk])
    assert "Đang chờ" in page and f'hx-get="{status_url}"' in page and 'hx-trigger="every 1s"' in page
    assert 'href="/thu-hoach/"' in page and "Đếm thử" in page

    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=25, total=50)
    part = client.get(status_url).content.decode()
    assert "Đang chạy" in part and 'aria-valuenow="50"' in part and "25/50" in part and "hx-trigger" in part
    assert "<html" not in part

    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    job_run(job.pk, lambda progress: {"message": "Đã đếm 50 mục.", "rows": [["Hợp lệ", 48], ["<b>Lỗi</b>", 2]]})
    part = client.get(status_url).content.decode()
    assert "Hoàn tất" in part and "Đã đếm 50 mục." in part and "hx-trigger" not in part
    assert '<th class="fw-normal">Hợp lệ</th>' in part and "&lt;b&gt;Lỗi&lt;/b&gt;" in part


def test_the_page_of_a_failed_or_silent_job_says_so(users, client_as):
    failed = new_job(users["xa1.bithu"])

    def work(progress):
        raise JobError("Tệp đã bị xóa.")

    job_run(failed.pk, work)
    page = client_as("xa1.bithu").get(failed.get_absolute_url()).content.decode()
    assert "Thất bại" in page and "Tệp đã bị xóa." in page and "hx-trigger" not in page

    silent = new_job(users["xa1.bithu"])
    Job.objects.filter(pk=silent.pk).update(
        status=JobStatus.RUNNING, updated_at=timezone.now() - JOB_STALE_AFTER - datetime.timedelta(minutes=1)
    )
    page = client_as("xa1.bithu").get(silent.get_absolute_url()).content.decode()
    assert "có thể tiến trình nền (db_worker) đã dừng" in page


def test_a_job_is_seen_by_its_creator_and_superusers_only(users, client_as):
    job = new_job(users["xa1.bithu"])
    expected = {p: 404 for p in ALL} | {"xa1.bithu": 200, "admin": 200}
    assert users["admin"].is_superuser and not users["tinh.tuyengiao"].is_superuser
    failures = []
    for name in ["job", "job_status"]:
        url = reverse(f"core:{name}", args=[job.pk])
        for persona in ALL:
            status = client_as(persona).get(url).status_code
            if status != expected[persona]:
                failures.append(f"{name} as {persona}: {status}, expected {expected[persona]}")
        anonymous = client_as(None).get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/dang-nhap/")
        assert client_as("xa1.bithu").post(url).status_code == 405
    assert failures == []
    assert client_as("admin").get(reverse("core:job", args=[job.pk + 1000])).status_code == 404
    ownerless = job_create(None, "test.count", "Không ai tạo")
    assert client_as("admin").get(ownerless.get_absolute_url()).status_code == 200
    assert client_as("xa1.bithu").get(ownerless.get_absolute_url()).status_code == 404


def test_every_core_url_is_covered():
    """A new core page must be added to the access test above."""
    # guide: test_guide_admin; favicon and healthz: public (test_login_default, test_healthz)
    assert {p.name for p in urls.urlpatterns} == {"job", "job_status", "guide", "favicon", "healthz"}


@pytest.mark.parametrize("bad", ["abc", "-1"])
def test_malformed_ids_are_404(client_as, bad):
    assert client_as("admin").get(f"/viec-nen/{bad}/").status_code == 404
