"""Every near-duplicate pair in a set of texts: what `originality_scan` prints.

Candidates come from an in-memory LSH index with 64 bands of 2 rows (pairs with Jaccard 0.2 are
candidates 93% of the time: a shortened copy has a low Jaccard but a high containment); every
candidate pair is then checked exactly on the shingle sets, boilerplate aside.

Boilerplate is the reference texts' shingles plus, from the texts themselves, the shingles found in
more than MAX_DF *unrelated* texts, that is in more than MAX_DF clusters of near-duplicates (a text
paired with nothing is a cluster of its own). Headings that honest essays quote and stock phrases
are found in many unrelated texts; the passages of a sample essay that thirty members copied are
found in one cluster only, so a popular sample does not hide its own copies. The pairs are found
twice: once to learn the clusters, once with their frequent shingles set aside.

The second stage (`align`) then looks at every pair sharing at least SECOND_STAGE_FROM of the
shorter text's shingles (exactly; proposed by the sketches of all pairs, a folder holding a few
thousand texts at most): their sentences are aligned, the reference texts and the passages found
in more than MAX_DF clusters masked, and a pair whose aligned sentences cover THRESHOLD of one text
(a paraphrase), or a text spliced from several sources covered THRESHOLD by them together, is
reported too. Every pair says what kind of copying it is (`align.KINDS`).
"""

import os
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from . import align
from .bulk import likely_pairs, map_in_workers, shingle_arrays
from .cluster import clusters
from .compare import (
    Similarity,
    fingerprint,
    frequent_shingles,
    reference_share,
    reference_shingles,
    similarity,
    similarity_of_arrays,
)
from .index import DEFAULT_THRESHOLD, Index
from .minhash import LshParams, signatures_many, sketch

SCAN_PARAMS = LshParams(bands=64, rows=2)
MAX_DF = 2
#: A text with this share of its shingles taken from the reference texts copies the resolution.
REFERENCE_SHARE = 0.5
#: Pairs sharing at least this share of the shorter text's 8-grams go to the second stage: a
#: paraphrase keeps about a third of its source's, two honest essays on one directive a tenth.
SECOND_STAGE_FROM = 0.15
#: The pairs whose sketches estimate at least this much are counted exactly. Paraphrases share
#: 0.24 or more (median 0.35), estimated within ±0.05 most of the time; unrelated essays on one
#: subject share about 0.05, and the noise of the estimate lifts a few percent of them to 0.1.
ESTIMATED_FROM = 0.12


@dataclass(frozen=True, slots=True)
class Pair:
    a: str
    b: str
    similarity: float  # the share of the shorter text found in the other, or aligned with it (see the module)
    jaccard: float
    kind: str = "verbatim"  # the kind of copying (align.KINDS joined by "_"), as `align.classify` names it


def _no_progress(items: Iterable, _label: str) -> Iterable:
    return items


def scan(
    texts: dict[str, str],
    *,
    references: Iterable[str] = (),
    threshold: float = DEFAULT_THRESHOLD,
    max_df: int = MAX_DF,
    progress: Callable[[Iterable, str], Iterable] = _no_progress,
) -> list[Pair]:
    """The pairs of TEXTS (name → text) at or above THRESHOLD, most similar first, a < b in each.

    PROGRESS wraps each long loop (with a Vietnamese label), e.g. in a progress bar.
    """
    reference = reference_shingles(references)
    sets = {name: fingerprint(text).shingles(reference) for name, text in progress(texts.items(), "Lấy dấu vân tay")}
    first, _ = _first_stage(sets, threshold, max_df, progress)
    found = _related(sets, SECOND_STAGE_FROM) | {(p.a, p.b): Similarity(p.jaccard, p.similarity, 0) for p in first}
    related = {pair: score.containment for pair, score in found.items()}
    sure = {(p.a, p.b): p.similarity for p in first}
    # Aligned once with the references as boilerplate to learn the families of copies (a text and
    # those that copy most of it, whatever the disguise), then again with the passages found in
    # more than MAX_DF families as boilerplate too: stock phrases, and quotations of a directive
    # given to nobody as a reference.
    _, partners = _alignments(texts, related, align.boilerplate_of(references), progress)
    family = [*sure, *((a, b) for a, b in related if partners[a][b].score >= threshold)]
    groups = _clusters(sets, family)
    corpus = ["\n".join(texts[name] for name in group) for group in groups]
    boilerplate = align.boilerplate_of(references, corpus=corpus, min_texts=max_df + 1)
    confirmed = confirm(texts, related, boilerplate=boilerplate, sure=sure, threshold=threshold, progress=progress)
    pairs = [Pair(a, b, c.similarity, found[a, b].jaccard, c.kind) for (a, b), c in confirmed.items()]
    return sorted(pairs, key=lambda p: (-p.similarity, p.a, p.b))


