"""The originality check of essays: a verdict on every submission, the sample library, rescans.

Built on the `quantriet.originality` library. Decisions:
- The plan's documents (their full text, ``Document.body``) are the reference: their shingles are
  boilerplate for pairing, so two honest essays quoting the same resolution headings are not a
  pair, and an essay taking most of its shingles from them copies the resolution.
- Essays are indexed in the database LSH tables under doc_type "essay" and scope "plan:<id>",
  with the boilerplate left out of the sketch. Candidates, proposed by their sketches and then
  compared exactly on the shingle sets (boilerplate aside): the essays of the plan the LSH index
  proposes, the essays of the same cell (all of them, up to CELL_WHOLE_MAX: neighbours copy each
  other), and every sample of the library (compared whole from the samples' texts: a library is a
  few hundred texts). Those sharing at least `scan.SECOND_STAGE_FROM` of the shorter text go to
  the second stage (`scan.confirm`: sentences aligned, the plan's documents as boilerplate): a
  pair is reported when THRESHOLD of one text is copied, verbatim or disguised (typed without
  diacritics, spaces lost, reworded), or when a text spliced from several is copied THRESHOLD as
  a whole. Each pair, and the sample found, keeps its kind of copying (`align.KINDS`).
- A splice is seen from its own side: when an essay is checked, the essays it shares a part with
  are looked at from their side too (`_seen_from`), so a splice whose last source comes in is
  paired with all of its sources, as the bulk rescan (which looks at every pair from both sides)
  finds it.
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
  index, `rescan_originality --all` rescans every plan (the sample library needs no index).
- A sample added to the library is checked against the essays already submitted, as a background
  job (RECHECK_KIND, key "sample:<id>"): the sample's whole sketch is compared with every stored
  essay sketch of every plan (read in batches), and the essays estimated close get their verdict
  re-run (`essay_recheck`: the sample and resolution parts and the label; the pairs with other
  essays are kept, a sample does not change them). An essay submitted before the sample was
  known so becomes "Chép bài mẫu trên mạng". The essays' sketches leave the plan's documents out
  and the sample's does not, so a sample made mostly of the resolution is found less surely; an
  essay copying it is labelled a copy of the resolution anyway.
"""

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import count, islice

import numpy as np
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from quantriet.core.audit import audit_record
from quantriet.core.jobs import JobError, job_active, job_create, job_enqueue, job_run
from quantriet.core.models import Job
from quantriet.core.workers import rerun_safe
from quantriet.originality import align
from quantriet.originality.bulk import (
    Printed,
    band_keys_of,
    candidate_pairs,
    joined,
    likely_across,
    likely_pairs,
    print_chunks,
    sketch_texts,
)
from quantriet.originality.compare import (
    Fingerprint,
    fingerprint,
    reference_share,
)
from quantriet.originality.db import DatabaseStorage
from quantriet.originality.generic import GENERIC_BELOW, GenericReport, generic_report
from quantriet.originality.index import DEFAULT_THRESHOLD, Index
from quantriet.originality.models import OriginalitySignature
from quantriet.originality.scan import (
    ESTIMATED_FROM,
    REFERENCE_SHARE,
    Confirmed,
    confirm_proposals,
)
from quantriet.study.models import StudyPlan
from quantriet.study.reference import plan_boilerplate, plan_reference

from .models import Essay, EssayVerdict, SampleEssay, VerdictLabel
from .text import clean_text, word_count

log = logging.getLogger(__name__)

ESSAY, SAMPLE = "essay", "sample"
#: Kinds of the background jobs (core.Job) of this module.
RESCAN_KIND, RECHECK_KIND = "essays.rescan", "essays.sample_recheck"
#: At most this many essay ids are kept in a recheck job's result (and so in its audit entry).
MAX_LISTED = 1000
#: An essay (or sample) is reported when this share of the shorter text is found in the other.
THRESHOLD = DEFAULT_THRESHOLD
#: The essays of one cell are all compared with each other (neighbours copy each other, and a
#: paraphrase shares too little to be proposed by the LSH bands) when the cell has at most this many.
CELL_WHOLE_MAX = 500
#: An essay covering at least this share of another copies all of it: the other is not spliced
#: from it (see `_seen_from`), so its side need not be looked at.
WHOLE = 1 - align.SPLICED_PART


