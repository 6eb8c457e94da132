"""The originality check of essays: a verdict on every submission, the sample library, rescans.

Built on the `quantriet.originality` library. Decisions:
- The plan's documents (their full text, ``Document.body``) are the reference: their shingles are
  boilerplate for pairing, so two honest essays quoting the same resolution headings are not a
  pair, and an essay taking most of its shingles from them copies the resolution.
- Essays are indexed in the database LSH tables under doc_type "essay" and scope "plan:<id>",
  with the boilerplate left out of the sketch; samples under "sample" and scope "samples", whole.
  LSH only proposes candidates: every candidate is confirmed exactly on the shingle sets,
  boilerplate aside (containment ≥ THRESHOLD), so what is stored and shown is exact.
- Near-duplicates are kept symmetric: when essay B is found to pair with A, A's verdict lists B
  too; a resubmission takes the essay out of the lists it no longer belongs to.
- One label, the most serious finding first: resolution copy, sample copy, copy of another
  essay, generic, independent. Every score is stored whatever the label.
- Two first submissions at the very same moment may not see each other (neither is committed);
  a rescan (`rescan_originality`) recomputes a whole plan exactly.
"""

import logging
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from quantriet.core.audit import audit_record
from quantriet.originality.compare import (
    Fingerprint,
    fingerprint,
    reference_share,
    reference_shingles,
    similarity,
)
from quantriet.originality.db import DatabaseStorage
from quantriet.originality.generic import GENERIC_BELOW, generic_report
from quantriet.originality.index import DEFAULT_THRESHOLD, Index
from quantriet.originality.scan import REFERENCE_SHARE
from quantriet.study.models import StudyPlan

from .models import Essay, EssayVerdict, SampleEssay, VerdictLabel

log = logging.getLogger(__name__)

ESSAY, SAMPLE = "essay", "sample"
SAMPLES_SCOPE = "samples"
#: An essay (or sample) is reported when this share of the shorter text is found in the other.
THRESHOLD = DEFAULT_THRESHOLD


def plan_scope(plan_id: int) -> str:
    return f"plan:{plan_id}"


# ---------------------------------------------------------------- the reference of a plan


def plan_reference_texts(plan: StudyPlan) -> list[tuple[int, str]]:
    """(document id, full text) of the documents PLAN studies."""
    return [(pk, body) for pk, body in plan.documents.order_by("pk").values_list("pk", "body") if body]


@lru_cache(maxsize=32)
def _reference(bodies: tuple[str, ...]) -> frozenset[int]:
    return reference_shingles(bodies)


def plan_reference(plan: StudyPlan) -> frozenset[int]:
    """The shingles of PLAN's documents (cached per process on their text: resolutions are long)."""
    return _reference(tuple(body for _, body in plan_reference_texts(plan)))


# ---------------------------------------------------------------- the sample library


@transaction.atomic
def sample_add(actor, title: str, text: str, source_url: str = "") -> SampleEssay:
    """Add a sample essay to the library and index it (the caller checks the role)."""
    from .services import clean_text

    sample = SampleEssay.objects.create(
        title=title.strip()[:300], text=clean_text(text), source_url=source_url.strip(), uploaded_by=actor
    )
    index_sample(sample)
    audit_record(actor, "essay.sample_add", sample, None, {"title": sample.title, "words": len(sample.text.split())})
    return sample


def index_sample(sample: SampleEssay):
    found = fingerprint(sample.text).sketch()
    if found is not None:
        Index(storage=DatabaseStorage(SAMPLES_SCOPE)).add((SAMPLE, sample.pk), found)


# ---------------------------------------------------------------- the verdict


def _index_essay(essay: Essay, reference: frozenset[int]) -> tuple[Fingerprint, object]:
    """Put ESSAY's sketch (boilerplate aside) in its plan's scope; its fingerprint and sketch."""
    printed = fingerprint(essay.text)
    found = printed.sketch(reference)
    storage = DatabaseStorage(plan_scope(essay.plan_id))
    if found is None:
        storage.remove((ESSAY, essay.pk))
    else:
        Index(storage=storage).add((ESSAY, essay.pk), found)
    return printed, found


def _duplicates(essay: Essay, printed: Fingerprint, found, reference: frozenset[int]) -> list[dict]:
    """The essays of the same plan sharing at least THRESHOLD of the shorter text, confirmed exactly."""
    if found is None:
        return []
    index = Index(storage=DatabaseStorage(plan_scope(essay.plan_id)))
    keys = [doc_id for doc_type, doc_id in index.candidates(found) if doc_type == ESSAY and doc_id != essay.pk]
    mine = printed.shingles(reference)
    result = []
    for pk, text in Essay.objects.filter(plan_id=essay.plan_id, pk__in=keys).values_list("pk", "text"):
        score = similarity(mine, fingerprint(text).shingles(reference)).containment
        if score >= THRESHOLD:
            result.append({"essay": pk, "score": round(score, 3)})
    return sorted(result, key=lambda d: (-d["score"], d["essay"]))


