"""The originality verdict on submit, the sample library, the side-by-side view, the rescan.

Texts are the labelled Vietnamese essays of quantriet/originality/tests/corpus; the plan's
document is Chỉ thị 28 itself (the reference whose headings honest essays quote).
"""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from quantriet.essays import originality, services
from quantriet.essays.models import EssayVerdict, SampleEssay, VerdictLabel
from quantriet.originality.tests import corpus

from .common import docx_bytes


@pytest.fixture
def writers(plan, users):
    """dangvien1 first, then members without a login, all required to write."""
    others = list(services.essay_writers(plan).filter(user__isnull=True).order_by("id")[:6])
    return [users["dangvien1"].member, *others]


def submit(plan, member, name, users):
    return services.essay_submit(users["admin"], plan, member, corpus.read(name))


def verdict(essay):
    return EssayVerdict.objects.get(essay=essay)


def test_a_sample_with_names_swapped_is_caught_and_highlighted(plan, users, client_as):
    page = client_as("tinh.tuyengiao").post(
        reverse("essays:samples"),
        {
            "title": "Bài thu hoạch mẫu Chỉ thị 28",
            "source_url": "https://example.vn/mau",
            "text": corpus.read("mau-2-internet.txt"),
        },
    )
    assert page.status_code == 302
    sample = SampleEssay.objects.get()
    assert "Bài thu hoạch mẫu Chỉ thị 28" in client_as("tinh.tuyengiao").get(reverse("essays:samples")).content.decode()

    client = client_as("dangvien1")
    assert (
        client.post(reverse("essays:write", args=[plan.pk]), {"text": corpus.read("chep-2a-doi-ten.txt")}).status_code
        == 302
    )
    essay = users["dangvien1"].member.essays.get(plan=plan)
    found = verdict(essay)
    assert found.label == VerdictLabel.COPIES_SAMPLE and found.sample == sample and found.sample_score > 0.8
    assert found.get_label_display() == "Chép bài mẫu trên mạng"

    board = client_as("xa1.bithu").get(reverse("essays:board", args=[plan.pk])).content.decode()
    url = reverse("essays:compare", args=[essay.pk, "mau", sample.pk])
    assert "Chép bài mẫu trên mạng" in board and url in board
    side = client_as("xa1.bithu").get(url).content.decode()
    assert side.count('<mark id="a-') >= 1 and side.count('<mark id="b-') >= 1
    assert "Bài mẫu: Bài thu hoạch mẫu Chỉ thị 28" in side
    assert url in client_as("xa1.bithu").get(essay.get_absolute_url()).content.decode()


def test_a_sample_can_be_uploaded_as_docx_and_bad_input_is_refused(users, client_as):
    client = client_as("admin")
    upload = io.BytesIO(docx_bytes(*corpus.read("mau-1-internet.txt").split("\n")))
    upload.name = "mau.docx"
    assert client.post(reverse("essays:samples"), {"title": "Mẫu Word", "file": upload}).status_code == 302
    assert len(SampleEssay.objects.get().text.split()) > 300
    assert client.post(reverse("essays:samples"), {"title": "", "text": "ngắn"}).status_code == 400
    pdf = io.BytesIO(b"%PDF-1.4")
    pdf.name = "mau.pdf"
    assert client.post(reverse("essays:samples"), {"title": "PDF", "file": pdf}).status_code == 400
    assert SampleEssay.objects.count() == 1


def test_two_near_identical_essays_are_flagged_with_each_other(plan, writers, users):
    a = submit(plan, writers[1], "that-1-lan-long-duc.txt", users)
    b = submit(plan, writers[2], "chep-that-1.txt", users)
    va, vb = verdict(a), verdict(b)
    assert va.label == vb.label == VerdictLabel.COPIES_ESSAY
    assert [d["essay"] for d in va.duplicates] == [b.pk] and [d["essay"] for d in vb.duplicates] == [a.pk]
    assert va.duplicates[0]["score"] == vb.duplicates[0]["score"] >= 0.5


def test_honest_essays_quoting_the_headings_are_not_paired(plan, writers, users):
    names = ["that-1-lan-long-duc.txt", "that-2-binh-truong-hoa-thuan.txt", "that-3-tam-cong-an-tan-hoa.txt",
             "that-4-phet-khom-4.txt", "that-5-hong-tram-y-te.txt", "that-6-dung-hop-tac-xa.txt"]  # fmt: skip
    essays = [submit(plan, member, name, users) for member, name in zip(writers[1:], names, strict=True)]
    for essay in essays:
        assert verdict(essay).duplicates == [] and verdict(essay).label == VerdictLabel.ORIGINAL, essay


