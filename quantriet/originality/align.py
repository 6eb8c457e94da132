"""Paraphrase detection: the sentences of two texts aligned, however the copy is disguised.

The second stage after the MinHash candidates: it works on the raw texts on its own.

Folding. Each text is folded once (cached): lower case, diacritics and đ/d dropped, and every
character that is not a letter or a digit removed, so "Nghịquyếtcủa Đảng", "nghi quyet cua dang"
and "Nghị quyết của Đảng" all read "nghiquyetcuadang"; every folded character keeps its position
in the original text, so what is shown side by side is the original.

Sentences are cut on the original text: at . ! ? … (also glued to the next sentence's capital),
at a blank line, and at a line break followed by a capital, a bullet or a number (a line break
followed by a lower-case letter is a soft wrap, as in text pasted from a PDF). A sentence longer
than MAX_SENTENCE folded characters is cut at ; : , or a space nearest its middle (at its middle
when it has none: glued text); one shorter than MIN_SENTENCE ("Thứ nhất, về nhận thức.") is
joined to the next.

Matching. A sentence is the bag of the character 3- and 4-grams of its folded string, weighted by
TF-IDF within the pair (a gram found in most sentences of the two texts, like "ang", weighs
little). Each sentence of A is compared (cosine) with each sentence of B, with every two adjacent
sentences of B merged, and every two adjacent sentences of A merged with each sentence of B (a
sentence split in two, or two merged in one). Pairs are taken greedily, most similar first, each
sentence at most once and in any order (paragraphs moved); a merged pair is considered only when it
beats both of its single pairs by MERGE_GAIN. A pair counts when its cosine is at least
PAIR_THRESHOLD: a sentence with half of its syllables replaced by synonyms keeps about half of
its grams, an unrelated sentence on the same subject shares only the common ones.

Boilerplate. The texts every honest essay may quote (the resolution studied, passed as
`boilerplate`) and, optionally, the passages found in many texts of a corpus are masked: a folded
character inside a window of BOILERPLATE_WINDOW characters (about five syllables) also found there
neither matches nor counts. Two honest essays quoting the same headings and paragraphs of the
resolution so share nothing that counts; stock phrases of three syllables are shorter than the
window and stay, weighted down by the IDF.

Score. The share of A's text (its unmasked folded characters) inside counted pairs, and the same
for B; `Alignment.score` is the larger: a shortened copy is covered whole.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from quantriet.core.text import fold

#: A sentence pair counts as aligned (copied, however reworded) at this cosine or above.
PAIR_THRESHOLD = 0.4
#: A text pair is a copy when at least this share of one side is covered by aligned sentences.
COPY_THRESHOLD = 0.5
#: A merged (1:2 or 2:1) pair must beat both of its single pairs by this much.
MERGE_GAIN = 0.03
#: Sentences are cut near their middle above this many folded characters, joined below MIN_SENTENCE.
MAX_SENTENCE = 300
MIN_SENTENCE = 20
#: A sentence with fewer unmasked folded characters than this is not matched (too little to tell).
MIN_MATCHED = 15
#: Folded characters inside a window this long found in the boilerplate are masked.
BOILERPLATE_WINDOW = 20
GRAM_SIZES = (3, 4)

# ---------------------------------------------------------------- folding

_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_BASE = len(_ALPHABET) + 1  # code 0 is "dropped"
_TABLE_SIZE = 0x2000  # Latin, Latin Extended and Vietnamese; beyond it nothing is kept


def _tables() -> tuple[np.ndarray, np.ndarray]:
    """For every code point below _TABLE_SIZE: its folded code (0 = dropped), and whether it carries a diacritic."""
    codes = np.zeros(_TABLE_SIZE + 1, np.uint8)
    marked = np.zeros(_TABLE_SIZE + 1, bool)
    for point in range(_TABLE_SIZE):
        char = chr(point)
        folded = fold(char)
        if len(folded) == 1 and folded in _ALPHABET:
            codes[point] = _ALPHABET.index(folded) + 1
            marked[point] = folded.isalpha() and folded != char.lower()
        marked[point] |= unicodedata.combining(char) > 0
    return codes, marked


_CODES, _MARKED = _tables()
_LETTERS = 26


def _code_points(text: str) -> np.ndarray:
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    return np.minimum(points, _TABLE_SIZE)


# ---------------------------------------------------------------- sentences

_UPPER = "".join(chr(c) for c in range(0x41, _TABLE_SIZE) if chr(c).isupper())
_BOUNDARY = re.compile(
    rf"[.!?…]+[\"'”’»)\]]*(?=\s|$|[{_UPPER}])"  # end of sentence, also glued to the next one
    r"|\n[ \t\u00a0]*(?:\n\s*)+"  # blank line
    rf"|\n(?=[ \t\u00a0]*(?:[{_UPPER}\-+•*–—]|\d+[.)]))"  # line break before a capital, bullet or number
)
_BREAKS = (re.compile(r"[;:]\s*"), re.compile(r",\s*"), re.compile(r"\s+"))


def _segments(text: str) -> list[tuple[int, int]]:
    """The (start, end) of the text between boundaries, white space trimmed, empty ones left out."""
    found, start = [], 0
    for match in _BOUNDARY.finditer(text):
        found.append((start, match.end()))
        start = match.end()
    found.append((start, len(text)))
    trimmed = []
    for start, end in found:
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            left = start + len(piece) - len(piece.lstrip())
            trimmed.append((left, left + len(stripped)))
    return trimmed


def _cut(text: str, start: int, end: int, kept: np.ndarray) -> list[tuple[int, int]]:
    """START..END cut near its middle, again and again, until no piece is longer than MAX_SENTENCE."""
    if kept[end] - kept[start] <= MAX_SENTENCE:
        return [(start, end)]
    middle = int(np.searchsorted(kept, (kept[start] + kept[end]) // 2))
    cut = None
    for pattern in _BREAKS:
        ends = [m.end() for m in pattern.finditer(text, start, end) if start < m.start() and m.end() < end]
        usable = [e for e in ends if MIN_SENTENCE <= kept[e] - kept[start] and MIN_SENTENCE <= kept[end] - kept[e]]
        if usable:
            cut = min(usable, key=lambda e: abs(e - middle))
            break
    if cut is None:
        cut = middle
    left_end = cut
    while left_end > start and text[left_end - 1].isspace():
        left_end -= 1
    return _cut(text, start, left_end, kept) + _cut(text, cut, end, kept)


def _sentences(text: str, kept: np.ndarray) -> list[tuple[int, int]]:
    """The sentences of TEXT as (start, end) spans; KEPT[p] is the number of folded characters before p."""
    pieces = [piece for start, end in _segments(text) for piece in _cut(text, start, end, kept)]
    pieces = [(start, end) for start, end in pieces if kept[end] > kept[start]]
    joined: list[tuple[int, int]] = []
    pending = None
    for start, end in pieces:
        if pending is not None:
            start = pending
        if kept[end] - kept[start] < MIN_SENTENCE:
            pending = start
            continue
        pending = None
        joined.append((start, end))
    if pending is not None:
        if joined:
            joined[-1] = (joined[-1][0], pieces[-1][1])
        else:
            joined.append((pending, pieces[-1][1]))
    return joined


# ---------------------------------------------------------------- prepared texts


@dataclass(frozen=True, eq=False)
class Boilerplate:
    """The hashes of every BOILERPLATE_WINDOW-character folded window found in the boilerplate, sorted."""

    windows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    #: The grams of the reference sentences (sorted, unique) and in how many sentences each is found.
    gram_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    gram_df: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    sentences: int = 0


NO_BOILERPLATE = Boilerplate()


@dataclass(frozen=True, eq=False)
class Prepared:
    """A text folded, cut into sentences and turned into grams (cached per text and boilerplate)."""

    text: str
    #: (start, end) in TEXT of each sentence.
    spans: list[tuple[int, int]]
    #: Unmasked folded characters of each sentence: what it weighs in the score.
    weights: np.ndarray
    #: Every gram occurrence: the sentence it belongs to and its id (3- and 4-grams, masked ones left out).
    gram_sentence: np.ndarray
    gram_id: np.ndarray


def _folded(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The folded codes of TEXT and the position in TEXT of each."""
    codes = _CODES[_code_points(text)]
    positions = np.flatnonzero(codes)
    return codes[positions].astype(np.uint64), positions


