"""Paraphrase detection: the sentences of two texts aligned, however the copy is disguised.

The second stage after the MinHash candidates, working on the raw texts (of the package it only
reads the folding of `normalize`): `align(a, b)` pairs the sentences of A with those of B and
scores how much of each text they cover, `classify` names the kind of copying, `classify_sources`
(and `sources_of`) says which passages of a text come from which of several sources, and whether
it is spliced from them.

Folding. Each text is folded once (`normalize.letters_and_digits`, the engine's own folding
without its masks: names and figures count here): lower case, diacritics and đ/d dropped, every
character that is not a letter or a digit removed, so "Nghịquyếtcủa Đảng", "nghi quyet cua dang" and "Nghị quyết
của Đảng" all read "nghiquyetcuadang"; each folded character keeps its position in the original
text, so every span returned points into the original, as typed.

Sentences are cut on the original text: at . ! ? … (also glued to the next sentence's capital),
and at a line break unless a lower-case letter follows (a soft wrap, as in text pasted from a
PDF). A sentence longer than MAX_SENTENCE folded characters is cut at ; : , or a space nearest its
middle (at its middle when it has none: glued text); a piece shorter than MIN_SENTENCE ("Thứ
nhất, về nhận thức.") joins the next. A line of its own without final punctuation, short or in
capitals, is a heading: it weighs nothing and is never merged with a sentence.

Matching. A sentence is the bag of the character 3- and 4-grams of its folded string, weighted
by TF-IDF within the pair (a gram found in most sentences of the two texts, like "ang", weighs
little). Each sentence of A is compared (cosine) with each sentence of B, with every two adjacent
sentences of B merged, and every two adjacent sentences of A merged with each sentence of B (a
sentence split in two, or two merged in one). Pairs are taken greedily, most similar first, each
sentence at most once and in any order (paragraphs moved); a merged pair must beat both single
pairs it contains by MERGE_GAIN. A pair counts at PAIR_THRESHOLD or above: a sentence with half of
its syllables replaced keeps about half of its grams (cosine 0.3 to 0.7), two unrelated sentences
on the same subject share only the common ones (below 0.25 but for shared formulas).

Boilerplate (`boilerplate=[reference texts]`, or `boilerplate_of(references, corpus=…)`). A
folded character inside a window of BOILERPLATE_WINDOW characters (about five syllables) found in
a reference text, or in `min_texts` texts of a corpus, is masked: it neither matches nor counts. A
sentence whose unmasked rest is still close to a sentence of a reference (NEAR_REFERENCE: a loose
quotation, reworded) is boilerplate as a whole. Honest essays on one directive so share nothing
that counts: their quotations are masked, their headings weigh nothing, and the formulas and
slogans they share make at most one aligned pair, while a copy needs MIN_PAIRS.

Score. `Alignment.score_a` is the share of A's counted weight (unmasked folded characters of its
sentences, but the first MIN_COUNTED of each) in aligned sentences, `score_b` the same for B,
`score` the larger (a shortened copy covers the shorter side whole). `Alignment.copied`: a score
of COPY_THRESHOLD, or of PASSAGE_SHARE with PASSAGE_WEIGHT aligned (one source of a splice).

Measured on the labelled corpus in tests/quality (see test_align.py): every copy against every
original and honest essay, and every two of those (6,050 pairs): recall and precision 1.000 for
every kind, no honest pair; paraphrases cover 0.61 to 0.95 of their source, unrelated pairs at
most 0.17, and no two of the 13 honest essays on one directive have two aligned pairs (score 0).
Speed (2-core machine, under load), two essays of 500 words: about 1.4 ms to align prepared texts
(p95 under 4 ms), about 2.5 ms to prepare a text with the directive as reference (cached:
`prepare` keeps 256 texts; pass `Prepared` objects to align one text with many).
"""

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from quantriet.core.text import fold

from .normalize import letters_and_digits

#: A sentence pair counts as aligned (copied, however reworded) at this cosine or above.
PAIR_THRESHOLD = 0.3
#: A text pair is a copy when at least this share of one side is covered by aligned sentences,
COPY_THRESHOLD = 0.4
#: or when the aligned sentences weigh at least PASSAGE_WEIGHT (about a paragraph: 180 counted
#: characters are some 60 syllables) and cover at least PASSAGE_SHARE of one side: a passage of
#: one source in a text spliced from three.
PASSAGE_WEIGHT = 180
PASSAGE_SHARE = 0.2
#: Fewer aligned pairs of counted sentences than this cover nothing: one sentence is a coincidence.
MIN_PAIRS = 2
#: A merged (1:2 or 2:1) pair must beat both of its single pairs by this much.
MERGE_GAIN = 0.03
#: Sentences are cut near their middle above this many folded characters, joined below MIN_SENTENCE.
MAX_SENTENCE = 300
MIN_SENTENCE = 20
#: A line of its own without final punctuation is a heading up to this many folded characters.
MAX_HEADING = 80
#: A sentence with fewer unmasked folded characters than this is not matched (too little to tell).
MIN_MATCHED = 15
#: The first this many unmasked folded characters of a sentence weigh nothing in the score, so the
#: short formulas every essay has ("Họ và tên: …", "Thứ nhất, về nhận thức.") weigh little and a
#: long sentence nearly all it has. Headings weigh nothing.
MIN_COUNTED = 25
#: Folded characters inside a window this long found in the boilerplate are masked.
BOILERPLATE_WINDOW = 20
#: A sentence this similar to a sentence of a reference text (what is left of it once masked)
#: quotes the reference loosely: it is boilerplate too.
NEAR_REFERENCE = 0.4
GRAM_SIZES = (3, 4)

