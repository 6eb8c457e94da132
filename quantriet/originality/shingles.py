"""Shingles hashed to stable 64-bit ints: character shingles of the matching stream (the engine), or syllables.

The engine's shingles are the 8-symbol windows of the matching stream (`normalize.symbols`: folded
letters without spaces), `char_shingle_hashes`, a few array operations for a whole batch of texts;
docs/originality.md compares them with the alternatives (syllables, other sizes, with spaces).

Syllable shingles (`shingle_hashes`) are the earlier engine's, kept to measure against. K = 4
(about two Vietnamese words): three-syllable shingles are mostly stock phrases of party writing
("của cấp ủy", "cán bộ đảng viên") that every essay shares, while five or more break at every
reworded word. Their hash is simple tabulation hashing over syllables: every syllable gets K random 64-bit words
(from keyed BLAKE2b, so the same on every machine and in every run, unlike Python's salted
`hash()`), and a shingle's hash is the XOR of its i-th syllable's i-th word. This family is
3-independent, and its values are uniform enough to serve directly as one-permutation MinHash
input (see `minhash`).
"""

import hashlib
from operator import xor

import numpy as np

SHINGLE_SIZE = 4
_MAX_SIZE = 8  # a BLAKE2b digest holds eight 64-bit words
_KEY = b"quantriet/originality/v1"
_CACHE_LIMIT = 500_000
_rows: dict[str, tuple[int, ...]] = {}


def _row(word: str) -> tuple[int, ...]:
    """The random 64-bit words of WORD, one per position in a shingle (cached: the vocabulary is small)."""
    row = _rows.get(word)
    if row is None:
        if len(_rows) >= _CACHE_LIMIT:
            _rows.clear()
        digest = hashlib.blake2b(word.encode(), digest_size=8 * _MAX_SIZE, key=_KEY).digest()
        row = _rows[word] = tuple(int.from_bytes(digest[i : i + 8], "little") for i in range(0, len(digest), 8))
    return row


def shingle_hashes(words: list[str], k: int = SHINGLE_SIZE) -> list[int]:
    """The hash of every K-syllable shingle of WORDS, in order: item i covers words[i : i + k]."""
    if not 1 <= k <= _MAX_SIZE:
        raise ValueError(f"shingle size must be 1..{_MAX_SIZE}")
    count = len(words) - k + 1
    if count <= 0:
        return []
    rows = [_rows.get(word) or _row(word) for word in words]
    hashes = [row[0] for row in rows[:count]]
    for position in range(1, k):
        hashes = list(map(xor, hashes, [row[position] for row in rows[position : position + count]]))
    return hashes


# ---------------------------------------------------------------- character shingles (the engine)

#: Symbols per character shingle (see docs/originality.md for the measurements behind it).
CHAR_SHINGLE_SIZE = 8
#: Symbols are 1..39 (`normalize`), so K symbols read as a base-40 number identify the shingle
#: exactly, and 40**12 < 2**64: shingles of up to 12 symbols are packed into 64 bits with no collision.
_BASE = 40
MAX_CHAR_SHINGLE = 12


def char_shingle_hashes(symbols: np.ndarray, k: int = CHAR_SHINGLE_SIZE, offsets: np.ndarray | None = None):
    """The 64-bit hash of every K-symbol window of SYMBOLS (uint8), in order: item i covers symbols[i : i + k].

    With OFFSETS (where each text starts in SYMBOLS, as `normalize.batch_symbols` gives them), the
    windows that cross from one text into the next are left out, and the result is (hashes, the
    offsets of each text's hashes). A window is packed exactly (base 40) by doubling (windows of
    2, 4, 8 symbols from those of half the size), then mixed by the SplitMix64 finalizer, a
    bijection that spreads every bit, so the hashes can serve as one-permutation MinHash input.
    """
    if not 1 <= k <= MAX_CHAR_SHINGLE:
        raise ValueError(f"character shingle size must be 1..{MAX_CHAR_SHINGLE}")
    count = max(0, len(symbols) - k + 1)
    blocks = {1: symbols.astype(np.uint64)}  # size → the packed windows of that size at every position
    size = 1
    while 2 * size <= k:
        half = blocks[size]
        blocks[2 * size] = half[:-size] * np.uint64(_BASE**size) + half[size:] if len(half) > size else half[:0]
        size *= 2
    packed, done = None, 0
    for size in sorted(blocks, reverse=True):
        if k - done >= size:
            block = blocks[size][done : done + count]
            packed = block.copy() if packed is None else packed * np.uint64(_BASE**size) + block
            done += size
    hashes = mix(packed)
    if offsets is None:
        return hashes
    return _within_texts(hashes, k, offsets)


def _within_texts(hashes: np.ndarray, k: int, offsets: np.ndarray):
    """HASHES without the windows crossing a text boundary, and the new offsets."""
    starts, ends = offsets[:-1], offsets[1:]
    per_text = np.maximum(ends - starts - k + 1, 0)
    kept = np.zeros(len(hashes) + 1, dtype=np.int32)  # +1 where a text's windows start, -1 where they end
    np.add.at(kept, np.minimum(starts, len(hashes)), 1)
    np.add.at(kept, np.minimum(starts + per_text, len(hashes)), -1)
    new_offsets = np.zeros(len(offsets), dtype=np.int64)
    np.cumsum(per_text, out=new_offsets[1:])
    return hashes[np.cumsum(kept[:-1]) > 0], new_offsets


def mix(values: np.ndarray) -> np.ndarray:
    """SplitMix64's finalizer of uint64 VALUES (in place): a bijection; each output bit depends on every input bit."""
    values ^= values >> np.uint64(30)
    values *= np.uint64(0xBF58476D1CE4E5B9)
    values ^= values >> np.uint64(27)
    values *= np.uint64(0x94D049BB133111EB)
    values ^= values >> np.uint64(31)
    return values
