"""A plan's bulk rescan whose worker died (core.workers): run again from the start by another
worker, it gives every essay its one verdict, as an uninterrupted rescan does."""

from quantriet.core.models import Job, JobStatus
from quantriet.core.tests.workers_common import left_by_dead_worker, task_status
from quantriet.core.workers import tasks_recover
from quantriet.essays import originality, services
from quantriet.essays.models import EssayVerdict, VerdictLabel
from quantriet.originality.models import OriginalitySignature
from quantriet.originality.tests import corpus

from .common import member_in


def test_a_rescan_whose_worker_died_is_finished_by_another_with_one_verdict_per_essay(plan, users, run_worker):
    copied = [
        services.essay_submit(users["admin"], plan, member_in("X001"), corpus.read("that-1-lan-long-duc.txt")),
        services.essay_submit(users["admin"], plan, member_in("X002"), corpus.read("chep-that-1.txt")),
    ]
    honest = services.essay_submit(
        users["admin"], plan, member_in("X003"), corpus.read("that-2-binh-truong-hoa-thuan.txt")
    )
    expected = dict(EssayVerdict.objects.values_list("essay_id", "label"))
    # The dead worker had rewritten the plan's index (its first transaction) and died before
    # writing the verdicts: here they are gone, as after an upgrade that emptied them.
    job, created = originality.plan_rescan_start(users["tinh.tuyengiao"], plan)
    assert created and job.status == JobStatus.QUEUED
    EssayVerdict.objects.all().delete()
    left_by_dead_worker(job, done=3)

    assert tasks_recover()["requeued"] == [job.task_id]
    assert originality.plan_rescan_start(users["tinh.tuyengiao"], plan) == (Job.objects.get(pk=job.pk), False)
    run_worker()
    job = Job.objects.get(pk=job.pk)
    assert job.status == JobStatus.DONE and job.restarts == 1 and task_status(job) == "SUCCESSFUL"
    assert dict(EssayVerdict.objects.values_list("essay_id", "label")) == expected
    assert expected[honest.pk] != VerdictLabel.COPIES_ESSAY
    assert {expected[e.pk] for e in copied} == {VerdictLabel.COPIES_ESSAY}
    sketches = OriginalitySignature.objects.filter(scope=originality.plan_scope(plan.pk))
    assert sketches.count() == 3 == len(set(sketches.values_list("doc_id", flat=True)))
    assert job.result["counts"][VerdictLabel.COPIES_ESSAY] == 2