# ---------------------------------------------------------------- folding

_BASE = 37  # the symbols of `normalize.letters_and_digits`: 1–36, code 0 is "dropped"
_TABLE_SIZE = 0x1F00  # up to Latin Extended Additional (Vietnamese)
_LETTERS = 26


def _marked_table() -> np.ndarray:
    """For every code point below _TABLE_SIZE: does it carry a diacritic (a letter folding to another, or a mark)?"""
    marked = np.zeros(_TABLE_SIZE + 1, bool)
    for point in range(0xC0, _TABLE_SIZE):
        char = chr(point)
        folded = fold(char)
        marked[point] = (len(folded) == 1 and folded.isalpha() and folded != char.lower()) or unicodedata.combining(
            char
        ) > 0
    return marked


_MARKED = _marked_table()


def _code_points(text: str) -> np.ndarray:
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    return np.minimum(points, _TABLE_SIZE)


# ---------------------------------------------------------------- sentences

_UPPER = "".join(chr(c) for c in range(0x41, _TABLE_SIZE) if chr(c).isupper())
_BOUNDARY = re.compile(
    rf"[.!?…]+[\"'”’»)\]]*(?=\s|$|[{_UPPER}])"  # end of sentence, also glued to the next one
    rf"|\n(?![ \t\u00a0]*[^\W\d_](?<![{_UPPER}]))"  # a line break, unless a lower-case letter follows
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


def _ends_line(text: str, end: int) -> bool:
    """Does the piece ending at END end its line without final punctuation (a heading's ending)?"""
    return text[end - 1] not in _FINAL and text[end:].lstrip(_BLANKS)[:1] in ("\n", "\r", "")


def _starts_line(text: str, start: int) -> bool:
    return text[:start].rstrip(_BLANKS)[-1:] in ("\n", "\r", "")


def _sentences(text: str, kept: np.ndarray) -> list[tuple[int, int, bool]]:
    """The sentences of TEXT as (start, end, is a heading); KEPT[p] is the number of folded characters before p.

    A piece shorter than MIN_SENTENCE joins the next one ("Thứ nhất, về nhận thức." with the sentence
    it announces, "I." with its heading), unless it ends its line without punctuation (a heading).
    A heading is a line of its own without final punctuation, short or in capitals.
    """
    joined: list[list[int]] = []
    pieces = [piece for start, end in _segments(text) for piece in _cut(text, start, end, kept)]
    for start, end in pieces:
        if kept[end] == kept[start]:
            continue
        last = joined[-1] if joined else None
        if last and kept[last[1]] - kept[last[0]] < MIN_SENTENCE and not _ends_line(text, last[1]):
            last[1] = end
        else:
            joined.append([start, end])
    return [(start, end, _is_heading(text, start, end, kept)) for start, end in joined]


def _is_heading(text: str, start: int, end: int, kept: np.ndarray) -> bool:
    if not (_starts_line(text, start) and _ends_line(text, end)):
        return False
    piece = text[start:end]
    return kept[end] - kept[start] <= MAX_HEADING or piece.upper() == piece


_FINAL = ".!?…;:"
_BLANKS = " \t\u00a0"


# ---------------------------------------------------------------- prepared texts


@dataclass(frozen=True, eq=False)
class Boilerplate:
    """What honest texts may share: the reference texts, and passages frequent in a corpus."""

    #: The hashes of every BOILERPLATE_WINDOW-character folded window found in it, sorted.
    windows: np.ndarray
    #: The sentences of the reference texts: a sentence close to one of them is boilerplate.
    references: tuple["_Reference", ...] = ()


NO_BOILERPLATE = Boilerplate(np.zeros(0, np.uint64))


@dataclass(frozen=True, eq=False)
class Prepared:
    """A text folded, cut into sentences and turned into grams (cached per text and boilerplate).

    Units are what is compared: unit i < n is sentence i, unit n + i is sentences i and i + 1 merged.
    Each (unit, gram) occurrence is an entry; entries are sorted by gram.
    """

    text: str
    #: (start, end) in TEXT of each sentence.
    spans: list[tuple[int, int]]
    #: Unmasked folded characters of each sentence.
    weights: np.ndarray
    #: What each sentence weighs in the score: 0 for a heading, else its unmasked folded characters
    #: but the first MIN_COUNTED.
    counted: np.ndarray
    #: Which units may be matched: a sentence of MIN_MATCHED unmasked folded characters or more,
    #: two merged sentences of as many together, neither a heading.
    usable: np.ndarray
    #: The distinct grams of the text (sorted) and the number of its sentences with each.
    grams: np.ndarray
    gram_df: np.ndarray
    #: The entries: unit, the gram's index in GRAMS, occurrences of the gram in the unit.
    unit: np.ndarray
    gram: np.ndarray
    count: np.ndarray

    @property
    def units(self) -> int:
        return max(2 * len(self.spans) - 1, 0)


def _folded(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The folded codes of TEXT, and for each position p of TEXT the number of folded characters before p."""
    codes = letters_and_digits(text)
    kept = np.zeros(len(codes) + 1, np.int64)
    np.cumsum(codes > 0, out=kept[1:])
    return codes[codes > 0].astype(np.uint64), kept


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
    if not len(boilerplate.windows):
        return np.zeros(len(codes), bool)
    found = np.flatnonzero(_contains(boilerplate.windows, _windows(codes, BOILERPLATE_WINDOW)))
    # A found window starting at s masks s .. s + WINDOW - 1: a difference array, summed.
    marks = np.zeros(len(codes) + BOILERPLATE_WINDOW, np.int32)
    np.add.at(marks, found, 1)
    np.add.at(marks, found + BOILERPLATE_WINDOW, -1)
    return np.cumsum(marks[: len(codes)]) > 0


def _contains(sorted_values: np.ndarray, values: np.ndarray) -> np.ndarray:
    if not len(sorted_values):
        return np.zeros(len(values), bool)
    where = np.minimum(np.searchsorted(sorted_values, values), len(sorted_values) - 1)
    return sorted_values[where] == values


def _sentence_grams(codes: np.ndarray, sentence: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sentence, gram id) of every 3- and 4-gram inside one sentence with no masked character."""
    masked_before = np.concatenate([[0], np.cumsum(mask)])
    sentences, ids, offset = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], 0
    for size in GRAM_SIZES:
        count = len(codes) - size + 1
        if count > 0:
            gram = codes[:count].copy()
            for k in range(1, size):
                gram = gram * np.uint64(_BASE) + codes[k : k + count]
            inside = (sentence[:count] == sentence[size - 1 :]) & (sentence[:count] >= 0)
            keep = inside & (masked_before[size:] == masked_before[:count])
            sentences.append(sentence[:count][keep].astype(np.int64))
            ids.append(gram[keep].astype(np.int64) + offset)
        offset += _BASE**size
    return np.concatenate(sentences), np.concatenate(ids)


_GRAM_SPACE = sum(_BASE**size for size in GRAM_SIZES)


@lru_cache(maxsize=256)
def prepare(text: str, boilerplate: Boilerplate = NO_BOILERPLATE) -> Prepared:
    """TEXT folded, cut into sentences and turned into grams, BOILERPLATE masked (cached)."""
    text = text or ""
    codes, kept = _folded(text)
    found = _sentences(text, kept)
    spans = [(start, end) for start, end, _ in found]
    headings = np.array([heading for _, _, heading in found], bool)
    sentence = np.full(len(codes), -1, np.int32)
    for number, (start, end) in enumerate(spans):
        sentence[kept[start] : kept[end]] = number
    mask = _masked(codes, boilerplate)
    weights = np.bincount(sentence[~mask & (sentence >= 0)], minlength=len(spans)).astype(np.float64)
    entries = _entries(*_sentence_grams(codes, sentence, mask), len(spans))
    prepared = _weighed(text, spans, weights, headings, entries)
    if boilerplate.references and len(spans):
        near = np.zeros(len(spans), bool)
        for reference in boilerplate.references:
            near |= reference.closest(prepared) >= NEAR_REFERENCE
        prepared = _weighed(text, spans, np.where(near, 0.0, weights), headings | near, entries)
    return prepared


def _weighed(text: str, spans: list, weights: np.ndarray, apart: np.ndarray, entries: tuple) -> Prepared:
    """The prepared text, its sentences weighed: those APART (headings) weigh nothing and are not merged."""
    counted = np.where(apart, 0.0, np.maximum(weights - MIN_COUNTED, 0.0))
    merged = (weights[:-1] + weights[1:] >= MIN_MATCHED) & ~apart[:-1] & ~apart[1:]
    usable = np.concatenate([weights >= MIN_MATCHED, merged])
    return Prepared(text, spans, weights, counted, usable, *entries)


def _entries(sentence: np.ndarray, gram: np.ndarray, sentences: int):
    """The text's distinct grams with their df, and its (unit, gram index, count) entries sorted by gram.

    A merged unit n + i holds the grams of sentences i and i + 1, so each occurrence of a gram
    counts in its sentence, in the merged unit before it and in the one after it.
    """
    units = max(2 * sentences - 1, 1)
    before, after = sentence >= 1, sentence < sentences - 1
    unit = np.concatenate([sentence, sentences + sentence[before] - 1, sentences + sentence[after]])
    value = np.concatenate([gram, gram[before], gram[after]])
    keys, count = np.unique(value * units + unit, return_counts=True)
    unit, value = keys % units, keys // units
    first = np.concatenate([[True], value[1:] != value[:-1]])[: len(value)]
    index = np.cumsum(first) - 1
    gram_df = np.bincount(index[unit < sentences], minlength=int(first.sum())).astype(np.int32)
    grams = value[first].astype(np.int32)
    return grams, gram_df, unit.astype(np.int32), index.astype(np.int32), count.astype(np.float32)


def boilerplate_of(references: Iterable[str] = (), *, corpus: Iterable[str] = (), min_texts: int = 3) -> Boilerplate:
    """The boilerplate: the REFERENCES (the resolution studied) and the passages found in MIN_TEXTS or more of CORPUS.

    Cached on its arguments: pass the same texts and get the same object (and the cached texts prepared with it).
    """
    return _boilerplate(tuple(references), tuple(corpus), min_texts)


@lru_cache(maxsize=64)
def _boilerplate(references: tuple[str, ...], corpus: tuple[str, ...], min_texts: int) -> Boilerplate:
    parts = [np.zeros(0, np.uint64)] + [_windows(_folded(text)[0], BOILERPLATE_WINDOW) for text in references]
    if corpus:
        per_text = np.concatenate([np.unique(_windows(_folded(text)[0], BOILERPLATE_WINDOW)) for text in corpus])
        values, counts = np.unique(per_text, return_counts=True)
        parts.append(values[counts >= min_texts])
    return Boilerplate(np.unique(np.concatenate(parts)), tuple(_Reference.of(prepare(text)) for text in references))


@dataclass(frozen=True, eq=False)
class _Reference:
    """The sentences of a reference text as unit-length TF-IDF vectors, the IDF its own.

    Entries (gram index, sentence, weight) sorted by gram, for `_join`.
    """

    grams: np.ndarray
    idf: np.ndarray
    entries: tuple[np.ndarray, np.ndarray, np.ndarray]
    sentences: int

    @classmethod
    def of(cls, text: Prepared) -> "_Reference":
        sentences = len(text.spans)
        idf = np.log1p(sentences / np.maximum(text.gram_df, 1))
        single = text.unit < sentences
        return cls(
            text.grams, idf, _unit_vectors(text.unit[single], text.gram[single], text.count[single], idf), sentences
        )

    def closest(self, text: Prepared) -> np.ndarray:
        """For each sentence of TEXT, its cosine with the closest sentence of the reference (under its IDF)."""
        shared, index_text, index_self = np.intersect1d(text.grams, self.grams, assume_unique=True, return_indices=True)
        idf = np.full(len(text.grams), np.log1p(self.sentences))  # a gram the reference lacks weighs the most
        idf[index_text] = self.idf[index_self]
        single = text.unit < len(text.spans)
        gram, unit, weight = _unit_vectors(text.unit[single], text.gram[single], text.count[single], idf)
        number = np.full(len(text.grams), -1)
        number[index_text] = np.arange(len(shared))
        found = number[gram] >= 0
        number_self = np.full(len(self.grams), -1)
        number_self[index_self] = np.arange(len(shared))
        gram_self, unit_self, weight_self = self.entries
        kept = number_self[gram_self] >= 0
        similarity = _join(
            (number[gram[found]], unit[found], weight[found]),
            (number_self[gram_self[kept]], unit_self[kept], weight_self[kept]),
            len(shared),
            (len(text.spans), self.sentences),
        )
        return similarity.max(axis=1, initial=0.0)


def _unit_vectors(unit: np.ndarray, gram: np.ndarray, count: np.ndarray, idf: np.ndarray):
    """Entries (gram index, unit, weight) of unit-length TF-IDF vectors: sqrt(count) × IDF, normalised per unit."""
    weight = np.sqrt(count) * idf[gram]
    norms = np.sqrt(np.bincount(unit, weight * weight))
    return gram, unit, weight / norms[unit]


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
    #: The share of each text's counted weight in aligned sentences (0 below MIN_PAIRS pairs).
    score_a: float
    score_b: float
    #: The counted weight of the aligned sentences on the less covered side (0 below MIN_PAIRS pairs).
    weight: float = 0.0

    @property
    def score(self) -> float:
        """The share of the more covered text: 1 for a text copied whole, or shortened."""
        return max(self.score_a, self.score_b)

    @property
    def copied(self) -> bool:
        """Is one text a copy of the other, or of a passage of it (see COPY_THRESHOLD)?"""
        return self.score >= COPY_THRESHOLD or (self.score >= PASSAGE_SHARE and self.weight >= PASSAGE_WEIGHT)

    def reversed(self) -> "Alignment":
        """The same alignment seen from B: B's sentences aligned with A's."""
        pairs = [Pair(p.b, p.a, p.similarity, p.b_sentences, p.a_sentences) for p in self.pairs]
        return Alignment(sorted(pairs, key=lambda pair: pair.a), self.score_b, self.score_a, self.weight)


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
    pairs = _greedy(left, right, _similarities(left, right), threshold)
    counted = [p for p in pairs if left.counted[list(p.a_sentences)].any() and right.counted[list(p.b_sentences)].any()]
    if len(counted) < MIN_PAIRS:
        return Alignment(pairs, 0.0, 0.0)
    weight_a = _weight(left, [p.a_sentences for p in pairs])
    weight_b = _weight(right, [p.b_sentences for p in pairs])
    return Alignment(pairs, _part(weight_a, left), _part(weight_b, right), min(weight_a, weight_b))


def _weight(text: Prepared, sentences: list[tuple[int, ...]]) -> float:
    """The counted weight of SENTENCES in TEXT."""
    return float(text.counted[[number for group in sentences for number in group]].sum())


def _part(weight: float, text: Prepared) -> float:
    """WEIGHT as a share of TEXT's counted weight."""
    total = text.counted.sum()
    return float(weight / total) if total else 0.0


def _similarities(left: Prepared, right: Prepared) -> np.ndarray:
    """The cosine of every unit of LEFT with every unit of RIGHT, TF-IDF weighted within the pair.

    Every gram makes the norms; only the grams found in both texts make the dot products, computed
    as a sparse join: each entry of LEFT meets each entry of RIGHT with the same gram (a few
    thousand products for two essays, where a dense product would multiply zeros).
    """
    shared, index_left, index_right = np.intersect1d(left.grams, right.grams, assume_unique=True, return_indices=True)
    sentences = len(left.spans) + len(right.spans)
    gram_left, unit_left, weight_left = _unit_weights(left, index_left, right.gram_df[index_right], sentences)
    gram_right, unit_right, weight_right = _unit_weights(right, index_right, left.gram_df[index_left], sentences)
    return _join(
        (gram_left, unit_left, weight_left),
        (gram_right, unit_right, weight_right),
        len(shared),
        (left.units, right.units),
    )


def _join(left: tuple, right: tuple, grams: int, shape: tuple[int, int]) -> np.ndarray:
    """The SHAPE matrix of the dot products of the units of LEFT and RIGHT, given as entries
    (gram number < GRAMS, unit, weight); RIGHT's entries are sorted by gram number."""
    gram_left, unit_left, weight_left = left
    gram_right, unit_right, weight_right = right
    per_gram = np.bincount(gram_right, minlength=grams)
    repeats = per_gram[gram_left]
    which_left = np.repeat(np.arange(len(gram_left)), repeats)
    ends = np.cumsum(repeats)
    first_right = (np.cumsum(per_gram) - per_gram)[gram_left]
    which_right = np.arange(ends[-1] if len(ends) else 0) + np.repeat(first_right - (ends - repeats), repeats)
    cells = unit_left[which_left] * shape[1] + unit_right[which_right]
    products = weight_left[which_left] * weight_right[which_right]
    return np.bincount(cells, products, shape[0] * shape[1]).reshape(shape)


def _unit_weights(text: Prepared, shared_index: np.ndarray, other_df: np.ndarray, sentences: int):
    """TEXT's entries with a shared gram: (the gram's number among the shared ones, unit, weight).

    SHARED_INDEX: the index in TEXT.grams of each shared gram; OTHER_DF: its df in the other text.
    A weight is the entry's TF-IDF weight in its unit's vector of unit length.
    """
    df = text.gram_df.copy()
    df[shared_index] += other_df
    number = np.full(len(text.grams), -1)
    number[shared_index] = np.arange(len(shared_index))
    weight = np.sqrt(text.count) * np.log1p(sentences / df)[text.gram]
    norms = np.sqrt(np.bincount(text.unit, weight * weight, text.units))
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=(norms > 0) & text.usable)
    number = number[text.gram]
    found = number >= 0
    unit = text.unit[found]
    return number[found], unit, weight[found] * scale[unit]