def plan_scope(plan_id: int) -> str:
    return f"plan:{plan_id}"


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
    audit_record(actor, "essay.sample_add", sample, None, {"title": sample.title, "words": word_count(sample.text)})
    job = job_create(
        actor,
        RECHECK_KIND,
        f"Rà lại bài thu hoạch đã nộp theo bài mẫu “{sample.title}”",
        key=sample_key(sample.pk),
        back_url=reverse("essays:samples"),
        details={"sample": sample.pk},
    )
    job_enqueue(job, sample_recheck_task, sample.pk, job.pk)
    return sample


def sample_key(sample_id: int) -> str:
    return f"sample:{sample_id}"


@dataclass(frozen=True, slots=True)
class SampleTable:
    """The whole sketch of every sample of the library, to compare an essay with all of them at once."""

    ids: list[int]
    signatures: np.ndarray
    sizes: np.ndarray

    def likely(self, signatures: np.ndarray, sizes: np.ndarray) -> np.ndarray:
        """(row, sample id) of the rows of SIGNATURES estimated to share ESTIMATED_FROM with a sample."""
        found = likely_across(signatures, sizes, self.signatures, self.sizes, ESTIMATED_FROM)
        ids = np.array(self.ids, dtype=np.int64)
        return np.stack([found[:, 0], ids[found[:, 1]]], axis=1) if len(found) else found


_sample_tables: dict[tuple[int, ...], SampleTable] = {}


def sample_table() -> SampleTable:
    """The library's sketches, made again (in this process) only when a sample was added or removed.

    A sample is not edited once in the library (the pages add and list; the admin shows it read only).
    """
    ids = tuple(SampleEssay.objects.order_by("pk").values_list("pk", flat=True))
    table = _sample_tables.get(ids)
    if table is None:
        texts = dict(SampleEssay.objects.filter(pk__in=ids).values_list("pk", "text"))
        signatures, sizes = sketch_texts([texts[pk] for pk in ids])
        _sample_tables.clear()
        _sample_tables[ids] = table = SampleTable(list(ids), signatures, sizes)
    return table


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


def _proposed(essay: Essay, printed: Fingerprint, found, essays: bool = True) -> dict[tuple, str]:
    """The texts to compare ESSAY with: (ESSAY, id) or (SAMPLE, id) → text.

    Essays of the plan are proposed by the LSH index, and those of the same cell all (when
    ESSAYS); samples by comparing the essay's whole sketch with every sample's. Those estimated
    below ESTIMATED_FROM are left out.
    """
    proposed = {ESSAY: [], SAMPLE: []}
    if essays and found is not None:
        storage = DatabaseStorage(plan_scope(essay.plan_id))
        keys = {key for key in Index(storage=storage).candidates(found) if key[0] == ESSAY}
        keys |= {(ESSAY, pk) for pk in _cell_mates(essay)}
        keys.discard((ESSAY, essay.pk))
        sketches = storage.sketches(keys)
        proposed[ESSAY] = [pk for (_, pk), other in sketches.items() if found.containment(other) >= ESTIMATED_FROM]
    whole = printed.sketch()
    if whole is not None:
        likely = sample_table().likely(whole.signature[None, :], np.array([whole.size]))
        proposed[SAMPLE] = likely[:, 1].tolist()
    essays_found = Essay.objects.filter(plan_id=essay.plan_id, pk__in=proposed[ESSAY]).values_list("pk", "text")
    samples_found = SampleEssay.objects.filter(pk__in=proposed[SAMPLE]).values_list("pk", "text")
    return {(ESSAY, pk): text for pk, text in essays_found} | {(SAMPLE, pk): text for pk, text in samples_found}


def _cell_mates(essay: Essay) -> list[int]:
    """The other essays of ESSAY's plan written in its cell, when the cell has at most CELL_WHOLE_MAX."""
    mates = Essay.objects.filter(plan_id=essay.plan_id, cell_id=essay.cell_id).order_by()  # the (plan, cell) index
    mates = list(mates.values_list("pk", flat=True)[: CELL_WHOLE_MAX + 1])
    return mates if len(mates) <= CELL_WHOLE_MAX else []


