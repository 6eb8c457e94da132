"""128-slot MinHash sketches by one-permutation hashing, and LSH band keys, as array operations.

Classic MinHash hashes every shingle 128 times (128 universal hash functions). One-permutation
hashing (Li, Owen and Zhang, 2012) hashes each shingle once: the shingle hash (a well-mixed 64-bit
value, see `shingles`) is the random permutation; its top 7 bits choose one of 128 slots and its
next 32 bits are the value, and each slot keeps its smallest value. A slot no shingle fell into
borrows the value of the first filled slot in a fixed pseudo-random probe order of its own
(optimal densification, Shrivastava 2017), so for every slot P[equal values] = Jaccard, as with
128 independent permutations. A sketch is 128 unsigned 32-bit values (512 bytes) and the number
of shingles, which turns the Jaccard estimate into a containment estimate.

Many texts are sketched at once (`sketch_many`): the top 39 bits of every shingle hash, prefixed
with its text's number, are sorted in one go; the first value of each (text, slot) run is that
slot's minimum, found by binary search, and the count of distinct values is the text's size.

LSH: the signature is cut into BANDS bands of ROWS slots; each band's values are hashed (with the
band number) to a 60-bit key. Two texts become candidates when any band key is equal, which
happens with probability 1 - (1 - J**ROWS)**BANDS.
"""

import hashlib
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from .shingles import mix

NUM_PERM = 128
_SLOT_BITS = 7  # 2**7 == NUM_PERM
_VALUE_BITS = 32
_KEPT_BITS = _SLOT_BITS + _VALUE_BITS  # of each 64-bit shingle hash, the top 39 bits matter
_DROPPED = np.uint64(64 - _KEPT_BITS)
_VALUE_MASK = np.uint64(2**_VALUE_BITS - 1)


def _probe_order(slot: int) -> list[int]:
    """The other slots in the fixed pseudo-random order an empty SLOT borrows from (stable everywhere)."""
    others = [other for other in range(NUM_PERM) if other != slot]
    return sorted(others, key=lambda other: hashlib.blake2b(bytes([slot, other]), digest_size=8).digest())


_PROBES = np.array([_probe_order(slot) for slot in range(NUM_PERM)], dtype=np.intp)


class Sketch:
    """A text's signature (NUM_PERM unsigned 32-bit values) and its number of distinct shingles."""

    __slots__ = ("signature", "size")

    def __init__(self, signature: np.ndarray, size: int):
        self.signature = signature
        self.size = size

    def __eq__(self, other):
        return isinstance(other, Sketch) and self.size == other.size and np.array_equal(self.signature, other.signature)

    __hash__ = None

    def __repr__(self):
        return f"Sketch(size={self.size})"

    def jaccard(self, other: "Sketch") -> float:
        """Estimated Jaccard similarity: the share of equal slots."""
        return int(np.count_nonzero(self.signature == other.signature)) / NUM_PERM

    def containment(self, other: "Sketch") -> float:
        """Estimated share of the smaller shingle set found in the other (1 for a text copied whole)."""
        return _containment(self.jaccard(other), self.size, other.size)

    def to_bytes(self) -> bytes:
        return self.signature.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, size: int) -> "Sketch":
        return cls(np.frombuffer(data, dtype="<u4").astype(np.uint32), size)


def _containment(jaccard: float, size_a: int, size_b: int) -> float:
    shared = jaccard * (size_a + size_b) / (1 + jaccard)
    return min(1.0, shared / min(size_a, size_b))


def sketch(shingles: Collection[int] | np.ndarray) -> Sketch | None:
    """The sketch of a set (or array) of 64-bit shingle hashes; None for an empty one."""
    hashes = shingles if isinstance(shingles, np.ndarray) else np.fromiter(shingles, np.uint64, len(shingles))
    [found] = sketch_many(hashes, np.array([0, len(hashes)]))
    return found


def sketch_many(hashes: np.ndarray, offsets: np.ndarray) -> list[Sketch | None]:
    """The sketch of each text whose shingle hashes are HASHES[offsets[i] : offsets[i + 1]] (None if it has none)."""
    signatures, sizes = signatures_many(hashes, offsets)
    return [Sketch(row, int(size)) if size else None for row, size in zip(signatures, sizes.tolist(), strict=True)]


def signatures_many(hashes: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The signatures (texts × NUM_PERM uint32) and sizes of the texts of `sketch_many` (a row of zeros: no shingle)."""
    texts = len(offsets) - 1
    text_of = np.repeat(np.arange(texts, dtype=np.uint64), np.diff(offsets))
    keys = (text_of << np.uint64(_KEPT_BITS)) | (hashes >> _DROPPED)
    keys.sort()
    distinct = np.ones(len(keys), dtype=bool)
    np.not_equal(keys[1:], keys[:-1], out=distinct[1:])
    sizes = np.bincount((keys[distinct] >> np.uint64(_KEPT_BITS)).astype(np.intp), minlength=texts)
    prefixes = keys >> np.uint64(_VALUE_BITS)  # text and slot
    wanted = np.arange(texts * NUM_PERM, dtype=np.uint64)
    first = np.minimum(np.searchsorted(prefixes, wanted), max(len(keys) - 1, 0))
    if not len(keys):
        return np.zeros((texts, NUM_PERM), dtype=np.uint32), sizes
    filled = (prefixes[first] == wanted).reshape(texts, NUM_PERM)
    signatures = (keys[first] & _VALUE_MASK).astype(np.uint32).reshape(texts, NUM_PERM)
    for row in np.flatnonzero(~filled.all(axis=1) & (sizes > 0)):
        _densify(signatures[row], filled[row])
    signatures[sizes == 0] = 0
    return signatures, sizes


def _densify(signature: np.ndarray, filled: np.ndarray):
    """Give each empty slot of SIGNATURE (in place) the value of the first filled slot in its probe order."""
    empty = np.flatnonzero(~filled)
    probes = _PROBES[empty]
    donors = probes[np.arange(len(empty)), np.argmax(filled[probes], axis=1)]
    signature[empty] = signature[donors]


@dataclass(frozen=True, slots=True)
class LshParams:
    """BANDS bands of ROWS slots each; 42 × 3 makes pairs with Jaccard ≥ 0.4 candidates 94% of the time."""

    bands: int = 42
    rows: int = 3

    def __post_init__(self):
        if self.bands < 1 or self.rows < 1 or self.bands * self.rows > NUM_PERM:
            raise ValueError(f"bands × rows must be between 1 and {NUM_PERM}")

    def band_keys(self, sketch: Sketch) -> list[int]:
        """One 60-bit key per band (the band number is hashed in, so keys of different bands differ)."""
        return self.band_keys_many(sketch.signature[None, :])[0].tolist()

    def band_keys_many(self, signatures: np.ndarray) -> np.ndarray:
        """The band keys (texts × BANDS, int64) of SIGNATURES (texts × NUM_PERM)."""
        values = signatures[:, : self.bands * self.rows].reshape(len(signatures), self.bands, self.rows)
        keys = np.broadcast_to(_BAND_SEEDS[: self.bands], values.shape[:2]).copy()
        for row in range(self.rows):
            keys ^= values[:, :, row].astype(np.uint64)
            keys = mix(keys)
        return (keys >> np.uint64(4)).astype(np.int64)

    def probability(self, jaccard: float) -> float:
        """The chance that two texts with this Jaccard similarity share a band key."""
        return 1 - (1 - jaccard**self.rows) ** self.bands


_BAND_SEEDS = mix(np.arange(1, NUM_PERM + 1, dtype=np.uint64) * np.uint64(0xD1B54A32D192ED03))