def _greedy(left: Prepared, right: Prepared, similarity: np.ndarray, threshold: float) -> list[Pair]:
    """The pairs of units taken most similar first, each sentence at most once, in A's order.

    Merged units against merged units (2:2) are not pairs; a merged unit must beat both single
    pairs it contains by MERGE_GAIN.
    """
    n, m = len(left.spans), len(right.spans)
    if not n or not m:
        return []
    similarity = similarity.copy()
    similarity[n:, m:] = 0
    singles = similarity[:n, :m]
    if n > 1:
        similarity[n:, :m][similarity[n:, :m] < np.maximum(singles[:-1], singles[1:]) + MERGE_GAIN] = 0
    if m > 1:
        similarity[:n, m:][similarity[:n, m:] < np.maximum(singles[:, :-1], singles[:, 1:]) + MERGE_GAIN] = 0
    rows, columns = np.nonzero(similarity >= threshold)
    order = np.argsort(-similarity[rows, columns], kind="stable")
    used_left, used_right = np.zeros(n, bool), np.zeros(m, bool)
    pairs = []
    for row, column in zip(rows[order].tolist(), columns[order].tolist(), strict=True):
        a = (row,) if row < n else (row - n, row - n + 1)
        b = (column,) if column < m else (column - m, column - m + 1)
        if used_left[list(a)].any() or used_right[list(b)].any():
            continue
        used_left[list(a)] = used_right[list(b)] = True
        span_a = (left.spans[a[0]][0], left.spans[a[-1]][1])
        span_b = (right.spans[b[0]][0], right.spans[b[-1]][1])
        pairs.append(Pair(span_a, span_b, round(float(similarity[row, column]), 4), a, b))
    return sorted(pairs, key=lambda pair: pair.a)