def _findings(essay: Essay, printed: Fingerprint, found, reference, boilerplate, essays: bool = True):
    """What ESSAY copies or is copied by among its proposals (`_proposed`), as the rescan finds it
    (`scan.confirm_proposals`): (the keys of the texts sharing SECOND_STAGE_FROM with it, key → `Confirmed`)."""
    key = (ESSAY, essay.pk)
    others = _proposed(essay, printed, found, essays)
    related, confirmed = confirm_proposals(
        {key: essay.text, **others},
        [(key, other) for other in others],
        reference=reference,
        boilerplate=boilerplate,
        threshold=THRESHOLD,
        copies={key, *(other for other in others if other[0] == ESSAY)},
    )
    return {other for _, other in related}, {other: found for (_, other), found in confirmed.items()}


def _duplicates_of(findings: dict[tuple, Confirmed]) -> list[dict]:
    """The essays among FINDINGS as a verdict lists them: most similar first."""
    listed = [_listed(pk, found) for (doc_type, pk), found in findings.items() if doc_type == ESSAY]
    return sorted(listed, key=lambda d: (-d["score"], d["essay"]))


def _listed(pk: int, found: Confirmed) -> dict:
    return {"essay": pk, "score": round(found.similarity, 3), "kind": found.kind}


def _best_sample(findings: dict[tuple, Confirmed]) -> tuple[int | None, float, str]:
    """The sample among FINDINGS the essay copies most: (its id, similarity, kind of copying)."""
    samples = {pk: found for (doc_type, pk), found in findings.items() if doc_type == SAMPLE}
    if not samples:
        return None, 0.0, ""
    pk = max(samples, key=lambda pk: (samples[pk].similarity, -pk))
    return pk, round(samples[pk].similarity, 3), samples[pk].kind


def _seen_from(other_id: int, reference, boilerplate) -> dict[tuple, Confirmed]:
    """What the essay OTHER_ID copies or is copied by, seen from its side with all that it resembles.

    A text spliced from three essays takes a third of each: seen from each source it is only a
    passage, seen from the splice (with its other sources) a copy. `essay_check` asks this of the
    essays it shares only a part with, as the bulk rescan looks at every pair from both sides.
    """
    other = Essay.objects.filter(pk=other_id).first()
    if other is None:
        return {}
    printed = fingerprint(other.text)
    return _findings(other, printed, printed.sketch(reference), reference, boilerplate)[1]


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


def _verdict(essay: Essay, printed: Fingerprint, duplicates: list[dict], best, reference) -> EssayVerdict:
    verdict = EssayVerdict.objects.filter(essay=essay).first() or EssayVerdict(essay=essay)
    _fill(verdict, duplicates, reference_share(printed, reference), best, generic_report(essay.text), timezone.now())
    verdict.save()
    return verdict


def _fill(verdict: EssayVerdict, duplicates: list[dict], share: float, best, report: GenericReport, now):
    """Set every finding of VERDICT and its label (not saved). BEST: (sample id, similarity, kind)."""
    sample_id, sample_score, sample_kind = best
    verdict.duplicates = duplicates
    verdict.reference_share = round(share, 3)
    if sample_score >= THRESHOLD:
        verdict.sample_id, verdict.sample_score, verdict.sample_kind = sample_id, sample_score, sample_kind
    else:
        verdict.sample_id, verdict.sample_score, verdict.sample_kind = None, 0.0, ""
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
    reference, boilerplate = plan_reference(essay.plan), plan_boilerplate(essay.plan)
    printed, found = _index_essay(essay, reference)
    related, findings = _findings(essay, printed, found, reference, boilerplate)
    previous = EssayVerdict.objects.filter(essay=essay).values_list("duplicates", flat=True).first() or []
    # The essays sharing a part with this one (or paired with its earlier text), seen from their side.
    sharing = {pk for doc_type, pk in related if doc_type == ESSAY} | {d["essay"] for d in previous}
    whole = {pk for (doc_type, pk), found in findings.items() if doc_type == ESSAY and found.covered[1] >= WHOLE}
    elsewhere = []
    for other_id in sorted(sharing - whole):
        seen = _seen_from(other_id, reference, boilerplate)
        if (ESSAY, essay.pk) in seen:
            theirs = seen.pop((ESSAY, essay.pk))
            mine = findings.get((ESSAY, other_id))
            findings[(ESSAY, other_id)] = mine.joined(theirs) if mine else theirs
        elsewhere += [(other_id, pk, found) for (doc_type, pk), found in seen.items() if doc_type == ESSAY]
    duplicates = _duplicates_of(findings)
    verdict = _verdict(essay, printed, duplicates, _best_sample(findings), reference)
    listed = {d["essay"]: d for d in duplicates}
    touched = listed.keys() | {d["essay"] for d in previous}
    for other in EssayVerdict.objects.select_for_update().filter(essay_id__in=touched).order_by("pk"):
        kept = [d for d in other.duplicates if d["essay"] != essay.pk]
        if other.essay_id in listed:
            kept.append({**listed[other.essay_id], "essay": essay.pk})
        other.duplicates = sorted(kept, key=lambda d: (-d["score"], d["essay"]))
        other.label = label_for(other)
        other.computed_at = verdict.computed_at  # its pairs changed: the fidelity rollups look for this
        other.save(update_fields=["duplicates", "label", "computed_at"])
    _pair_elsewhere(elsewhere, verdict.computed_at)
    return verdict


