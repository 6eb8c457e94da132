"""128-slot MinHash sketches by one-permutation hashing, and LSH band keys.

Classic MinHash hashes every shingle 128 times (128 universal hash functions); in pure Python
that is 64,000 multiplications for a 500-syllable essay. One-permutation hashing (Li, Owen and
Zhang, 2012) hashes each shingle once: the shingle hash (a draw from a 3-independent tabulation
family, see `shingles`) is the random permutation; its top 7 bits choose one of 128 slots and its
next 32 bits are the value, and each slot keeps its smallest value. A slot no shingle fell into
borrows the value of the first filled slot in a fixed pseudo-random probe order of its own
(optimal densification, Shrivastava 2017), so for every slot P[equal values] = Jaccard, as with
128 independent permutations. A sketch is 128 unsigned 32-bit values (512 bytes) and the number
of shingles, which turns the Jaccard estimate into a containment estimate.

LSH: the signature is cut into BANDS bands of ROWS slots; each band is hashed (BLAKE2b, band
number included) to a 60-bit key. Two texts become candidates when any band key is equal, which
happens with probability 1 - (1 - J**ROWS)**BANDS.
"""

import hashlib
import sys
from array import array
from collections.abc import Collection
from dataclasses import dataclass
from itertools import repeat
from operator import eq, rshift

NUM_PERM = 128
_SLOT_SHIFT = 64 - 7  # 2**7 == NUM_PERM
_VALUE_SHIFT = _SLOT_SHIFT - 32
_VALUE_MASK = 0xFFFFFFFF


def _probe_order(slot: int) -> list[int]:
    """The other slots in the fixed pseudo-random order an empty SLOT borrows from (stable everywhere)."""
    others = [other for other in range(NUM_PERM) if other != slot]
    return sorted(others, key=lambda other: hashlib.blake2b(bytes([slot, other]), digest_size=8).digest())


_PROBES = [_probe_order(slot) for slot in range(NUM_PERM)]


@dataclass(frozen=True, slots=True)
class Sketch:
    """A text's signature (NUM_PERM unsigned 32-bit values) and its number of distinct shingles."""

    signature: array
    size: int

    def jaccard(self, other: "Sketch") -> float:
        """Estimated Jaccard similarity: the share of equal slots."""
        return sum(map(eq, self.signature, other.signature)) / NUM_PERM

    def containment(self, other: "Sketch") -> float:
        """Estimated share of the smaller shingle set found in the other (1 for a text copied whole)."""
        jaccard = self.jaccard(other)
        shared = jaccard * (self.size + other.size) / (1 + jaccard)
        return min(1.0, shared / min(self.size, other.size))

    def to_bytes(self) -> bytes:
        return _little_endian(self.signature).tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, size: int) -> "Sketch":
        signature = array("I")
        signature.frombytes(data)
        return cls(_little_endian(signature), size)


def _little_endian(values: array) -> array:
    """VALUES in little-endian byte order (a copy on big-endian machines), so stored sketches travel."""
    if sys.byteorder == "little":
        return values
    swapped = array("I", values)
    swapped.byteswap()
    return swapped


def sketch(shingles: Collection[int]) -> Sketch | None:
    """The sketch of a set of 64-bit shingle hashes; None for an empty set."""
    if not shingles:
        return None
    descending = sorted(shingles, reverse=True)
    # dict() keeps the last value given for a key: the smallest hash of each slot.
    smallest = dict(zip(map(rshift, descending, repeat(_SLOT_SHIFT)), descending, strict=True))
    values = array("I")
    for slot in range(NUM_PERM):
        value = smallest.get(slot)
        if value is None:
            value = smallest[next(other for other in _PROBES[slot] if other in smallest)]
        values.append((value >> _VALUE_SHIFT) & _VALUE_MASK)
    return Sketch(values, len(shingles))


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
        raw = sketch.to_bytes()
        width = 4 * self.rows
        return [
            int.from_bytes(
                hashlib.blake2b(raw[band * width : (band + 1) * width], digest_size=8, salt=bytes([band])).digest(),
                "little",
            )
            >> 4
            for band in range(self.bands)
        ]

    def probability(self, jaccard: float) -> float:
        """The chance that two texts with this Jaccard similarity share a band key."""
        return 1 - (1 - jaccard**self.rows) ** self.bands