# ---------------------------------------------------------------- the kind of copying

#: The kinds of copying, in the order they are named when several apply ("paraphrased_unaccented").
KINDS = ("verbatim", "paraphrased", "unaccented", "glued", "spliced")
#: What each kind is called on screen.
KIND_LABELS = {
    "verbatim": "chép nguyên văn",
    "paraphrased": "diễn đạt lại",
    "unaccented": "gõ không dấu",
    "glued": "dính chữ (mất dấu cách)",
    "spliced": "ghép từ nhiều nguồn",
}


def kind_label(kind: str) -> str:
    """The kind of copying ("paraphrased_unaccented") as shown on screen ("diễn đạt lại, gõ không dấu")."""
    return ", ".join(KIND_LABELS[part] for part in kind.split("_") if part)


@dataclass(frozen=True, slots=True)
class Signals:
    """What the aligned passages of a pair look like, measured on each side (A, B)."""

    #: Share of letters carrying a diacritic (about 0.3 in Vietnamese typed with its marks).
    diacritics: tuple[float, float]
    #: Share of aligned letters in sentences typed without diacritics while their match has them.
    unaccented: tuple[float, float]
    #: Share of aligned letters in sentences whose spaces were lost while their match has them.
    glued: tuple[float, float]
    #: Share of the folded character 4-grams of the smaller side found in the other, over the pairs.
    reuse: float