@dataclass(frozen=True, slots=True)
class Confirmed:
    """A pair the second stage confirms: how much is copied (see the module), and how."""

    similarity: float
    kind: str
    #: The share of each text of the pair (a, b) covered by the sentences the two have aligned.
    covered: tuple[float, float] = (0.0, 0.0)

    def joined(self, other: "Confirmed") -> "Confirmed":
        """The pair as found here and as OTHER (from the other side): the larger similarity, and
        the kind as `confirm` joins the two sides."""
        return Confirmed(max(self.similarity, other.similarity), _joined_kind(self.kind, other.kind), self.covered)


def confirm(
    texts: Mapping[Hashable, str],
    related: Mapping[tuple[Hashable, Hashable], float],
    *,
    boilerplate: align.Boilerplate = align.NO_BOILERPLATE,
    sure: Mapping[tuple[Hashable, Hashable], float] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    copies: Collection[Hashable] | None = None,
    progress: Callable[[Iterable, str], Iterable] = _no_progress,
) -> dict[tuple[Hashable, Hashable], Confirmed]:
    """The RELATED pairs of TEXTS (pair → exact containment) that are copies, with their similarity and kind.

    A pair is a copy when it is SURE (pair → its first-stage similarity: kept whatever the
    alignment), or when the sentence alignment, seen from either text with all its related texts
    (`align.sources_of`: a text spliced from several), finds at least THRESHOLD copied. COPIES: the
    texts whose side counts (default all; a library sample is not spliced from the essays that copy it).
    """
    sure = sure or {}
    prepared, partners = _alignments(texts, related, boilerplate, progress)
    kinds = {}

    def kind_between(a, b) -> str:
        """The kind of copying between A and B (`align.classify` is symmetric: computed once a pair)."""
        if (b, a) in kinds:
            return kinds[b, a]
        if (a, b) not in kinds:
            kinds[a, b] = align.classify(texts[a], texts[b], partners[a][b])
        return kinds[a, b]

    found = {
        name: align.sources_of(
            prepared[name],
            {other: texts[other] for other in others},
            others,
            lambda other, name=name: kind_between(name, other),
        ).found
        for name, others in partners.items()
        if copies is None or name in copies
    }
    confirmed = {}
    for a, b in related:
        seen = [finding for finding in (found.get(a, {}).get(b), found.get(b, {}).get(a)) if finding is not None]
        best = max([finding.similarity for finding in seen], default=0.0)
        covered = (partners[a][b].score_a, partners[a][b].score_b)
        if (a, b) in sure:
            kind = _joined_kind(*(finding.kind for finding in seen)) or kind_between(a, b)
            confirmed[a, b] = Confirmed(max(sure[a, b], best), kind, covered)
        elif seen and best >= threshold:
            confirmed[a, b] = Confirmed(best, _joined_kind(*(finding.kind for finding in seen)), covered)
    return confirmed


