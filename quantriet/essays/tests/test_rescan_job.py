"""The bulk rescan from the board ("Quét lại toàn bộ") and the command, as background jobs."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from quantriet.core.jobs import job_create
from quantriet.core.models import AuditEntry, Job, JobStatus
from quantriet.essays import originality, services
from quantriet.essays.models import EssayVerdict, VerdictLabel
from quantriet.org.models import Grant, Role, Title
from quantriet.originality.tests import corpus
from quantriet.study.tests.test_conferences_common import org

from .common import essay_plan, member_in


@pytest.fixture
def pair(plan, users):
    """Two near-identical essays whose verdicts were lost: only a rescan finds them again."""
    a = services.essay_submit(users["admin"], plan, member_in("X001"), corpus.read("that-1-lan-long-duc.txt"))
    b = services.essay_submit(users["admin"], plan, member_in("X002"), corpus.read("chep-that-1.txt"))
    EssayVerdict.objects.all().delete()
    return a, b


def rescan_url(plan):
    return reverse("essays:rescan", args=[plan.pk])


def cell_secretary(users):
    """The secretary of dangvien1's cell, with a login and the leader role on the cell."""
    cell = users["dangvien1"].member.cell
    member = cell.holder(Title.SECRETARY)
    assert member.user_id is None
    user = get_user_model().objects.create_user("chibo.bithu", password="khong-quan-trong-123")
    member.user = user
    member.save(update_fields=["user"])
    Grant.objects.create(user=user, org=cell, role=Role.LEADER)
    return user


def test_propaganda_staff_rescan_the_plan_from_the_board(plan, pair, users, client_as):
    a, b = pair
    client = client_as("tinh.tuyengiao")
    board = client.get(reverse("essays:board", args=[plan.pk])).content.decode()
    assert "Quét lại toàn bộ" in board and f'action="{rescan_url(plan)}"' in board and "csrfmiddlewaretoken" in board

    response = client.post(rescan_url(plan))
    job = Job.objects.get(kind=originality.RESCAN_KIND)
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.key == f"plan:{plan.pk}" and job.created_by == users["tinh.tuyengiao"]
    assert job.status == JobStatus.DONE and job.done == job.total == 4  # two passes over two essays
    assert job.result["counts"][VerdictLabel.COPIES_ESSAY] == 2
    assert [d["essay"] for d in EssayVerdict.objects.get(essay=a).duplicates] == [b.pk]
    assert EssayVerdict.objects.get(essay=b).label == VerdictLabel.COPIES_ESSAY

    page = client.get(response["Location"]).content.decode()
    assert "Hoàn tất" in page and "Đã kiểm tra lại 2 bài thu hoạch của kế hoạch." in page
    assert "Nghi sao chép bài khác" in page and reverse("essays:board", args=[plan.pk]) in page
    entry = AuditEntry.objects.get(action="job.create", object_id=str(job.pk))
    assert entry.actor == users["tinh.tuyengiao"] and entry.after["plan"] == plan.pk


def test_graders_below_the_issuer_see_no_button_and_are_refused(plan, pair, users, client_as):
    board = client_as("xa1.bithu").get(reverse("essays:board", args=[plan.pk])).content.decode()
    assert "Quét lại toàn bộ" not in board and rescan_url(plan) not in board
    assert client_as("xa1.bithu").post(rescan_url(plan)).status_code == 403
    assert not Job.objects.exists() and not EssayVerdict.objects.exists()


def test_a_cell_secretary_is_refused_or_does_not_see_the_plan(plan, pair, users, client):
    client.force_login(cell_secretary(users))
    assert client.post(rescan_url(plan)).status_code == 403  # a provincial plan: seen, not theirs
    commune_plan = essay_plan(users["admin"], number="831")
    commune_plan.issuer = org("X002")  # another commune's plan: out of sight
    commune_plan.save(update_fields=["issuer"])
    assert client.post(rescan_url(commune_plan)).status_code == 404
    assert not Job.objects.exists() and not EssayVerdict.objects.exists()


def test_a_get_or_an_anonymous_post_does_nothing(plan, pair, client_as):
    assert client_as("tinh.tuyengiao").get(rescan_url(plan)).status_code == 405
    anonymous = client_as(None).post(rescan_url(plan))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/dang-nhap/")
    assert not Job.objects.exists() and not EssayVerdict.objects.exists()


def test_the_rescan_needs_the_csrf_token(plan, pair, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["tinh.tuyengiao"])
    assert client.post(rescan_url(plan)).status_code == 403
    assert not Job.objects.exists()


def test_a_second_request_goes_to_the_rescan_already_running(plan, pair, users, client_as):
    running = job_create(users["tinh.tuyengiao"], originality.RESCAN_KIND, "Đang quét", key=f"plan:{plan.pk}")
    Job.objects.filter(pk=running.pk).update(status=JobStatus.RUNNING)
    response = client_as("tinh.tuyengiao").post(rescan_url(plan))
    assert response["Location"] == running.get_absolute_url() and Job.objects.count() == 1
    board = client_as("tinh.tuyengiao").get(reverse("essays:board", args=[plan.pk])).content.decode()
    assert 'id="rescan-running"' in board and running.get_absolute_url() in board

    # another propaganda officer may not open the job page: back to the board with a note
    colleague = get_user_model().objects.create_user("tinh.tuyengiao2", password="khong-quan-trong-123")
    Grant.objects.create(user=colleague, org=plan.issuer, role=Role.PROPAGANDA)
    client = Client()
    client.force_login(colleague)
    response = client.post(rescan_url(plan), follow=True)
    assert response.redirect_chain[0][0] == reverse("essays:board", args=[plan.pk])
    starter = users["tinh.tuyengiao"].member.full_name  # by name, not by login
    assert f"Kế hoạch này đang được quét lại (do {starter}" in response.content.decode()
    assert 'id="rescan-running"' not in response.content.decode()
    assert Job.objects.count() == 1 and not EssayVerdict.objects.exists()


def test_the_command_runs_in_the_foreground_or_as_a_job(plan, pair):
    out = io.StringIO()
    call_command("rescan_originality", plan=plan.pk, stdout=out, stderr=io.StringIO())
    assert "Nghi sao chép bài khác: 2" in out.getvalue() and not Job.objects.exists()
    EssayVerdict.objects.all().delete()
    out = io.StringIO()
    call_command("rescan_originality", plan=plan.pk, background=True, stdout=out)
    job = Job.objects.get(kind=originality.RESCAN_KIND)
    assert f"việc nền {job.pk}" in out.getvalue() and f"/viec-nen/{job.pk}/" in out.getvalue()
    assert job.created_by is None and job.status == JobStatus.DONE
    assert EssayVerdict.objects.filter(label=VerdictLabel.COPIES_ESSAY).count() == 2


def test_the_rescan_of_a_plan_gone_fails_with_a_message(users):
    job = job_create(users["admin"], originality.RESCAN_KIND, "Quét lại", key="plan:0")
    assert originality.rescan_plan_task.enqueue(10**9, job.pk).return_value is None
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == "Kế hoạch không còn tồn tại; không quét lại được."