@dataclass(frozen=True, slots=True)
class _Counts:
    """Of a passage: its letters, those with a diacritic, those in words of several syllables (glued)."""

    letters: int
    marked: int
    glued: int


@dataclass(frozen=True, eq=False)
class _Measures:
    """A text's running counts, so that any passage is measured by two subtractions.

    For each position p of the text: the letters, letters with a diacritic and glued letters
    before p; KEPT[p], the folded characters before p; GRAMS[i], the folded 4-gram starting at
    folded character i.
    """

    letters: np.ndarray
    marked: np.ndarray
    glued: np.ndarray
    kept: np.ndarray
    grams: np.ndarray

    def counts(self, start: int, end: int) -> _Counts:
        return _Counts(*(int(running[end] - running[start]) for running in (self.letters, self.marked, self.glued)))

    def grams_of(self, start: int, end: int) -> np.ndarray:
        """The distinct folded 4-grams inside START..END (sorted)."""
        return np.unique(self.grams[self.kept[start] : max(self.kept[end] - 3, self.kept[start])])


@lru_cache(maxsize=256)
def _measures(text: str) -> _Measures:
    codes = letters_and_digits(text)
    letter = (codes >= 1) & (codes <= _LETTERS)
    folded, kept = _folded(text)
    return _Measures(
        _running(letter),
        _running(_MARKED[_code_points(text)]),
        _running(_glued_mask(codes, letter)),
        kept,
        _windows(folded, 4),
    )