def test_the_resolution_copied_is_flagged_and_compared_with_the_document(plan, writers, users, client_as):
    essay = submit(plan, users["dangvien1"].member, "chep-nghi-quyet.txt", users)
    found = verdict(essay)
    assert found.label == VerdictLabel.COPIES_RESOLUTION and found.reference_share >= 0.5
    assert found.get_label_display() == "Chép nguyên văn nghị quyết"
    document = plan.documents.get()
    side = client_as("xa1.bithu").get(reverse("essays:compare", args=[essay.pk, "van-ban", document.pk]))
    assert side.status_code == 200 and '<mark id="b-1"' in side.content.decode()


def test_a_generic_essay_is_flagged_generic(plan, writers, users):
    essay = submit(plan, writers[1], "mau-3-internet-dai-hoi.txt", users)
    found = verdict(essay)
    assert found.label == VerdictLabel.GENERIC and found.generic_score < 0.5
    assert found.get_label_display() == "Chung chung, thiếu liên hệ"
    assert set(found.generic_evidence) == {"names", "figures", "commitments"}


def test_resubmission_replaces_the_verdict_on_both_sides(plan, writers, users):
    a = submit(plan, writers[1], "that-1-lan-long-duc.txt", users)
    b = submit(plan, writers[2], "chep-that-1.txt", users)
    assert verdict(a).label == VerdictLabel.COPIES_ESSAY
    b = submit(plan, writers[2], "that-5-hong-tram-y-te.txt", users)
    assert EssayVerdict.objects.filter(essay=b).count() == 1
    assert verdict(b).label == VerdictLabel.ORIGINAL and verdict(b).duplicates == []
    assert verdict(a).label == VerdictLabel.ORIGINAL and verdict(a).duplicates == []


def test_the_other_essay_out_of_sight_is_not_shown(plan, users, client_as):
    from .common import member_in

    mine = submit(plan, users["dangvien1"].member, "that-1-lan-long-duc.txt", users)
    theirs = services.essay_submit(users["admin"], plan, member_in("X002"), corpus.read("chep-that-1.txt"))
    url = reverse("essays:compare", args=[mine.pk, "bai", theirs.pk])
    xa1 = client_as("xa1.bithu").get(url).content.decode()
    assert "một bài trong phạm vi khác" in xa1 and theirs.member.full_name not in xa1 and '<mark id="a-1"' in xa1
    assert '<mark id="b-' not in xa1
    province = client_as("tinh.tuyengiao").get(url).content.decode()
    assert theirs.member.full_name in province and '<mark id="b-1"' in province
    # a pair the verdict does not hold is not shown at all
    unrelated = submit(plan, users["xa1.bithu"].member, "that-3-tam-cong-an-tan-hoa.txt", users)
    assert client_as("admin").get(reverse("essays:compare", args=[mine.pk, "bai", unrelated.pk])).status_code == 404
    assert client_as("admin").get(reverse("essays:compare", args=[mine.pk, "khac", 1])).status_code == 404


def test_essay_text_is_escaped_in_the_side_by_side_view(plan, writers, users, client_as):
    text = corpus.read("that-1-lan-long-duc.txt").replace("Chỉ thị nêu", '<script>alert("x")</script> Chỉ thị nêu', 1)
    assert "<script>" in text
    a = services.essay_submit(users["admin"], plan, writers[0], text)
    b = services.essay_submit(users["admin"], plan, writers[1], text)
    page = client_as("admin").get(reverse("essays:compare", args=[a.pk, "bai", b.pk])).content.decode()
    assert '<script>alert("x")' not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_rescan_recomputes_a_whole_plan(plan, writers, users):
    a = submit(plan, writers[1], "that-1-lan-long-duc.txt", users)
    b = submit(plan, writers[2], "chep-that-1.txt", users)
    EssayVerdict.objects.all().delete()
    out = io.StringIO()
    call_command("rescan_originality", plan=plan.pk, stdout=out, stderr=io.StringIO())
    assert "Nghi sao chép bài khác: 2" in out.getvalue()
    assert [d["essay"] for d in verdict(a).duplicates] == [b.pk]
    EssayVerdict.objects.all().delete()
    result = originality.rescan_plan_task.enqueue(plan.pk)
    assert result.return_value[VerdictLabel.COPIES_ESSAY] == 2 and verdict(b).label == VerdictLabel.COPIES_ESSAY