def _windows(codes: np.ndarray, size: int) -> np.ndarray:
    """The hash of each SIZE-character window of CODES (a polynomial modulo 2**64)."""
    count = len(codes) - size + 1
    if count <= 0:
        return np.zeros(0, np.uint64)
    hashes = codes[:count].copy()
    multiplier = np.uint64(1_000_003)
    for offset in range(1, size):
        hashes = hashes * multiplier + codes[offset : offset + count]
    return hashes


def _masked(codes: np.ndarray, boilerplate: Boilerplate) -> np.ndarray:
    """Which folded characters lie inside a window also found in the boilerplate."""
    mask = np.zeros(len(codes), bool)
    if not len(boilerplate.windows):
        return mask
    windows = _windows(codes, BOILERPLATE_WINDOW)
    found = np.flatnonzero(_contains(boilerplate.windows, windows))
    if len(found):
        # A found window starting at s masks s .. s + WINDOW - 1: a difference array, summed.
        marks = np.zeros(len(codes) + 1, np.int32)
        np.add.at(marks, found, 1)
        np.add.at(marks, found + BOILERPLATE_WINDOW, -1)
        mask = np.cumsum(marks[:-1]) > 0
    return mask


def _contains(sorted_values: np.ndarray, values: np.ndarray) -> np.ndarray:
    where = np.searchsorted(sorted_values, values)
    where[where == len(sorted_values)] = 0
    return sorted_values[where] == values