def _running(flags: np.ndarray) -> np.ndarray:
    counts = np.zeros(len(flags) + 1, np.int64)
    np.cumsum(flags, out=counts[1:])
    return counts


def signals(a: str, b: str, alignment: Alignment) -> Signals:
    """The measurable signals of the aligned passages of A and B."""
    measures_a, measures_b = _measures(a), _measures(b)
    side_a = [measures_a.counts(*p.a) for p in alignment.pairs]
    side_b = [measures_b.counts(*p.b) for p in alignment.pairs]
    return Signals(
        diacritics=(_share(side_a), _share(side_b)),
        unaccented=(_unaccented(side_a, side_b), _unaccented(side_b, side_a)),
        glued=(_glued(side_a, side_b), _glued(side_b, side_a)),
        reuse=_reuse(measures_a, measures_b, alignment),
    )


def _share(counts: list[_Counts]) -> float:
    letters = sum(count.letters for count in counts)
    return sum(count.marked for count in counts) / letters if letters else 0.0


def _unaccented(side: list[_Counts], other: list[_Counts]) -> float:
    """Share of SIDE's letters in pairs where SIDE has (almost) no diacritics and OTHER has them."""
    letters = sum(count.letters for count in side)
    bare = sum(
        own.letters
        for own, theirs in zip(side, other, strict=True)
        if own.letters
        and theirs.letters
        and own.marked <= UNACCENTED_SHARE * own.letters
        and theirs.marked > MARKED_SHARE * theirs.letters
    )
    return bare / letters if letters else 0.0