def scan_sets(
    sets: dict[str, set[int]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    max_df: int = MAX_DF,
    progress: Callable[[Iterable, str], Iterable] = _no_progress,
) -> list[Pair]:
    """The first stage alone on the shingle sets of the texts (reference shingles already left out)."""
    return _first_stage(sets, threshold, max_df, progress)[0]


def _first_stage(sets: dict[str, set[int]], threshold: float, max_df: int, progress):
    """The pairs of the two passes, and the sets without the shingles frequent in the clusters of the first."""
    pairs = _pairs(sets, threshold, progress(sorted(sets), "So khớp (lượt 1/2)"))
    groups = _clusters(sets, ((p.a, p.b) for p in pairs))
    frequent = frequent_shingles([set().union(*(sets[name] for name in group)) for group in groups], max_df)
    sets = {name: shingles - frequent for name, shingles in sets.items()}
    return _pairs(sets, threshold, progress(sorted(sets), "So khớp (lượt 2/2)")), sets


#: Below this many proposed pairs, `confirm_proposals` works here rather than in worker processes.
PARALLEL_PAIRS = 2000


def confirm_proposals(
    texts: Mapping[Hashable, str],
    proposals: Iterable[tuple[Hashable, Hashable]],
    *,
    reference: frozenset[int] = frozenset(),
    boilerplate: align.Boilerplate = align.NO_BOILERPLATE,
    threshold: float = DEFAULT_THRESHOLD,
    copies: Collection[Hashable] | None = None,
) -> tuple[dict, dict]:
    """Of the PROPOSALS (pairs of keys of TEXTS), those sharing SECOND_STAGE_FROM exactly (REFERENCE's
    shingles left out), and those `confirm` confirms (with the sure ones at THRESHOLD): (related
    pair → containment, confirmed pair → `Confirmed`).

    The proposals fall apart into groups of texts linked by them, which are independent: with
    PARALLEL_PAIRS proposals or more, the groups are shared out to one worker process per core.
    """
    proposals = list(proposals)
    groups = clusters(proposals)
    chunks = [([], []) for _ in range(max(1, min(len(groups), 2 * (os.cpu_count() or 1))))]
    for group in sorted(groups, key=len, reverse=True):
        keys, _ = min(chunks, key=lambda chunk: len(chunk[0]))  # the lightest chunk takes the next group
        keys.extend(group)
    chunk_of = {key: i for i, (keys, _) in enumerate(chunks) for key in keys}
    for pair in proposals:
        chunks[chunk_of[pair[0]]][1].append(pair)
    tasks = [
        ({key: texts[key] for key in keys}, pairs, reference, boilerplate, threshold, copies)
        for keys, pairs in chunks
        if pairs
    ]
    work = map_in_workers if len(proposals) >= PARALLEL_PAIRS else lambda function, items: list(map(function, items))
    related, confirmed = {}, {}
    for found_related, found_confirmed in work(_confirm_chunk, tasks):
        related |= found_related
        confirmed |= found_confirmed
    return related, confirmed


def _confirm_chunk(task) -> tuple[dict, dict]:
    """`confirm_proposals` on one share of the groups (in a worker process, or here)."""
    texts, proposals, reference, boilerplate, threshold, copies = task
    shingles = dict(zip(texts, shingle_arrays(list(texts.values()), reference), strict=True))
    related = {}
    for a, b in proposals:
        share = similarity_of_arrays(shingles[a], shingles[b]).containment
        if share >= SECOND_STAGE_FROM:
            related[a, b] = share
    involved = {key: texts[key] for pair in related for key in pair}
    sure = {pair: share for pair, share in related.items() if share >= threshold}
    copies = None if copies is None else set(copies) & involved.keys()
    return related, confirm(involved, related, boilerplate=boilerplate, sure=sure, threshold=threshold, copies=copies)


def _alignments(texts, related, boilerplate, progress):
    """For the RELATED pairs: name → the text prepared, and name → other name → the alignment of the
    two (name on side A)."""
    names = sorted({name for pair in related for name in pair})
    prepared = {name: align.prepare(texts[name], boilerplate) for name in progress(names, "Đối chiếu câu")}
    partners: dict[str, dict[str, align.Alignment]] = {name: {} for name in names}
    for a, b in related:
        alignment = align.align(prepared[a], prepared[b])
        partners[a][b], partners[b][a] = alignment, alignment.reversed()
    return prepared, partners


def _joined_kind(*kinds: str) -> str:
    """The kind of copying of a pair seen from each side: spliced if either side is, else the first side's."""
    return "spliced" if "spliced" in kinds else (kinds[0] if kinds else "")


def _related(sets: dict[str, set[int]], minimum: float) -> dict[tuple[str, str], object]:
    """(a, b) → exact similarity, a < b, of every pair of SETS sharing at least MINIMUM of the shorter one.

    The sketches of every pair estimate first (ESTIMATED_FROM); only those are counted exactly.
    """
    names = sorted(name for name, shingles in sets.items() if shingles)
    if len(names) < 2:
        return {}
    arrays = [np.fromiter(sets[name], np.uint64, len(sets[name])) for name in names]
    offsets = np.concatenate([[0], np.cumsum([len(array) for array in arrays])])
    signatures, sizes = signatures_many(np.concatenate(arrays), offsets)
    everything = np.stack(np.triu_indices(len(names), 1), axis=1).astype(np.int64)
    found = {}
    for i, j in likely_pairs(signatures, sizes, everything, ESTIMATED_FROM).tolist():
        score = similarity(sets[names[i]], sets[names[j]])
        if score.containment >= minimum:
            found[names[i], names[j]] = score
    return found


def _pairs(sets: dict[str, set[int]], threshold: float, names: Iterable[str]) -> list[Pair]:
    """Index the sets one by one, checking each against those already indexed."""
    index = Index(SCAN_PARAMS)
    pairs = []
    for name in names:
        found = sketch(sets[name])
        if found is None:
            continue
        for other in index.candidates(found):
            score = similarity(sets[name], sets[other])
            if score.containment >= threshold:
                a, b = sorted((name, other))
                pairs.append(Pair(a, b, score.containment, score.jaccard))
        index.add(name, found)
    return sorted(pairs, key=lambda p: (-p.similarity, p.a, p.b))


def _clusters(sets: dict[str, set[int]], pairs: Iterable[tuple[str, str]]) -> list[list[str]]:
    """The clusters of the PAIRS graph (lists of names); an unpaired text is a cluster of its own."""
    groups = clusters(pairs)
    grouped = {name for group in groups for name in group}
    return groups + [[name] for name in sorted(sets) if name not in grouped]


def reference_copies(texts: dict[str, str], references: Iterable[str], minimum: float = REFERENCE_SHARE):
    """(name, share) of the TEXTS that take at least MINIMUM of their shingles from the REFERENCES, most first."""
    reference = reference_shingles(references)
    shares = ((name, reference_share(fingerprint(text), reference)) for name, text in texts.items())
    return sorted(((name, share) for name, share in shares if share >= minimum), key=lambda item: (-item[1], item[0]))
