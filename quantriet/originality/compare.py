"""Fingerprints of texts, boilerplate suppression, exact similarity and the shared passages.

Boilerplate is a set of shingle hashes ignored for pairing: the shingles of the reference texts
(the resolution being studied, whose headings every honest essay may quote) and, across a
corpus, the shingles found in very many documents. An essay that copies the resolution itself is
caught by `reference_share`, not by pairing.
"""

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from .minhash import Sketch, sketch
from .normalize import Stream, stream, symbols
from .shingles import CHAR_SHINGLE_SIZE, char_shingle_hashes

#: Fewer shared shingles than this never make a pair, however short the texts (about one sentence).
MIN_SHARED = 50
#: Shared runs at most this many shingles apart (two or three reworded words) join into one passage.
PASSAGE_GAP = 36
#: Shorter runs of shared shingles (under a dozen letters: "đồng chí d") are chance, and are not
#: aligned: one would break the chain of a reworded sentence's runs.
MIN_RUN = 4
#: Shorter passages (after joining) are coincidences of wording, not copying (with the K - 1
#: symbols of the last shingle, about five syllables).
MIN_PASSAGE = 8


@dataclass(frozen=True, slots=True, eq=False)
class Fingerprint:
    """A text (NFC), the hash of the shingle starting at each symbol of its matching stream, and how it was made."""

    text: str
    hashes: np.ndarray  # uint64
    k: int = CHAR_SHINGLE_SIZE
    options: dict = field(default_factory=dict)

    def stream(self) -> Stream:
        """The matching symbols with their character spans (computed again: only passages need them)."""
        return stream(self.text, **self.options)

    def shingles(self, boilerplate: frozenset[int] = frozenset()) -> set[int]:
        return set(self.hashes.tolist()).difference(boilerplate)

    def sketch(self, boilerplate: frozenset[int] = frozenset()) -> Sketch | None:
        return sketch(self.shingles(boilerplate)) if boilerplate else sketch(self.hashes)


def fingerprint(text: str, *, k: int = CHAR_SHINGLE_SIZE, **options) -> Fingerprint:
    """TEXT as its matching stream (OPTIONS go to `normalize.symbols`), shingled."""
    text = unicodedata.normalize("NFC", text or "")
    return Fingerprint(text, char_shingle_hashes(symbols(text, **options), k), k, options)


def reference_shingles(texts: Iterable[str], **options) -> frozenset[int]:
    """The shingles of the reference TEXTS (the resolution itself): boilerplate for pairing."""
    found = set()
    for text in texts:
        found.update(fingerprint(text, **options).hashes.tolist())
    return frozenset(found)


def frequent_shingles(shingle_sets: Iterable[set[int]], max_documents: int) -> set[int]:
    """The shingles found in more than MAX_DOCUMENTS of the sets."""
    counts = Counter()
    for shingles in shingle_sets:
        counts.update(shingles)
    return {shingle for shingle, count in counts.items() if count > max_documents}


def reference_share(fingerprint: Fingerprint, reference: frozenset[int]) -> float:
    """The share of a text's shingles taken from the reference (near 1 for a copied resolution)."""
    shingles = fingerprint.shingles()
    return len(shingles & reference) / len(shingles) if shingles else 0.0


@dataclass(frozen=True, slots=True)
class Similarity:
    jaccard: float
    #: The share of the smaller set found in the other: 1 for a text copied whole or shortened.
    containment: float
    shared: int


def similarity(a: set[int], b: set[int]) -> Similarity:
    """Exact similarity of two shingle sets; 0 unless they share at least MIN_SHARED shingles."""
    shared = len(a & b)
    if shared < MIN_SHARED:
        return Similarity(0.0, 0.0, shared)
    return Similarity(shared / (len(a) + len(b) - shared), shared / min(len(a), len(b)), shared)


@dataclass(frozen=True, slots=True)
class Passage:
    """A passage found in both texts: its (start, end) character span in each (NFC) text."""

    a: tuple[int, int]
    b: tuple[int, int]


def shared_passages(
    a: Fingerprint, b: Fingerprint, boilerplate: frozenset[int] = frozenset(), gap: int = PASSAGE_GAP
) -> list[Passage]:
    """The passages of A also found in B (boilerplate aside), in A's order, for a side-by-side view.

    Runs of consecutive shared shingles (MIN_RUN or more) are aligned greedily, then runs that follow each other in
    both texts with at most GAP shingles between them are joined, so a reworded sentence shows as
    one passage rather than a string of fragments.
    """
    hashes_a, hashes_b = a.hashes.tolist(), b.hashes.tolist()
    shared = set(hashes_a).intersection(hashes_b).difference(boilerplate)
    runs = _merge([run for run in _aligned_runs(hashes_a, hashes_b, shared) if run[1] - run[0] >= MIN_RUN], gap)
    stream_a, stream_b = a.stream(), b.stream()
    return [
        Passage(_span(stream_a, a.k, start_a, end_a), _span(stream_b, b.k, start_b, end_b))
        for start_a, end_a, start_b, end_b in runs
        if end_a - start_a >= MIN_PASSAGE
    ]


def _aligned_runs(a: list[int], b: list[int], shared: set[int]) -> list[list[int]]:
    """Maximal runs [start_a, end_a, start_b, end_b) (shingle positions) equal in A and B, greedily, in A's order."""
    positions = defaultdict(list)
    for j, value in enumerate(b):
        if value in shared:
            positions[value].append(j)
    runs, i = [], 0
    while i < len(a):
        if a[i] not in shared:
            i += 1
            continue
        length, j = max((_run_length(a, b, i, j), j) for j in positions[a[i]])
        runs.append([i, i + length, j, j + length])
        i += length
    return runs


def _run_length(a: list[int], b: list[int], i: int, j: int) -> int:
    length = 0
    while i + length < len(a) and j + length < len(b) and a[i + length] == b[j + length]:
        length += 1
    return length


def _merge(runs: list[list[int]], gap: int) -> list[list[int]]:
    merged = []
    for run in runs:
        last = merged[-1] if merged else None
        if last and run[0] - last[1] <= gap and 0 <= run[2] - last[3] <= gap:
            last[1], last[3] = run[1], run[3]
        else:
            merged.append(run)
    return merged


def _span(found: Stream, k: int, start: int, end: int) -> tuple[int, int]:
    """The character span of the symbols covered by the K-symbol shingles START..END-1."""
    return int(found.starts[start]), int(found.ends[end - 1 + k - 1])
