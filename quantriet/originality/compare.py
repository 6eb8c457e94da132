"""Fingerprints of texts, boilerplate suppression and exact similarity (the aligned passages: `align`).

Boilerplate is a set of shingle hashes ignored for pairing: the shingles of the reference texts
(the resolution being studied, whose headings every honest essay may quote) and, across a
corpus, the shingles found in very many documents. An essay that copies the resolution itself is
caught by `reference_share`, not by pairing.
"""

import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from .minhash import Sketch, sketch
from .normalize import batch_symbols, symbols
from .shingles import CHAR_SHINGLE_SIZE, char_shingle_hashes

#: Fewer shared shingles than this never make a pair, however short the texts (about one sentence).
MIN_SHARED = 50


@dataclass(frozen=True, slots=True, eq=False)
class Fingerprint:
    """A text (NFC), the hash of the shingle starting at each symbol of its matching stream, and how it was made."""

    text: str
    hashes: np.ndarray  # uint64
    k: int = CHAR_SHINGLE_SIZE
    options: dict = field(default_factory=dict)

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


#: Pairs compared per round by `reference_shares`: bounds the shingle sets held at once.
SHARE_BATCH = 20_000


def reference_shares(pairs: list[tuple[str, str]]) -> list[float]:
    """`reference_share(fingerprint(text), reference_shingles([reference]))` of each (text, reference)
    of PAIRS. The texts of a round are coded and shingled together (`normalize.batch_symbols`): a few
    array operations per round instead of a few per text. The fidelity refresh compares each unit's
    local section with the one above it, a quarter of a million times at national scale; pairs
    sharing a reference should come together (siblings), so that a round codes it once."""
    shares = []
    for start in range(0, len(pairs), SHARE_BATCH):
        batch = pairs[start : start + SHARE_BATCH]
        shingles = _shingle_sets(list(dict.fromkeys(text for pair in batch for text in pair)))
        shares += [len(shingles[text] & shingles[reference]) / len(shingles[text]) if shingles[text] else 0.0
                   for text, reference in batch]  # fmt: skip
    return shares


def _shingle_sets(texts: list[str]) -> dict[str, set[int]]:
    codes, offsets = batch_symbols(texts)
    hashes, bounds = char_shingle_hashes(codes, CHAR_SHINGLE_SIZE, offsets)
    return {text: set(hashes[bounds[i] : bounds[i + 1]].tolist()) for i, text in enumerate(texts)}


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
    return _similarity(len(a & b), len(a), len(b))


def similarity_of_arrays(a: np.ndarray, b: np.ndarray) -> Similarity:
    """`similarity` of two sets given as sorted arrays of distinct shingles (`bulk.shingle_arrays`)."""
    return _similarity(len(np.intersect1d(a, b, assume_unique=True)), len(a), len(b))


def _similarity(shared: int, size_a: int, size_b: int) -> Similarity:
    if shared < MIN_SHARED:
        return Similarity(0.0, 0.0, shared)
    return Similarity(shared / (size_a + size_b - shared), shared / min(size_a, size_b), shared)
