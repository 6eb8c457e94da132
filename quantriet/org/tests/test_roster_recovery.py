"""A roster import whose worker died (core.workers): run again from the start, it writes every row
once — none when the dead run had written nothing (all or nothing), the same members when it had
committed before dying — and its page says what happened."""

import pytest
from django.urls import reverse

from quantriet.core.models import AuditEntry, Job, JobStatus
from quantriet.core.tests.workers_common import left_by_dead_worker, task_status
from quantriet.core.workers import tasks_recover
from quantriet.org.models import Member
from quantriet.org.policy import paths_where
from quantriet.org.roster import import_roster
from quantriet.org.tasks import roster_import_start

from .test_roster import C1_CELL1, C1_CELL2, csv_bytes, person

ROWS = [
    person(card_number=f"9100{i:04d}", record_number=f"91{i:04d}QT", cell_code=(C1_CELL1, C1_CELL2)[i % 2])
    for i in range(30)
]
CARDS = [row["card_number"] for row in ROWS]


@pytest.fixture
def upload(users, run_worker):
    """xa1.bithu's upload of ROWS, queued for a worker (the database queue)."""
    return roster_import_start(users["xa1.bithu"], None, "ds.csv", csv_bytes(ROWS))


def imported():
    return Member.objects.filter(card_number__in=CARDS).count()


def test_an_import_whose_worker_died_mid_run_is_imported_once_by_another(upload, run_worker, client_as):
    left_by_dead_worker(upload, done=20)  # killed while validating: its transaction never committed
    assert imported() == 0
    tasks_recover()
    page = client_as("xa1.bithu").get(reverse("org:roster_job", args=[upload.pk])).content.decode()
    assert "tệp được nhập lại từ đầu (lần 2)" in page
    run_worker()
    job = Job.objects.get(pk=upload.pk)
    assert job.status == JobStatus.DONE and job.result["counts"]["created"] == len(ROWS)
    assert imported() == len(ROWS) and task_status(job) == "SUCCESSFUL"


def test_an_import_whose_worker_died_after_its_commit_is_not_written_twice(upload, users, run_worker):
    # The dead worker had committed every row, then died before marking its job done.
    import_roster(users["xa1.bithu"], csv_bytes(ROWS), "ds.csv", paths_where(users["xa1.bithu"], "roster.import"))
    left_by_dead_worker(upload, done=60)
    members_before = Member.objects.count()
    run_worker()  # starting, it takes the task back, then runs it
    job = Job.objects.get(pk=upload.pk)
    assert job.status == JobStatus.DONE and job.restarts == 1
    assert (job.result["counts"]["created"], job.result["counts"]["unchanged"]) == (0, len(ROWS))
    assert Member.objects.count() == members_before and imported() == len(ROWS)
    assert AuditEntry.objects.filter(action="member.import_create").count() == len(ROWS)


def test_an_import_that_killed_its_workers_offers_chay_lai_on_its_page(upload, run_worker, client_as, settings):
    settings.WORKER_LOST_RETRIES = 1
    left_by_dead_worker(upload, workers_seen=["may-1", "may-2"])
    tasks_recover()
    client = client_as("xa1.bithu")
    url = reverse("org:roster_job", args=[upload.pk])
    page = client.get(url).content.decode()
    assert "Bị gián đoạn" in page and "Bị từ chối" not in page and 'id="job-rerun"' in page
    assert f'name="next" value="{url}"' in page
    response = client.post(reverse("core:job_rerun", args=[upload.pk]), {"next": url})
    assert response.status_code == 302 and response["Location"] == url
    off_site = client.post(reverse("core:job_rerun", args=[upload.pk]), {"next": "https://example.com/"})
    assert off_site["Location"] == upload.get_absolute_url()
    run_worker()
    assert Job.objects.get(pk=upload.pk).status == JobStatus.DONE and imported() == len(ROWS)
