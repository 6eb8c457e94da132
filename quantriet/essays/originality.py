"""The originality check of essays: a verdict on every submission, the sample library, rescans.

Built on the `quantriet.originality` library. Decisions:
- The plan's documents (their full text, ``Document.body``) are the reference: their shingles are
  boilerplate for pairing, so two honest essays quoting the same resolution headings are not a
  pair, and an essay taking most of its shingles from them copies the resolution.
- Essays are indexed in the database LSH tables under doc_type "essay" and scope "plan:<id>",
  with the boilerplate left out of the sketch; samples under "sample" and scope "samples", whole.
  LSH only proposes candidates: those whose sketches estimate a containment of at least
  `bulk.LIKELY_FROM` are confirmed exactly on the shingle sets, boilerplate aside (containment ≥
  THRESHOLD), so what is stored and shown is exact.
- Near-duplicates are kept symmetric: when essay B is found to pair with A, A's verdict lists B
  too; a resubmission takes the essay out of the lists it no longer belongs to.
- One label, the most serious finding first: resolution copy, sample copy, copy of another
  essay, generic, independent. Every score is stored whatever the label.
- Two first submissions at the very same moment may not see each other (neither is committed);
  a rescan (`rescan_originality`, or "Quét lại toàn bộ" on the board) recomputes a whole plan
  exactly, as a background job with a progress page (`core.jobs`, kind RESCAN_KIND, key
  "plan:<id>"); a second request while one runs is sent to it instead of starting another. It
  takes the bulk path (`originality.bulk`: every core, pairs found in memory, verdicts written in
  bulk) and gives the verdicts the submissions would. After an upgrade of the engine emptied the
  index, `rescan_originality --all` indexes the sample library and rescans every plan.
- A sample added to the library is checked against the essays already submitted, as a background
  job (RECHECK_KIND, key "sample:<id>"): the sample's whole sketch asks the LSH index of every
  plan at once (no scope) for candidate essays, and only those get their verdict re-run
  (`essay_recheck`: the sample and resolution parts and the label; the pairs with other essays
  come from the essays' index, which a sample does not change). An essay submitted before the
  sample was known so becomes "Chép bài mẫu trên mạng". The essays' sketches leave the plan's
  documents out and the sample's does not, so a sample made mostly of the resolution is found
  less surely; an essay copying it is labelled a copy of the resolution anyway.
"""

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import count, islice

import numpy as np
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from quantriet.core.audit import audit_record
from quantriet.core.jobs import JobError, job_active, job_create, job_run
from quantriet.core.models import Job
from quantriet.originality.bulk import (
    LIKELY_FROM,
    Printed,
    band_keys_of,
    candidate_pairs,
    joined,
    likely_pairs,
    print_chunks,
)
from quantriet.originality.compare import (
    Fingerprint,
    fingerprint,
    reference_share,
    reference_shingles,
    similarity,
)
from quantriet.originality.db import DatabaseStorage
from quantriet.originality.generic import GENERIC_BELOW, GenericReport, generic_report
from quantriet.originality.index import DEFAULT_THRESHOLD, Index
from quantriet.originality.scan import REFERENCE_SHARE
from quantriet.study.models import StudyPlan

from .models import Essay, EssayVerdict, SampleEssay, VerdictLabel
from .text import clean_text

log = logging.getLogger(__name__)

ESSAY, SAMPLE = "essay", "sample"
SAMPLES_SCOPE = "samples"
#: Kinds of the background jobs (core.Job) of this module.
RESCAN_KIND, RECHECK_KIND = "essays.rescan", "essays.sample_recheck"
#: At most this many essay ids are kept in a recheck job's result (and so in its audit entry).
MAX_LISTED = 1000
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
    """Add a sample essay to the library, index it, and start re-checking the essays it may match.

    The caller checks the role. The recheck is a background job (`sample_recheck_task`); its task
    row is written in this transaction (database backend), so a worker sees the sample indexed.
    """
    sample = SampleEssay.objects.create(
        title=title.strip()[:300], text=clean_text(text), source_url=source_url.strip(), uploaded_by=actor
    )
    index_sample(sample)
    audit_record(actor, "essay.sample_add", sample, None, {"title": sample.title, "words": len(sample.text.split())})
    job = job_create(
        actor,
        RECHECK_KIND,
        f"Rà lại bài thu hoạch đã nộp theo bài mẫu “{sample.title}”",
        key=sample_key(sample.pk),
        back_url=reverse("essays:samples"),
        details={"sample": sample.pk},
    )
    sample_recheck_task.enqueue(sample.pk, job.pk)
    return sample