def _best_sample(printed: Fingerprint, reference: frozenset[int]) -> tuple[SampleEssay | None, float]:
    found = printed.sketch()
    if found is None:
        return None, 0.0
    index = Index(storage=DatabaseStorage(SAMPLES_SCOPE))
    keys = [doc_id for doc_type, doc_id in index.candidates(found) if doc_type == SAMPLE]
    mine = printed.shingles(reference)
    best, best_score = None, 0.0
    for sample in SampleEssay.objects.filter(pk__in=keys).order_by("pk"):
        score = similarity(mine, fingerprint(sample.text).shingles(reference)).containment
        if score > best_score:
            best, best_score = sample, score
    return best, round(best_score, 3)


def label_for(verdict: EssayVerdict) -> str:
    """The most serious finding of VERDICT."""
    if verdict.reference_share >= REFERENCE_SHARE:
        return VerdictLabel.COPIES_RESOLUTION
    if verdict.sample_id and verdict.sample_score >= THRESHOLD:
        return VerdictLabel.COPIES_SAMPLE
    if verdict.duplicates:
        return VerdictLabel.COPIES_ESSAY
    if verdict.generic_score < GENERIC_BELOW:
        return VerdictLabel.GENERIC
    return VerdictLabel.ORIGINAL


def _verdict(essay: Essay, printed: Fingerprint, duplicates: list[dict], reference: frozenset[int]) -> EssayVerdict:
    sample, sample_score = _best_sample(printed, reference)
    report = generic_report(essay.text)
    verdict = EssayVerdict.objects.filter(essay=essay).first() or EssayVerdict(essay=essay)
    verdict.duplicates = duplicates
    verdict.reference_share = round(reference_share(printed, reference), 3)
    verdict.sample, verdict.sample_score = (sample, sample_score) if sample_score >= THRESHOLD else (None, 0.0)
    verdict.generic_score = report.score
    verdict.generic_evidence = {
        "names": report.names[:20],
        "figures": report.figures[:20],
        "commitments": report.commitments[:20],
    }
    verdict.computed_at = timezone.now()
    verdict.label = label_for(verdict)
    verdict.save()
    return verdict


@transaction.atomic
def essay_check(essay: Essay) -> EssayVerdict:
    """Index ESSAY's current text and replace its verdict; keep the other essays' lists symmetric."""
    reference = plan_reference(essay.plan)
    printed, found = _index_essay(essay, reference)
    duplicates = _duplicates(essay, printed, found, reference)
    previous = EssayVerdict.objects.filter(essay=essay).values_list("duplicates", flat=True).first() or []
    verdict = _verdict(essay, printed, duplicates, reference)
    scores = {d["essay"]: d["score"] for d in duplicates}
    touched = scores.keys() | {d["essay"] for d in previous}
    for other in EssayVerdict.objects.select_for_update().filter(essay_id__in=touched).order_by("pk"):
        kept = [d for d in other.duplicates if d["essay"] != essay.pk]
        if other.essay_id in scores:
            kept.append({"essay": essay.pk, "score": scores[other.essay_id]})
        other.duplicates = sorted(kept, key=lambda d: (-d["score"], d["essay"]))
        other.label = label_for(other)
        other.save(update_fields=["duplicates", "label"])
    return verdict


def _no_progress(items: Iterable, _total: int) -> Iterable:
    return items


def plan_rescan(plan: StudyPlan, progress: Callable[[Iterable, int], Iterable] = _no_progress) -> dict:
    """Re-index every essay of PLAN, then recompute every verdict from scratch (exact, symmetric).

    PROGRESS wraps each pass (items, total), e.g. in a progress bar. Returns the count per label.
    """
    reference = plan_reference(plan)
    essays = list(Essay.objects.filter(plan=plan).select_related("plan").order_by("pk"))
    printed = {}
    for essay in progress(essays, len(essays)):
        printed[essay.pk] = _index_essay(essay, reference)
    counts = dict.fromkeys(VerdictLabel.values, 0)
    for essay in progress(essays, len(essays)):
        fp, found = printed[essay.pk]
        verdict = _verdict(essay, fp, _duplicates(essay, fp, found, reference), reference)
        counts[verdict.label] += 1
    return counts


@task()
def rescan_plan_task(plan_id: int) -> dict:
    """The bulk rescan as a background task (``manage.py db_worker``); logs its progress."""
    plan = StudyPlan.objects.get(pk=plan_id)

    def progress(items, total):
        for done, item in enumerate(items, 1):
            if done % 500 == 0 or done == total:
                log.info("rescan plan %s: %s/%s", plan_id, done, total)
            yield item

    return plan_rescan(plan, progress)