#: The symbols of the vowels a, e, i, o, u, y (`normalize.letters_and_digits`: a is 1).
_VOWELS = np.array([ord(vowel) - ord("a") + 1 for vowel in "aeiouy"], np.uint8)


def _glued_mask(codes: np.ndarray, letter: np.ndarray) -> np.ndarray:
    """Which characters are letters of a word (a run of letters) with two groups of vowels or more:
    a Vietnamese syllable has one, so such a word is syllables glued together (or a loanword)."""
    if not letter.any():
        return np.zeros(len(codes), bool)
    starts = letter & ~np.concatenate([[False], letter[:-1]])
    word = np.cumsum(starts) - 1
    vowel = np.isin(codes, _VOWELS)
    group = vowel & ~(np.concatenate([[False], vowel[:-1]]) & ~starts)
    groups = np.bincount(word[group], minlength=int(starts.sum()))
    return letter & (groups[np.maximum(word, 0)] > 1)


def _glued(side: list[_Counts], other: list[_Counts]) -> float:
    """Share of SIDE's letters in pairs where SIDE has lost its spaces and OTHER has not."""
    letters = sum(count.letters for count in side)
    glued = sum(
        own.letters
        for own, theirs in zip(side, other, strict=True)
        if own.letters
        and own.glued >= GLUED_WORDS * own.letters
        and theirs.glued < GLUED_WORDS * max(theirs.letters, 1)
    )
    return glued / letters if letters else 0.0


def _reuse(a: _Measures, b: _Measures, alignment: Alignment) -> float:
    """Share of the folded 4-grams of the smaller side of each pair found in the other, weighted by size."""
    found = total = 0
    for pair in alignment.pairs:
        grams_a, grams_b = a.grams_of(*pair.a), b.grams_of(*pair.b)
        smaller = min(len(grams_a), len(grams_b))
        found += len(np.intersect1d(grams_a, grams_b, assume_unique=True)) if smaller else 0
        total += smaller
    return found / total if total else 0.0


#: A sentence is typed without diacritics when at most this share of its letters has one, while
#: its match has more than MARKED_SHARE.
UNACCENTED_SHARE = 0.02
MARKED_SHARE = 0.1
#: A sentence has lost its spaces when at least this share of its letters is in words of several
#: syllables (loanwords like "internet" or "video" make a few percent of a sentence), while its
#: match has less.
GLUED_WORDS = 0.2
#: Glued when at least this share of one side's aligned letters is in sentences that lost their spaces.
GLUED_PART = 0.05
#: Unaccented when at least this share of one side's aligned letters is typed without diacritics.
UNACCENTED_PART = 0.05
#: Below this reuse of folded 4-grams the passages are reworded, not copied.
VERBATIM_REUSE = 0.82


def classify(a: str, b: str, alignment: Alignment) -> str:
    """The kind of copying between A and B: "verbatim", or the disguises found joined by "_" in KINDS' order.

    "paraphrased" (reworded), "unaccented" (one side, or part of it, typed without diacritics),
    "glued" (spaces lost). "spliced" is for a text matched against several sources: `classify_sources`.
    """
    found = signals(a, b, alignment)
    kinds = []
    if found.reuse < VERBATIM_REUSE:
        kinds.append("paraphrased")
    if max(found.unaccented) >= UNACCENTED_PART:
        kinds.append("unaccented")
    if max(found.glued) >= GLUED_PART:
        kinds.append("glued")
    return "_".join(kinds) or "verbatim"


# ---------------------------------------------------------------- several sources

#: A source counts in a splice when at least this share of the text is taken from it and from
#: none of the other sources (copies of one text cover the same sentences: they are one source).
SPLICED_PART = 0.15
#: Two sources of a splice share at most this part of the smaller one's passages.
SPLICE_OVERLAP = 0.5


@dataclass(frozen=True, slots=True)
class SourcePassage:
    """A passage of the text (its span) taken from a source (its name and the span there)."""

    text: tuple[int, int]
    source: str
    source_span: tuple[int, int]
    similarity: float


@dataclass(frozen=True, slots=True)
class Found:
    """What a text takes from one source it copies."""

    #: The kind of copying (see `classify`), "spliced" when the text is spliced from this source and others.
    kind: str
    #: The share copied: the alignment's score, or for a spliced text the share of it taken from
    #: all its sources together (each source gives a part, the text is a copy as a whole).
    similarity: float
    alignment: Alignment