def sample_key(sample_id: int) -> str:
    return f"sample:{sample_id}"


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
    """The essays of the same plan sharing at least THRESHOLD of the shorter text, confirmed exactly.

    The LSH candidates whose sketches estimate them below LIKELY_FROM are not compared (see `bulk`).
    """
    if found is None:
        return []
    storage = DatabaseStorage(plan_scope(essay.plan_id))
    candidates = [key for key in Index(storage=storage).candidates(found) if key[0] == ESSAY and key[1] != essay.pk]
    sketches = storage.sketches(candidates)
    keys = [doc_id for (_, doc_id), other in sketches.items() if found.containment(other) >= LIKELY_FROM]
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
    verdict = EssayVerdict.objects.filter(essay=essay).first() or EssayVerdict(essay=essay)
    _fill(
        verdict,
        duplicates,
        reference_share(printed, reference),
        _best_sample(printed, reference),
        generic_report(essay.text),
        timezone.now(),
    )
    verdict.save()
    return verdict


def _fill(verdict: EssayVerdict, duplicates: list[dict], share: float, best, report: GenericReport, now):
    """Set every finding of VERDICT and its label (not saved)."""
    sample, sample_score = best
    verdict.duplicates = duplicates
    verdict.reference_share = round(share, 3)
    verdict.sample, verdict.sample_score = (sample, sample_score) if sample_score >= THRESHOLD else (None, 0.0)
    verdict.generic_score = report.score
    verdict.generic_evidence = {
        "names": report.names[:20],
        "figures": report.figures[:20],
        "commitments": report.commitments[:20],
    }
    verdict.computed_at = now
    verdict.label = label_for(verdict)


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
        other.computed_at = verdict.computed_at  # its pairs changed: the fidelity rollups look for this
        other.save(update_fields=["duplicates", "label", "computed_at"])
    return verdict


@transaction.atomic
def essay_recheck(essay_id: int) -> tuple[EssayVerdict | None, str | None]:
    """Re-run the verdict of one essay after the sample library changed: (verdict, previous label).

    The pairs with other essays are kept (a sample does not change them); everything else is
    computed again from the essay's current text. An essay with no verdict yet gets the full
    check; one deleted meanwhile gives (None, None).
    """
    essay = Essay.objects.select_for_update().select_related("plan").filter(pk=essay_id).first()
    if essay is None:
        return None, None
    previous = EssayVerdict.objects.filter(essay=essay).first()
    if previous is None:
        return essay_check(essay), None
    reference = plan_reference(essay.plan)
    return _verdict(essay, fingerprint(essay.text), previous.duplicates, reference), previous.label


def sample_candidates(sample: SampleEssay) -> list[int]:
    """Ids of the essays of any plan that the LSH index proposes for SAMPLE (not yet confirmed)."""
    found = fingerprint(sample.text).sketch()
    if found is None:
        return []
    index = Index(storage=DatabaseStorage())  # no scope: every plan's essays
    return sorted(doc_id for doc_type, doc_id in index.candidates(found) if doc_type == ESSAY)


def sample_recheck(sample: SampleEssay, progress: Callable[[int, int], None] | None = None) -> dict:
    """Re-run the verdict of every candidate essay of SAMPLE; what changed, as a job result."""
    ids = sample_candidates(sample)
    changed, now_sample = [], []
    if progress:
        progress(0, len(ids))
    for done, pk in enumerate(ids, 1):
        verdict, before = essay_recheck(pk)
        if verdict is not None and verdict.label != before:
            changed.append(pk)
            if verdict.label == VerdictLabel.COPIES_SAMPLE:
                now_sample.append(pk)
        if progress:
            progress(done, len(ids))
    copies = VerdictLabel.COPIES_SAMPLE.label
    message = (
        f"Đã rà lại {len(ids)} bài thu hoạch có nét giống bài mẫu; {len(now_sample)} bài chuyển sang “{copies}”."
        if ids
        else "Không có bài thu hoạch đã nộp nào giống bài mẫu này."
    )
    return {
        "message": message,
        "rows": [
            ["Bài được rà lại", len(ids)],
            ["Bài đổi kết luận", len(changed)],
            [f"Bài chuyển sang “{copies}”", len(now_sample)],
        ],
        "sample": sample.pk,
        "rechecked": len(ids),
        "changed": changed[:MAX_LISTED],
        "now_copies_sample": now_sample[:MAX_LISTED],
    }


@task()
def sample_recheck_task(sample_id: int, job_id: int) -> dict | None:
    """The recheck after a sample is added, as a background task under its job."""

    def work(progress):
        sample = SampleEssay.objects.filter(pk=sample_id).first()
        if sample is None:
            return {"message": "Bài mẫu không còn trong thư viện; không có gì để rà lại.", "rechecked": 0}
        return sample_recheck(sample, progress)

    result = job_run(job_id, work)
    return None if result is None else {k: result.get(k) for k in ("rechecked", "changed", "now_copies_sample")}


