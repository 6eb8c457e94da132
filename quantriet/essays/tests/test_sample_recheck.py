"""A sample added to the library re-checks, through the LSH index, the essays submitted before it.

Texts are the labelled essays of quantriet/originality/tests/corpus: chep-2a-doi-ten.txt is
mau-2-internet.txt with the names and places swapped; that-3-… is an honest essay.
"""

from django.urls import reverse

from quantriet.core.models import Job, JobStatus
from quantriet.essays import originality, services
from quantriet.essays.models import EssayVerdict, SampleEssay, VerdictLabel
from quantriet.originality.tests import corpus

from .common import essay_plan, member_in


def verdict(essay):
    return EssayVerdict.objects.get(essay=essay)


def add_sample(client, name="mau-2-internet.txt"):
    return client.post(
        reverse("essays:samples"),
        {"title": "Bài thu hoạch mẫu Chỉ thị 28", "source_url": "https://example.vn/mau", "text": corpus.read(name)},
    )


def test_an_essay_copied_before_the_sample_was_known_is_flagged_when_it_is_added(plan, users, client_as):
    copied = services.essay_submit(users["admin"], plan, users["dangvien1"].member, corpus.read("chep-2a-doi-ten.txt"))
    honest = services.essay_submit(
        users["admin"], plan, member_in("X002"), corpus.read("that-3-tam-cong-an-tan-hoa.txt")
    )
    # a copy in another plan is found too: the index is asked across every plan
    other_plan = essay_plan(users["admin"], number="830")
    other_plan.documents.update(body=corpus.read(corpus.REFERENCE_NAME))
    elsewhere = services.essay_submit(
        users["admin"], other_plan, users["dangvien1"].member, corpus.read("chep-2a-doi-ten.txt")
    )
    assert verdict(copied).label != VerdictLabel.COPIES_SAMPLE and verdict(copied).sample is None
    honest_checked = verdict(honest).computed_at
    assert verdict(honest).label == VerdictLabel.ORIGINAL

    client = client_as("tinh.tuyengiao")
    response = add_sample(client)
    assert response.status_code == 302
    assert "các bài thu hoạch đã nộp đang được rà lại" in client.get(response["Location"]).content.decode()
    sample = SampleEssay.objects.get()

    found = verdict(copied)
    assert found.label == VerdictLabel.COPIES_SAMPLE and found.sample == sample and found.sample_score > 0.8
    assert found.get_label_display() == "Chép bài mẫu trên mạng"
    assert verdict(elsewhere).label == VerdictLabel.COPIES_SAMPLE
    # the honest essay was not a candidate: its verdict was not computed again
    assert verdict(honest).computed_at == honest_checked

    job = Job.objects.get(kind=originality.RECHECK_KIND)
    assert job.key == f"sample:{sample.pk}" and job.created_by == users["tinh.tuyengiao"]
    assert job.status == JobStatus.DONE
    assert job.result["rechecked"] == 2 and sorted(job.result["now_copies_sample"]) == sorted([copied.pk, elsewhere.pk])
    assert honest.pk not in job.result["changed"]
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Đã rà lại 2 bài thu hoạch có nét giống bài mẫu; 2 bài chuyển sang “Chép bài mẫu trên mạng”." in page
    library = client.get(reverse("essays:samples")).content.decode()
    assert job.get_absolute_url() in library and "Hoàn tất" in library


def test_the_recheck_candidates_are_the_essays_whose_sketches_resemble_the_sample(plan, users, monkeypatch):
    copied = services.essay_submit(users["admin"], plan, users["dangvien1"].member, corpus.read("chep-2a-doi-ten.txt"))
    services.essay_submit(users["admin"], plan, member_in("X002"), corpus.read("that-3-tam-cong-an-tan-hoa.txt"))
    services.essay_submit(users["admin"], plan, member_in("X001"), corpus.read("that-1-lan-long-duc.txt"))
    monkeypatch.setattr(originality, "SKETCH_BATCH", 2)  # the stored sketches read in rounds
    sample = SampleEssay.objects.create(title="Mẫu", text=corpus.read("mau-2-internet.txt"))
    assert copied.pk in originality.sample_candidates(sample)  # proposals, confirmed by the recheck
    unrelated = SampleEssay.objects.create(title="Khác", text=corpus.read("mau-3-internet-dai-hoi.txt"))
    assert originality.sample_candidates(unrelated) == []


def test_a_sample_matching_nothing_says_so_and_leaves_verdicts_alone(plan, users, client_as):
    honest = services.essay_submit(
        users["admin"], plan, member_in("X002"), corpus.read("that-3-tam-cong-an-tan-hoa.txt")
    )
    before = verdict(honest).computed_at
    assert add_sample(client_as("admin"), "mau-3-internet-dai-hoi.txt").status_code == 302
    job = Job.objects.get(kind=originality.RECHECK_KIND)
    assert job.status == JobStatus.DONE and job.result["rechecked"] == 0
    assert job.result["message"] == "Không có bài thu hoạch đã nộp nào giống bài mẫu này."
    assert verdict(honest).computed_at == before


def test_a_refused_sample_starts_no_recheck(client_as):
    assert client_as("tinh.tuyengiao").post(reverse("essays:samples"), {"title": "", "text": "ngắn"}).status_code == 400
    assert client_as("xa1.bithu").post(reverse("essays:samples"), {"title": "x"}).status_code == 403
    assert not Job.objects.exists() and not SampleEssay.objects.exists()


def test_the_recheck_of_a_sample_deleted_meanwhile_ends_cleanly(users):
    sample = SampleEssay.objects.create(title="Mẫu", text=corpus.read("mau-2-internet.txt"))
    job = Job.objects.create(kind=originality.RECHECK_KIND, label="Rà lại", created_by=users["admin"])
    sample_id = sample.pk
    sample.delete()
    originality.sample_recheck_task.enqueue(sample_id, job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and "không còn trong thư viện" in job.result["message"]


def test_a_recheck_keeps_the_pairs_with_other_essays(plan, users):
    a = services.essay_submit(users["admin"], plan, member_in("X001"), corpus.read("that-1-lan-long-duc.txt"))
    b = services.essay_submit(users["admin"], plan, member_in("X002"), corpus.read("chep-that-1.txt"))
    pairs = verdict(a).duplicates
    assert [d["essay"] for d in pairs] == [b.pk]
    found, before = originality.essay_recheck(a.pk)
    assert before == found.label == VerdictLabel.COPIES_ESSAY and found.duplicates == pairs
    assert verdict(b).duplicates[0]["essay"] == a.pk
