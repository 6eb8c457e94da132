"""The bulk rescan gives the verdicts that checking each essay on submit gives, disguised copies included."""

import io
import unicodedata

import pytest
from django.core.management import call_command

from quantriet.essays import originality, services
from quantriet.essays.models import EssayVerdict, VerdictLabel
from quantriet.originality import bulk, scan
from quantriet.originality.models import OriginalitySignature
from quantriet.originality.tests import corpus

FIELDS = [
    "label", "duplicates", "reference_share", "sample_id", "sample_score", "sample_kind", "generic_score",
    "generic_evidence",
]  # fmt: skip


def unaccented(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def glued(text: str) -> str:
    """Every three words glued into one, as text pasted out of a PDF."""
    words = text.split(" ")
    return " ".join("".join(words[i : i + 3]) for i in range(0, len(words), 3))


@pytest.fixture
def submitted(plan, users):
    """A sample in the library, then essays: honest ones, copies typed without diacritics or glued."""
    originality.sample_add(users["admin"], "Bài mẫu", corpus.read("mau-2-internet.txt"))
    texts = [
        corpus.read("that-1-lan-long-duc.txt"),
        unaccented(corpus.read("chep-that-1.txt")),
        corpus.read("that-3-tam-cong-an-tan-hoa.txt"),
        glued(corpus.read("chep-2a-doi-ten.txt")),
        corpus.read("that-5-hong-tram-y-te.txt"),
        corpus.read("chep-nghi-quyet.txt"),
        corpus.read("mau-3-internet-dai-hoi.txt"),
    ]
    writers = list(services.essay_writers(plan).order_by("id")[: len(texts)])
    return [
        services.essay_submit(users["admin"], plan, member, text) for member, text in zip(writers, texts, strict=True)
    ]


def verdicts(essays):
    return {
        essay.pk: {name: getattr(EssayVerdict.objects.get(essay=essay), name) for name in FIELDS} for essay in essays
    }


@pytest.mark.parametrize("parallel", [False, True], ids=["here", "workers"])
def test_the_rescan_gives_the_verdicts_of_the_submissions(plan, submitted, monkeypatch, parallel):
    on_submit = verdicts(submitted)
    labels = [v["label"] for v in on_submit.values()]
    assert labels == [
        VerdictLabel.COPIES_ESSAY, VerdictLabel.COPIES_ESSAY, VerdictLabel.ORIGINAL, VerdictLabel.COPIES_SAMPLE,
        VerdictLabel.ORIGINAL, VerdictLabel.COPIES_RESOLUTION, VerdictLabel.GENERIC,
    ]  # fmt: skip
    if parallel:  # sketches and second stage in worker processes
        monkeypatch.setattr(bulk, "PARALLEL_FROM", 0)
        monkeypatch.setattr(scan, "PARALLEL_PAIRS", 0)
    EssayVerdict.objects.filter(essay=submitted[0]).delete()
    EssayVerdict.objects.filter(essay=submitted[1]).update(label=VerdictLabel.ORIGINAL, duplicates=[])
    counts = originality.plan_rescan(plan)
    assert counts[VerdictLabel.COPIES_ESSAY] == 2 and sum(counts.values()) == len(submitted)
    assert verdicts(submitted) == on_submit


def test_after_the_upgrade_the_command_rebuilds_the_index_and_every_verdict(plan, submitted):
    """The migration empties the index; `rescan_originality --all` indexes the essays of every plan again."""
    on_submit = verdicts(submitted)
    OriginalitySignature.objects.all().delete()
    EssayVerdict.objects.all().delete()
    out = io.StringIO()
    call_command("rescan_originality", "--all", stdout=out, stderr=io.StringIO())
    assert f"== Kế hoạch {plan.pk}" in out.getvalue()
    assert verdicts(submitted) == on_submit
    assert not OriginalitySignature.objects.filter(doc_type=originality.SAMPLE).exists()  # compared whole
    assert OriginalitySignature.objects.filter(scope=originality.plan_scope(plan.pk)).count() == len(submitted)
    # A new copy of the sample, submitted now, is found through the rebuilt index.
    member = services.essay_writers(plan).exclude(essays__plan=plan).first()
    essay = services.essay_submit(plan.created_by, plan, member, unaccented(corpus.read("mau-2-internet.txt")))
    assert EssayVerdict.objects.get(essay=essay).label == VerdictLabel.COPIES_SAMPLE