def _pair_elsewhere(pairs: list[tuple[int, int, Confirmed]], now):
    """List the (essay, essay, finding) PAIRS on both verdicts, joined with what they list already: a
    splice whose last source just came in is a copy of its earlier sources too."""
    wanted: dict[int, dict[int, Confirmed]] = {}
    for a, b, found in pairs:
        wanted.setdefault(a, {})[b] = found
        wanted.setdefault(b, {})[a] = found
    for verdict in EssayVerdict.objects.select_for_update().filter(essay_id__in=wanted).order_by("pk"):
        listed = {d["essay"]: d for d in verdict.duplicates}
        for pk, found in wanted[verdict.essay_id].items():
            held = listed.get(pk)
            if held is not None:
                found = Confirmed(held["score"], held.get("kind", "verbatim")).joined(found)
            listed[pk] = _listed(pk, found)
        duplicates = sorted(listed.values(), key=lambda d: (-d["score"], d["essay"]))
        if duplicates != verdict.duplicates:
            verdict.duplicates = duplicates
            verdict.label = label_for(verdict)
            verdict.computed_at = now
            verdict.save(update_fields=["duplicates", "label", "computed_at"])


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
    printed = fingerprint(essay.text)
    _, findings = _findings(essay, printed, None, reference, plan_boilerplate(essay.plan), essays=False)
    return _verdict(essay, printed, previous.duplicates, _best_sample(findings), reference), previous.label


def sample_candidates(sample: SampleEssay) -> list[int]:
    """Ids of the essays of any plan whose stored sketch is estimated to share ESTIMATED_FROM with SAMPLE.

    Every essay's sketch is read (in batches) and compared with the sample's whole sketch, as an
    essay submitted now is compared with every sample: a paraphrase shares too little to be
    proposed by the LSH bands. Not yet confirmed.
    """
    signatures, sizes = sketch_texts([sample.text])
    if not sizes[0]:
        return []
    found = []
    rows = OriginalitySignature.objects.filter(doc_type=ESSAY).values_list("doc_id", "sketch", "size")
    for batch in _batches(rows.iterator(chunk_size=SKETCH_BATCH), SKETCH_BATCH):
        ids = np.array([doc_id for doc_id, _, _ in batch], dtype=np.int64)
        stored = np.frombuffer(b"".join(bytes(data) for _, data, _ in batch), dtype="<u4").reshape(len(batch), -1)
        stored_sizes = np.array([size for _, _, size in batch], dtype=np.int64)
        likely = likely_across(stored.astype(np.uint32), stored_sizes, signatures, sizes, ESTIMATED_FROM)
        found.extend(ids[likely[:, 0]].tolist())
    return sorted(found)


#: Stored sketches read per round of `sample_candidates`.
SKETCH_BATCH = 5000


def _batches(items: Iterable, size: int):
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


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