def _no_progress(items: Iterable, _total: int) -> Iterable:
    return items


def plan_rescan(plan: StudyPlan, progress: Callable[[Iterable, int], Iterable] = _no_progress) -> dict:
    """Re-index every essay of PLAN, then recompute every verdict from scratch (exact, symmetric).

    The bulk path (`originality.bulk`): every essay is sketched on every core, the plan's index is
    rewritten with bulk inserts, the near pairs are found among the sketches in memory and confirmed
    exactly, and the verdicts are written in bulk: the same verdicts as checking the essays one by
    one (the pairs an LSH query would propose, the same exact comparison), in a fraction of the time.
    PROGRESS wraps each pass (items, total), e.g. in a progress bar. Returns the count per label.
    """
    clock = _Clock(plan.pk)
    reference = plan_reference(plan)
    rows = list(Essay.objects.filter(plan=plan).order_by("pk").values_list("pk", "text"))
    ids, texts = [pk for pk, _ in rows], [text for _, text in rows]
    clock.lap("read %s essays", len(ids))
    ticks = iter(progress(range(len(ids)), len(ids)))
    parts, done = [], 0
    with transaction.atomic():  # each chunk is stored while the workers sketch the next ones
        for part in print_chunks(texts, reference):
            _reindex(plan, ids[done : done + len(part)], part)
            parts.append(part)
            done += len(part)
            deque(islice(ticks, len(part)), maxlen=0)
    deque(ticks, maxlen=0)
    printed = joined(parts)
    clock.lap("sketched and indexed")
    duplicates = _plan_duplicates(ids, texts, printed, reference)
    clock.lap("paired %s essays", len(duplicates))
    samples = _plan_samples(texts, printed, reference)
    clock.lap("compared with the samples")
    counts = dict.fromkeys(VerdictLabel.values, 0)
    held = {v.essay_id: v for v in EssayVerdict.objects.filter(essay__plan=plan)}
    now = timezone.now()
    changed, added = [], []
    for i, pk in progress(enumerate(ids), len(ids)):
        verdict = held.get(pk) or EssayVerdict(essay_id=pk)
        share = float(printed.reference_shares[i])
        _fill(verdict, duplicates.get(pk, []), share, samples.get(i, (None, 0.0)), printed.generic[i], now)
        (changed if verdict.pk else added).append(verdict)
        counts[verdict.label] += 1
    with transaction.atomic():
        EssayVerdict.objects.bulk_update(changed, VERDICT_FIELDS, batch_size=VERDICT_BATCH)
        EssayVerdict.objects.bulk_create(added, batch_size=VERDICT_BATCH)
    clock.lap("wrote the verdicts")
    return counts


class _Clock:
    """Logs how long each phase of a plan's rescan took (for whoever runs a large one)."""

    def __init__(self, plan_id: int):
        self.plan_id, self.start = plan_id, time.perf_counter()

    def lap(self, what: str, *args):
        now = time.perf_counter()
        log.info(f"rescan plan %s: {what} (%.1f s)", self.plan_id, *args, now - self.start)
        self.start = now


#: What a rescan writes on every verdict, and how many rows per statement.
VERDICT_FIELDS = [
    "label", "duplicates", "reference_share", "sample", "sample_score", "generic_score", "generic_evidence",
    "computed_at",
]  # fmt: skip
VERDICT_BATCH = 1000


def _reindex(plan: StudyPlan, ids: list[int], printed: Printed):
    """Put the sketches (boilerplate aside) of the essays IDS (PRINTED's rows) in the plan's scope.

    Essays without a sketch are forgotten.
    """
    storage = DatabaseStorage(plan_scope(plan.pk))
    keys = band_keys_of(printed.signatures, printed.sizes, Index().params)
    storage.put_many(((ESSAY, ids[i]), printed.sketch(i), keys[i].tolist()) for i in np.flatnonzero(printed.sizes))
    for i in np.flatnonzero(printed.sizes == 0):
        storage.remove((ESSAY, ids[i]))


def _plan_duplicates(ids, texts, printed: Printed, reference) -> dict[int, list[dict]]:
    """Essay id → its near-duplicates among IDS, as `_duplicates` finds them, both ways."""
    keys = band_keys_of(printed.signatures, printed.sizes, Index().params)
    pairs = likely_pairs(printed.signatures, printed.sizes, candidate_pairs(keys))
    shingles = {}
    found: dict[int, list[dict]] = {}
    for a, b in pairs.tolist():
        for i in (a, b):
            if i not in shingles:
                shingles[i] = fingerprint(texts[i]).shingles(reference)
        score = similarity(shingles[a], shingles[b]).containment
        if score >= THRESHOLD:
            found.setdefault(ids[a], []).append({"essay": ids[b], "score": round(score, 3)})
            found.setdefault(ids[b], []).append({"essay": ids[a], "score": round(score, 3)})
    return {pk: sorted(listed, key=lambda d: (-d["score"], d["essay"])) for pk, listed in found.items()}