def _grams(codes: np.ndarray, sentence: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sentence, gram id) of every 3- and 4-gram inside one sentence with no masked character."""
    masked_before = np.concatenate([[0], np.cumsum(mask)])
    sentences, ids, offset = [], [], 0
    for size in GRAM_SIZES:
        count = len(codes) - size + 1
        if count > 0:
            gram = codes[:count].copy()
            for k in range(1, size):
                gram = gram * np.uint64(_BASE) + codes[k : k + count]
            inside = sentence[:count] == sentence[size - 1 : size - 1 + count]
            clean = masked_before[size:] == masked_before[:count]
            keep = inside & clean & (sentence[:count] >= 0)
            sentences.append(sentence[:count][keep])
            ids.append(gram[keep].astype(np.int64) + offset)
        offset += _BASE**size
    if not ids:
        return np.zeros(0, np.int32), np.zeros(0, np.int64)
    return np.concatenate(sentences).astype(np.int32), np.concatenate(ids)


@lru_cache(maxsize=4096)
def prepare(text: str, boilerplate: Boilerplate = NO_BOILERPLATE) -> Prepared:
    """TEXT folded, cut into sentences and turned into grams, BOILERPLATE masked (cached)."""
    text = text or ""
    codes, positions = _folded(text)
    # kept[p]: the number of folded characters before position p of TEXT.
    kept = np.searchsorted(positions, np.arange(len(text) + 1))
    spans = _sentences(text, kept)
    sentence = np.full(len(codes), -1, np.int32)
    for number, (start, end) in enumerate(spans):
        sentence[kept[start] : kept[end]] = number
    mask = _masked(codes, boilerplate)
    unmasked = np.bincount(sentence[~mask & (sentence >= 0)], minlength=len(spans))
    gram_sentence, gram_id = _grams(codes, sentence, mask)
    return Prepared(text, spans, unmasked.astype(np.float64), gram_sentence, gram_id)


def boilerplate_of(references: Iterable[str] = (), *, corpus: Iterable[str] = (), min_texts: int = 3) -> Boilerplate:
    """The boilerplate: the REFERENCES (the resolution studied) and the passages found in MIN_TEXTS or more of CORPUS."""
    return _boilerplate(tuple(references), tuple(corpus), min_texts)


@lru_cache(maxsize=64)
def _boilerplate(references: tuple[str, ...], corpus: tuple[str, ...], min_texts: int) -> Boilerplate:
    parts = [_windows(_folded(text)[0], BOILERPLATE_WINDOW) for text in references]
    if corpus:
        per_text = np.concatenate([np.unique(_windows(_folded(text)[0], BOILERPLATE_WINDOW)) for text in corpus])
        values, counts = np.unique(per_text, return_counts=True)
        parts.append(values[counts >= min_texts])
    if not parts:
        return NO_BOILERPLATE
    prepared = [prepare(text) for text in references]
    keys = [np.unique(p.gram_sentence.astype(np.int64) * (1 << 32) + p.gram_id) & 0xFFFFFFFF for p in prepared]
    ids, df = np.unique(np.concatenate(keys) if keys else np.zeros(0, np.int64), return_counts=True)
    return Boilerplate(np.unique(np.concatenate(parts)), ids, df, sum(len(p.spans) for p in prepared))


def _as_boilerplate(boilerplate: "Boilerplate | Sequence[str] | None") -> Boilerplate:
    if boilerplate is None:
        return NO_BOILERPLATE
    if isinstance(boilerplate, Boilerplate):
        return boilerplate
    return boilerplate_of(boilerplate)


# ---------------------------------------------------------------- alignment


@dataclass(frozen=True, slots=True)
class Pair:
    """Sentences of A aligned with sentences of B: their spans in the original texts, their similarity."""

    a: tuple[int, int]
    b: tuple[int, int]
    similarity: float
    #: The numbers of the sentences (one, or two adjacent ones) on each side.
    a_sentences: tuple[int, ...]
    b_sentences: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Alignment:
    """The aligned pairs (at or above the threshold, in A's order) and the share of each text they cover."""

    pairs: list[Pair]
    score_a: float
    score_b: float

    @property
    def score(self) -> float:
        """The share of the more covered text: 1 for a text copied whole, or shortened."""
        return max(self.score_a, self.score_b)


def align(
    a: "str | Prepared",
    b: "str | Prepared",
    *,
    boilerplate: "Boilerplate | Sequence[str] | None" = None,
    threshold: float = PAIR_THRESHOLD,
) -> Alignment:
    """A's sentences aligned with B's, boilerplate masked; pairs below THRESHOLD are left out."""
    found = _as_boilerplate(boilerplate)
    left = a if isinstance(a, Prepared) else prepare(a, found)
    right = b if isinstance(b, Prepared) else prepare(b, found)
    pairs = _pairs(left, right, threshold, found)
    return Alignment(pairs, _covered(left, [p.a_sentences for p in pairs]), _covered(right, [p.b_sentences for p in pairs]))


def _covered(text: Prepared, sentences: list[tuple[int, ...]]) -> float:
    total = text.weights.sum()
    if not total:
        return 0.0
    used = [number for group in sentences for number in group]
    return float(text.weights[used].sum() / total)


def _vectors(left: Prepared, right: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """The raw gram counts of every sentence of LEFT and of RIGHT over the pair's common vocabulary."""
    rows_left = len(left.spans)
    ids = np.concatenate([left.gram_id, right.gram_id])
    rows = np.concatenate([left.gram_sentence, right.gram_sentence + rows_left])
    vocabulary, column = np.unique(ids, return_inverse=True)
    width = len(vocabulary)
    counts = np.bincount(rows * width + column, minlength=(rows_left + len(right.spans)) * width)
    counts = counts.reshape(rows_left + len(right.spans), width).astype(np.float32)
    return counts[:rows_left], counts[rows_left:], vocabulary


def _weighted(counts: np.ndarray, idf: np.ndarray) -> np.ndarray:
    """TF-IDF rows (sublinear TF), each of unit length (zero rows stay zero)."""
    rows = TF(counts) * idf
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)


TF = np.sqrt
IDF = "log1p"
USE_REF_DF = False


def _idf(present, vocabulary, boilerplate):
    df = present.sum(axis=0).astype(np.float64)
    n = len(present)
    if USE_REF_DF and boilerplate.sentences:
        where = np.searchsorted(boilerplate.gram_ids, vocabulary)
        where[where == len(boilerplate.gram_ids)] = 0
        hit = boilerplate.gram_ids[where] == vocabulary
        df = df + np.where(hit, boilerplate.gram_df[where], 0)
        n += boilerplate.sentences
    if IDF == "log1p":
        return np.log1p(n / np.maximum(df, 1)).astype(np.float32)
    if IDF == "log":
        return np.log((n + 1) / np.maximum(df, 1)).astype(np.float32)
    if IDF == "sq":
        return (np.log1p(n / np.maximum(df, 1)) ** 2).astype(np.float32)


def _pairs(left: Prepared, right: Prepared, threshold: float, boilerplate) -> list[Pair]:
    if not len(left.spans) or not len(right.spans) or not len(left.gram_id) or not len(right.gram_id):
        return []
    counts_left, counts_right, vocabulary = _vectors(left, right)
    present = np.concatenate([counts_left, counts_right]) > 0
    idf = _idf(present, vocabulary, boilerplate)
    usable_left = left.weights >= MIN_MATCHED
    usable_right = right.weights >= MIN_MATCHED
    single_left = _weighted(counts_left, idf) * usable_left[:, None]
    single_right = _weighted(counts_right, idf) * usable_right[:, None]
    singles = single_left @ single_right.T
    candidates = [_candidates(singles, threshold, 1, 1)]
    if len(left.spans) > 1:
        merged_left = _weighted(counts_left[:-1] + counts_left[1:], idf) @ single_right.T
        best_single = np.maximum(singles[:-1], singles[1:])
        candidates.append(_candidates(np.where(merged_left >= best_single + MERGE_GAIN, merged_left, 0), threshold, 2, 1))
    if len(right.spans) > 1:
        merged_right = single_left @ _weighted(counts_right[:-1] + counts_right[1:], idf).T
        best_single = np.maximum(singles[:, :-1], singles[:, 1:])
        candidates.append(_candidates(np.where(merged_right >= best_single + MERGE_GAIN, merged_right, 0), threshold, 1, 2))
    return _greedy(left, right, np.concatenate(candidates))


def _candidates(similarities: np.ndarray, threshold: float, size_left: int, size_right: int) -> np.ndarray:
    """(similarity, first sentence of A, sentences of A, first of B, sentences of B) of the entries at THRESHOLD or above."""
    rows, columns = np.nonzero(similarities >= threshold)
    found = np.empty((len(rows), 5))
    found[:, 0] = similarities[rows, columns]
    found[:, 1], found[:, 2], found[:, 3], found[:, 4] = rows, size_left, columns, size_right
    return found


def _greedy(left: Prepared, right: Prepared, candidates: np.ndarray) -> list[Pair]:
    """The candidates taken most similar first, each sentence at most once, in A's order."""
    used_left, used_right = set(), set()
    pairs = []
    for similarity, first_left, size_left, first_right, size_right in candidates[np.argsort(-candidates[:, 0], kind="stable")]:
        a = tuple(range(int(first_left), int(first_left + size_left)))
        b = tuple(range(int(first_right), int(first_right + size_right)))
        if used_left.intersection(a) or used_right.intersection(b):
            continue
        used_left.update(a)
        used_right.update(b)
        span_a = (left.spans[a[0]][0], left.spans[a[-1]][1])
        span_b = (right.spans[b[0]][0], right.spans[b[-1]][1])
        pairs.append(Pair(span_a, span_b, round(float(similarity), 4), a, b))
    return sorted(pairs, key=lambda pair: pair.a)
