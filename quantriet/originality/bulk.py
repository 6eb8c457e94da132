"""Many texts at once, for a rescan or a load: sketches on every core, then the near pairs among them.

- `print_many`: each text's sketch with the boilerplate left out, its whole sketch (what a sample
  library is asked with), its share of reference shingles and its generic report. The texts go
  to worker processes in chunks of CHUNK (each chunk normalised, shingled and sketched as a few
  array operations, see `normalize.batch_symbols`); below PARALLEL_FROM texts, or with
  processes=1, it all runs here (starting a worker costs about a third of a second).
- `candidate_pairs`: the pairs of texts sharing a band key, found by sorting each band's keys:
  the same pairs an LSH index would propose, without building one.
- `likely_pairs`: the candidates whose estimated containment (from the two sketches) reaches a
  minimum (`scan.ESTIMATED_FROM`). Only these are compared exactly (`compare.similarity` on the
  shingle sets), on submit as in a rescan; `likely_across` does the same for every row of one
  set of sketches against every row of another (the sample library against a plan's essays).

Workers are started with "spawn": they import this library only (no Django, no database
connection inherited from the parent).
"""

import multiprocessing
import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .generic import GenericReport, generic_report
from .minhash import NUM_PERM, LshParams, Sketch, signatures_many
from .normalize import batch_symbols
from .shingles import CHAR_SHINGLE_SIZE, char_shingle_hashes

CHUNK = 200
PARALLEL_FROM = 2000
_PAIR_BLOCK = 100_000  # pairs compared per round of `likely_pairs` (memory: 128 bytes each)


@dataclass(frozen=True, slots=True)
class Printed:
    """What `print_many` found for N texts, as arrays (row i is text i)."""

    signatures: np.ndarray  # N × NUM_PERM uint32, the boilerplate left out (zeros: no shingle left)
    sizes: np.ndarray  # N, distinct shingles left (0: no sketch)
    whole_signatures: np.ndarray
    whole_sizes: np.ndarray
    reference_shares: np.ndarray  # N float
    generic: list[GenericReport]

    def __len__(self):
        return len(self.sizes)

    def sketch(self, i: int) -> Sketch | None:
        return Sketch(self.signatures[i], int(self.sizes[i])) if self.sizes[i] else None

    def whole(self, i: int) -> Sketch | None:
        return Sketch(self.whole_signatures[i], int(self.whole_sizes[i])) if self.whole_sizes[i] else None


def print_chunks(texts: Sequence[str], reference: frozenset[int] = frozenset(), processes: int | None = None):
    """`Printed` for each chunk of CHUNK TEXTS in order, as the workers finish them (REFERENCE: the boilerplate).

    PROCESSES defaults to every core. The caller can store a chunk while the workers sketch the next.
    """
    reference_array = np.array(sorted(reference), dtype=np.uint64)
    chunks = [texts[start : start + CHUNK] for start in range(0, len(texts), CHUNK)]
    processes = processes or os.cpu_count() or 1
    if processes == 1 or len(texts) < PARALLEL_FROM:
        for chunk in chunks:
            yield Printed(*_print_chunk(chunk, reference_array))
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes, initializer=_start_worker, initargs=(reference_array,)) as pool:
        for part in pool.imap(_print_chunk_in_worker, chunks):
            yield Printed(*part)


def print_many(texts: Sequence[str], reference: frozenset[int] = frozenset(), processes: int | None = None) -> Printed:
    """`Printed` for all TEXTS at once (see `print_chunks`)."""
    return joined(list(print_chunks(texts, reference, processes)))


def joined(parts: list[Printed]) -> Printed:
    """One `Printed` of PARTS end to end."""
    if not parts:
        empty = np.zeros((0, NUM_PERM), dtype=np.uint32)
        return Printed(empty, np.zeros(0, np.int64), empty, np.zeros(0, np.int64), np.zeros(0), [])
    names = ("signatures", "sizes", "whole_signatures", "whole_sizes", "reference_shares")
    arrays = [np.concatenate([getattr(part, name) for part in parts]) for name in names]
    return Printed(*arrays, [report for part in parts for report in part.generic])


_worker_reference: np.ndarray | None = None


def _start_worker(reference_array: np.ndarray):
    global _worker_reference  # noqa: PLW0603 (one per worker process, set once when it starts)
    _worker_reference = reference_array


def _print_chunk_in_worker(texts):
    return _print_chunk(texts, _worker_reference)