@rerun_safe  # each essay's verdict is recomputed from its text: a second pass finds the same
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
    (`_plan_findings`), and the verdicts are written in bulk: the same verdicts as checking the
    essays one by one (the same proposals, exact comparison and second stage), in a fraction of the time.
    PROGRESS wraps each pass (items, total), e.g. in a progress bar. Returns the count per label.
    """
    clock = _Clock(plan.pk)
    reference = plan_reference(plan)
    rows = list(Essay.objects.filter(plan=plan).order_by("pk").values_list("pk", "text", "cell_id"))
    ids, texts, cells = [row[0] for row in rows], [row[1] for row in rows], [row[2] for row in rows]
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
    duplicates, samples = _plan_findings(ids, texts, cells, printed, reference, plan_boilerplate(plan))
    clock.lap("paired %s essays, %s with a sample", len(duplicates), len(samples))
    counts = dict.fromkeys(VerdictLabel.values, 0)
    held = {v.essay_id: v for v in EssayVerdict.objects.filter(essay__plan=plan)}
    now = timezone.now()
    changed, added = [], []
    for i, pk in progress(enumerate(ids), len(ids)):
        verdict = held.get(pk) or EssayVerdict(essay_id=pk)
        share = float(printed.reference_shares[i])
        _fill(verdict, duplicates.get(pk, []), share, samples.get(pk, (None, 0.0, "")), printed.generic[i], now)
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
    "label", "duplicates", "reference_share", "sample", "sample_score", "sample_kind", "generic_score",
    "generic_evidence", "computed_at",
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


def _plan_findings(ids, texts, cells, printed: Printed, reference, boilerplate):
    """Essay id → its near-duplicates among IDS, and essay id → (best sample, similarity, kind), as
    `essay_check` finds them: the same proposals (LSH band pairs of the essays, the essays of each
    cell with each other, every sample compared whole), the same exact comparison, the same second
    stage (`scan.confirm`), both ways. CELLS: the cell of each essay.
    """
    keys = band_keys_of(printed.signatures, printed.sizes, Index().params)
    proposed = np.concatenate([candidate_pairs(keys), _cell_pairs(cells)])
    pairs = sorted(set(map(tuple, likely_pairs(printed.signatures, printed.sizes, proposed, ESTIMATED_FROM).tolist())))
    log.info("rescan: %s pairs proposed, %s estimated from %s", len(proposed), len(pairs), ESTIMATED_FROM)
    table = sample_table()
    with_samples = table.likely(printed.whole_signatures, printed.whole_sizes).tolist()
    sample_texts = dict(SampleEssay.objects.filter(pk__in={pk for _, pk in with_samples}).values_list("pk", "text"))
    involved = {(ESSAY, ids[i]): texts[i] for pair in pairs for i in pair}
    involved |= {(ESSAY, ids[i]): texts[i] for i, _ in with_samples}
    involved |= {(SAMPLE, pk): text for pk, text in sample_texts.items()}
    proposals = [((ESSAY, ids[a]), (ESSAY, ids[b])) for a, b in pairs]
    proposals += [((ESSAY, ids[i]), (SAMPLE, pk)) for i, pk in with_samples]
    _, confirmed = confirm_proposals(
        involved,
        proposals,
        reference=reference,
        boilerplate=boilerplate,
        threshold=THRESHOLD,
        copies={key for key in involved if key[0] == ESSAY},
    )
    duplicates: dict[int, dict[tuple, Confirmed]] = {}
    for ((_, a), (doc_type, b)), found in confirmed.items():
        duplicates.setdefault(a, {})[(doc_type, b)] = found
        if doc_type == ESSAY:
            duplicates.setdefault(b, {})[(ESSAY, a)] = found
    listed = {pk: _duplicates_of(findings) for pk, findings in duplicates.items()}
    samples = {pk: best for pk, findings in duplicates.items() if (best := _best_sample(findings))[0] is not None}
    return {pk: found for pk, found in listed.items() if found}, samples


def _cell_pairs(cells: list[int]) -> np.ndarray:
    """The (i, j) pairs, i < j, of essays of one cell, for the cells of at most CELL_WHOLE_MAX essays."""
    by_cell: dict[int, list[int]] = {}
    for i, cell in enumerate(cells):
        by_cell.setdefault(cell, []).append(i)
    found = [np.zeros((0, 2), dtype=np.int64)]
    for members in by_cell.values():
        if 1 < len(members) <= CELL_WHOLE_MAX:
            rows = np.array(members, dtype=np.int64)
            first, second = np.triu_indices(len(rows), 1)
            found.append(np.stack([rows[first], rows[second]], axis=1))
    return np.concatenate(found)


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
    job_enqueue(job, rescan_plan_task, plan.pk, job.pk)
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


@rerun_safe  # the index and every verdict recomputed from the essays, each written in one transaction
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