def _plan_samples(texts, printed: Printed, reference) -> dict[int, tuple[SampleEssay, float]]:
    """Essay index → (best sample, score) as `_best_sample` finds it, for the essays with a sample candidate."""
    samples = {sample.pk: sample for sample in SampleEssay.objects.order_by("pk")}
    if not samples:
        return {}
    # Sketched here from their texts (a few hundred), so a rescan does not depend on the samples' index.
    params = Index().params
    prints = {pk: fingerprint(sample.text) for pk, sample in samples.items()}
    sketches = {pk: found for pk, printed_sample in prints.items() if (found := printed_sample.sketch()) is not None}
    sample_ids = list(sketches)
    sample_keys = params.band_keys_many(np.array([sketch.signature for sketch in sketches.values()]))
    essay_keys = band_keys_of(printed.whole_signatures, printed.whole_sizes, params)
    candidates: dict[int, set[int]] = {}
    for band in range(params.bands):
        by_key = {}
        for row, key in enumerate(sample_keys[:, band].tolist()):
            by_key.setdefault(key, []).append(sample_ids[row])
        for i in np.flatnonzero(np.isin(essay_keys[:, band], sample_keys[:, band])).tolist():
            candidates.setdefault(i, set()).update(by_key[int(essay_keys[i, band])])
    theirs = {pk: prints[pk].shingles(reference) for pk in sample_ids}
    best = {}
    for i, pks in candidates.items():
        mine = fingerprint(texts[i]).shingles(reference)
        top, top_score = None, 0.0
        for pk in sorted(pks):
            score = similarity(mine, theirs[pk]).containment
            if score > top_score:
                top, top_score = samples[pk], score
        best[i] = (top, round(top_score, 3))
    return best


def plan_rescan_start(actor, plan: StudyPlan) -> tuple[Job, bool]:
    """Start the bulk rescan of PLAN as a background job: (job, True), or (the running one, False).

    The caller checks the role. The job page links back to the plan's essays board. The plan row
    is locked while looking for a running rescan, so two clicks at once start one job.
    """
    with transaction.atomic():
        StudyPlan.objects.select_for_update().filter(pk=plan.pk).first()
        running = job_active(RESCAN_KIND, plan_scope(plan.pk))
        if running is not None:
            return running, False
        job = job_create(
            actor,
            RESCAN_KIND,
            f"Quét lại trùng lặp bài thu hoạch — {plan.title}",
            key=plan_scope(plan.pk),
            back_url=reverse("essays:board", args=[plan.pk]),
            details={"plan": plan.pk},
        )
    rescan_plan_task.enqueue(plan.pk, job.pk)
    return job, True


def _job_passes(progress) -> Callable[[Iterable, int], Iterable]:
    """A `plan_rescan` PROGRESS reporting both passes to a job as one count (2 × essays)."""
    passes = count()

    def wrap(items, total):
        offset = next(passes) * total
        progress(offset, 2 * total)
        for done, item in enumerate(items, 1):
            yield item
            progress(offset + done, 2 * total)

    return wrap


def _logged(plan_id: int) -> Callable[[Iterable, int], Iterable]:
    def wrap(items, total):
        for done, item in enumerate(items, 1):
            if done % 500 == 0 or done == total:
                log.info("rescan plan %s: %s/%s", plan_id, done, total)
            yield item

    return wrap


def rescan_result(counts: dict) -> dict:
    """The job result of a rescan: a message, one row per label, and the counts."""
    total = sum(counts.values())
    return {
        "message": f"Đã kiểm tra lại {total} bài thu hoạch của kế hoạch.",
        "rows": [[label, counts.get(value, 0)] for value, label in VerdictLabel.choices],
        "counts": counts,
    }


@task()
def rescan_plan_task(plan_id: int, job_id: int | None = None) -> dict | None:
    """The bulk rescan as a background task (``manage.py db_worker``): the count per label.

    With JOB_ID it runs under that job (progress and result on its page); without, it logs.
    """
    if job_id is None:
        return plan_rescan(StudyPlan.objects.get(pk=plan_id), _logged(plan_id))

    def work(progress):
        plan = StudyPlan.objects.filter(pk=plan_id).first()
        if plan is None:
            raise JobError("Kế hoạch không còn tồn tại; không quét lại được.")
        return rescan_result(plan_rescan(plan, _job_passes(progress)))

    result = job_run(job_id, work)
    return None if result is None else result["counts"]
