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
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .cluster import clusters
from .compare import fingerprint, frequent_shingles, reference_share, reference_shingles, similarity
from .index import DEFAULT_THRESHOLD, Index
from .minhash import LshParams, sketch

SCAN_PARAMS = LshParams(bands=64, rows=2)
MAX_DF = 2
#: A text with this share of its shingles taken from the reference texts copies the resolution.
REFERENCE_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Pair:
    a: str
    b: str
    similarity: float  # containment: the share of the shorter text found in the other
    jaccard: float


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
    return scan_sets(sets, threshold=threshold, max_df=max_df, progress=progress)


def scan_sets(
    sets: dict[str, set[int]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    max_df: int = MAX_DF,
    progress: Callable[[Iterable, str], Iterable] = _no_progress,
) -> list[Pair]:
    """`scan` on the shingle sets of the texts (reference shingles already left out): the two passes."""
    pairs = _pairs(sets, threshold, progress(sorted(sets), "So khớp (lượt 1/2)"))
    frequent = frequent_shingles(_cluster_sets(sets, pairs), max_df)
    sets = {name: shingles - frequent for name, shingles in sets.items()}
    return _pairs(sets, threshold, progress(sorted(sets), "So khớp (lượt 2/2)"))


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


def _cluster_sets(sets: dict[str, set[int]], pairs: list[Pair]) -> list[set[int]]:
    """The shingles of each cluster of near-duplicates; an unpaired text is a cluster of its own."""
    groups = clusters((p.a, p.b) for p in pairs)
    grouped = {name for group in groups for name in group}
    merged = [set().union(*(sets[name] for name in group)) for group in groups]
    return merged + [shingles for name, shingles in sets.items() if name not in grouped]


def reference_copies(texts: dict[str, str], references: Iterable[str], minimum: float = REFERENCE_SHARE):
    """(name, share) of the TEXTS that take at least MINIMUM of their shingles from the REFERENCES, most first."""
    reference = reference_shingles(references)
    shares = ((name, reference_share(fingerprint(text), reference)) for name, text in texts.items())
    return sorted(((name, share) for name, share in shares if share >= minimum), key=lambda item: (-item[1], item[0]))