@dataclass(frozen=True, slots=True)
class Sources:
    """Where the passages of a text come from."""

    #: "spliced" when two sources or more each give SPLICED_PART of the text that the other does
    #: not, else the kind of copying of the source it copies most, "" when it copies none.
    kind: str
    #: Source name → the share of the text (its counted weight) best matched in that source.
    shares: dict[str, float]
    #: The text's aligned passages, each with the source it matches best, in the text's order.
    passages: list[SourcePassage]
    #: The sources the text copies (`Alignment.copied`), name → what it takes from each.
    found: dict[str, Found]
    #: The share of the text found in the sources it is spliced from, all together (0 if it is not spliced).
    copied: float = 0.0


def classify_sources(
    text: str,
    sources: Mapping[str, str],
    *,
    boilerplate: "Boilerplate | Sequence[str] | None" = None,
    threshold: float = PAIR_THRESHOLD,
) -> Sources:
    """Which passages of TEXT come from which of the SOURCES (name → text), and the kind of copying.

    TEXT is aligned with each source; each of its sentences goes to the source where its aligned
    pair is the most similar (sources with fewer than MIN_PAIRS pairs give nothing).
    """
    found = _as_boilerplate(boilerplate)
    prepared = prepare(text, found)
    alignments = {
        name: align(prepared, prepare(source, found), threshold=threshold) for name, source in sources.items()
    }
    return sources_of(prepared, sources, alignments)


def sources_of(
    text: Prepared,
    sources: Mapping[str, str],
    alignments: Mapping[str, Alignment],
    kind_of: Callable[[str], str] | None = None,
) -> Sources:
    """`classify_sources` on the ALIGNMENTS of TEXT (side A) with each of the SOURCES, already made.

    KIND_OF(name): the kind of copying between TEXT and that source (default `classify`; a caller
    looking at a pair from both sides gives the one it computed, `classify` being symmetric).
    """
    best: dict[int, tuple[float, str, Pair]] = {}
    for name, alignment in alignments.items():
        if not alignment.score:
            continue
        for pair in alignment.pairs:
            for sentence in pair.a_sentences:
                if sentence not in best or pair.similarity > best[sentence][0]:
                    best[sentence] = (pair.similarity, name, pair)
    total = text.counted.sum()
    shares = dict.fromkeys(sources, 0.0)
    for sentence, (_, name, _) in best.items():
        shares[name] += float(text.counted[sentence] / total) if total else 0.0
    passages = sorted(
        {(pair.a, name, pair.b, pair.similarity) for _, name, pair in best.values()},
        key=lambda passage: (passage[0], passage[1]),
    )
    copied = {name: alignment for name, alignment in alignments.items() if alignment.copied}
    covered = {name: _covered(alignment) for name, alignment in copied.items()}
    # A source covering (nearly) all that the sources cover together is a copy of the whole text,
    # not a part of a splice (an original copied whole by one member and in part by two others).
    whole = _share_of(text, set().union(*covered.values())) if covered else 0.0
    parts = {name: found for name, found in covered.items() if _share_of(text, found) <= whole - SPLICED_PART}
    share = _share_of(text, set().union(*parts.values())) if parts else 0.0
    spliced = share >= COPY_THRESHOLD and _several_sources(text, list(parts.values()))
    found = {
        name: Found("spliced", max(alignment.score, share), alignment)
        if spliced and name in parts
        else Found(
            classify(text.text, sources[name], alignment) if kind_of is None else kind_of(name),
            alignment.score,
            alignment,
        )
        for name, alignment in copied.items()
    }
    kind = "spliced" if spliced else ""
    if found and not spliced:
        kind = found[max(found, key=lambda name: (found[name].similarity, name))].kind
    return Sources(kind, shares, [SourcePassage(*passage) for passage in passages], found, share if spliced else 0.0)


def _covered(alignment: Alignment) -> set[int]:
    """The sentences of side A in the aligned pairs."""
    return {sentence for pair in alignment.pairs for sentence in pair.a_sentences}


def _share_of(text: Prepared, sentences: set[int]) -> float:
    return _part(float(text.counted[sorted(sentences)].sum()), text)


def _several_sources(text: Prepared, covered: list[set[int]]) -> bool:
    """Do two of the COVERED sentence sets each hold SPLICED_PART of TEXT that the other does not, and
    overlap little (a paraphrase and a copy of one source leave different gaps, but cover mostly the same)?"""
    return any(
        _share_of(text, one - other) >= SPLICED_PART
        and _share_of(text, other - one) >= SPLICED_PART
        and _share_of(text, one & other) <= SPLICE_OVERLAP * min(_share_of(text, one), _share_of(text, other))
        for i, one in enumerate(covered)
        for other in covered[i + 1 :]
    )