def sketch_texts(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The signatures (texts × NUM_PERM) and sizes of TEXTS, raw text to sketch in a few array operations."""
    hashes, offsets = _hashes(texts)
    return signatures_many(hashes, offsets)


def map_in_workers(function, chunks: list, processes: int | None = None) -> list:
    """FUNCTION (a module-level function of this package) over CHUNKS, on every core, results in order.

    Workers are spawned (no database connection inherited); with one core, or one chunk, it all runs here.
    """
    processes = min(processes or os.cpu_count() or 1, len(chunks))
    if processes <= 1:
        return [function(chunk) for chunk in chunks]
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        return pool.map(function, chunks)


def shingle_arrays(texts: Sequence[str], reference: frozenset[int] = frozenset()) -> list[np.ndarray]:
    """The shingle set of each of TEXTS, REFERENCE's left out, as a sorted array of distinct hashes.

    The texts are shingled by chunks of CHUNK in a few array operations (as `print_chunks` does),
    for exact comparisons of many pairs (`compare.similarity_of_arrays`).
    """
    reference_array = np.array(sorted(reference), dtype=np.uint64)
    found = []
    for start in range(0, len(texts), CHUNK):
        hashes, offsets = _hashes(texts[start : start + CHUNK])
        for i in range(len(offsets) - 1):
            shingles = np.unique(hashes[offsets[i] : offsets[i + 1]])
            found.append(shingles[~np.isin(shingles, reference_array, assume_unique=True)])
    return found


def _hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    symbols, offsets = batch_symbols(list(texts))
    return char_shingle_hashes(symbols, CHAR_SHINGLE_SIZE, offsets)


def _print_chunk(texts: Sequence[str], reference: np.ndarray):
    """The columns of `Printed` for one chunk of TEXTS (REFERENCE: sorted uint64).

    Sizes count distinct shingles as the sketches do (by their top 39 bits), and so does the
    reference share: (shingles - those left once the reference's are set aside) / shingles.
    """
    hashes, offsets = _hashes(texts)
    whole_signatures, whole_sizes = signatures_many(hashes, offsets)
    if len(reference):
        found = np.minimum(np.searchsorted(reference, hashes), len(reference) - 1)
        kept = reference[found] != hashes
        text_of = np.repeat(np.arange(len(texts)), np.diff(offsets))
        kept_offsets = np.zeros(len(offsets), dtype=np.int64)
        np.cumsum(np.bincount(text_of[kept], minlength=len(texts)), out=kept_offsets[1:])
        signatures, sizes = signatures_many(hashes[kept], kept_offsets)
    else:
        signatures, sizes = whole_signatures, whole_sizes
    shares = (whole_sizes - sizes) / np.maximum(whole_sizes, 1)
    return signatures, sizes, whole_signatures, whole_sizes, shares, [generic_report(text) for text in texts]


def candidate_pairs(band_keys: np.ndarray) -> np.ndarray:
    """The (i, j) pairs, i < j, of rows of BAND_KEYS (texts × bands) equal in at least one band; M × 2."""
    found = [np.zeros((0, 2), dtype=np.int64)]
    for band in range(band_keys.shape[1]):
        order = np.argsort(band_keys[:, band], kind="stable")
        keys = band_keys[order, band]
        gap = 1  # sorted: keys `gap` apart are equal only inside one run of equal keys
        while gap < len(keys) and len(same := np.flatnonzero(keys[gap:] == keys[:-gap])):
            found.append(np.stack([order[same], order[same + gap]], axis=1))
            gap += 1
    return np.unique(np.sort(np.concatenate(found), axis=1), axis=0)


def likely_pairs(signatures: np.ndarray, sizes: np.ndarray, pairs: np.ndarray, minimum: float):
    """The PAIRS whose containment estimated from the sketches (as `Sketch.containment`) reaches MINIMUM."""
    keep = np.zeros(len(pairs), dtype=bool)
    for start in range(0, len(pairs), _PAIR_BLOCK):
        a, b = pairs[start : start + _PAIR_BLOCK].T
        jaccard = (signatures[a] == signatures[b]).sum(axis=1) / NUM_PERM
        keep[start : start + len(a)] = _estimate(jaccard, sizes[a], sizes[b]) >= minimum
    return pairs[keep]


def likely_across(
    signatures: np.ndarray, sizes: np.ndarray, others: np.ndarray, other_sizes: np.ndarray, minimum: float
):
    """The (i, j) of every row i of SIGNATURES and row j of OTHERS whose estimated containment reaches MINIMUM.

    Every row against every other one (a sample library against a plan's essays), in blocks of
    _PAIR_BLOCK comparisons of two sketches; rows of size 0 (no sketch) match nothing.
    """
    found = [np.zeros((0, 2), dtype=np.int64)]
    if not len(others):
        return found[0]
    block = max(1, _PAIR_BLOCK // len(others))
    for start in range(0, len(signatures), block):
        part = signatures[start : start + block]
        jaccard = (part[:, None, :] == others[None, :, :]).sum(axis=2) / NUM_PERM
        estimate = _estimate(jaccard, sizes[start : start + block, None], other_sizes[None, :])
        rows, columns = np.nonzero(estimate >= minimum)
        found.append(np.stack([rows + start, columns], axis=1))
    return np.concatenate(found)


def _estimate(jaccard: np.ndarray, size_a: np.ndarray, size_b: np.ndarray) -> np.ndarray:
    """The containment (share of the smaller set in the other) a Jaccard estimate means for sets of these sizes."""
    shared = jaccard * (size_a + size_b) / (1 + jaccard)
    smaller = np.minimum(size_a, size_b)
    return np.where(smaller > 0, np.minimum(1.0, shared / np.maximum(smaller, 1)), 0.0)


def band_keys_of(printed_signatures: np.ndarray, sizes: np.ndarray, params: LshParams) -> np.ndarray:
    """The band keys of the rows with a sketch; rows without one get keys no other row has (-1 - row)."""
    keys = params.band_keys_many(printed_signatures)
    missing = np.flatnonzero(sizes == 0)
    keys[missing] = (-1 - missing)[:, None]
    return keys
