"""Vietnamese text to what is compared: a stream of folded letters (the engine), or syllable tokens.

The engine compares the matching stream (`symbols`, `batch_symbols`, below): letters and digits folded to
plain lower-case letters, spaces and punctuation dropped, so unaccented and glued copies match.
The syllable tokens (`tokenize`, `words`) are the earlier representation, kept to measure against
(docs/originality.md) and to read a text's vocabulary. Syllables:

Vietnamese writes every syllable as a space-separated word, so a token is a syllable. The text is
composed to NFC first (files mix NFC and NFD) and the spans point into that NFC text. Punctuation
is dropped; words are lower-cased and, optionally, folded to plain letters (`core.text.fold`).
Two masks make light disguises useless:

- a run of two or more capitalised syllables ("Nguyễn Văn An", "Long Đức", "BÀI THU HOẠCH")
  becomes one NAME token, so swapping names and places changes nothing;
- a number ("15", "1.250", "19/10/2022") becomes one NUMBER token, so edited figures change nothing.
"""

import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from quantriet.core.text import fold

NAME = "⟨tên⟩"
NUMBER = "⟨số⟩"

_LATIN_RANGES = [(0x41, 0x5B), (0xC0, 0x250), (0x1E00, 0x1F00)]
#: The capital letters of Vietnamese (and Latin) script, for regular-expression classes.
UPPERCASE = "".join(chr(c) for lo, hi in _LATIN_RANGES for c in range(lo, hi) if chr(c).isupper())
#: Two or more capitalised syllables on one line: a person, a place, a unit, an all-caps title.
NAME_RUN_PATTERN = rf"(?P<name>[{UPPERCASE}]\w*(?:[ \t\u00a0]+[{UPPERCASE}]\w*)+)"
_NUMBER = r"(?P<number>\d+(?:[.,:/-]\d+)*)"
_WORD = r"(?P<word>[^\W\d_]+)"
_WITH_NAMES = re.compile(f"{NAME_RUN_PATTERN}|{_NUMBER}|{_WORD}")
_PLAIN = re.compile(f"{_NUMBER}|{_WORD}")
_FOLD = {
    ord(ch): fold(ch)
    for lo, hi in _LATIN_RANGES
    for ch in map(chr, range(lo, hi))
    if ch.isalpha() and ch.islower() and fold(ch) != ch
}


@dataclass(frozen=True, slots=True)
class Tokens:
    """The syllable tokens of TEXT (NFC) and, for each, its (start, end) character span in TEXT."""

    text: str
    words: list[str]
    spans: list[tuple[int, int]]


def words(text: str, *, fold_diacritics: bool = False, mask_names: bool = True, mask_numbers: bool = True):
    """The tokens of TEXT without their spans: the fast path (`re.findall`) for hashing."""
    pattern = _WITH_NAMES if mask_names else _PLAIN
    groups = pattern.findall(unicodedata.normalize("NFC", text or ""))
    if not mask_names:
        groups = [("", number, word) for number, word in groups]
    return [_word(name, number, word, fold_diacritics, mask_numbers) for name, number, word in groups]


def tokenize(text: str, *, fold_diacritics: bool = False, mask_names: bool = True, mask_numbers: bool = True):
    """TEXT as Tokens: the same words as `words`, each with its character span in the NFC text."""
    text = unicodedata.normalize("NFC", text or "")
    found, spans = [], []
    for match in (_WITH_NAMES if mask_names else _PLAIN).finditer(text):
        groups = match.groupdict()
        found.append(_word(groups.get("name"), groups["number"], groups["word"], fold_diacritics, mask_numbers))
        spans.append(match.span())
    return Tokens(text, found, spans)


def _word(name: str | None, number: str | None, word: str | None, fold_diacritics: bool, mask_numbers: bool) -> str:
    """The token for one match: exactly one of NAME, NUMBER, WORD is non-empty."""
    if name:
        return NAME
    if number:
        return NUMBER if mask_numbers else number
    word = word.lower()
    return word.translate(_FOLD) if fold_diacritics else word


# ---------------------------------------------------------------- the matching stream
#
# What is compared: the text as a stream of symbols, one per letter or digit, folded (no
# diacritics, đ → d, lower case) with spaces and punctuation dropped. A copy typed without
# diacritics, or pasted out of a PDF with its spaces lost ("Nghịquyếtcủa Đảng"), gives the same
# stream as the original. Each symbol keeps the span of the NFC text it stands for, so passages
# found on the stream are shown on the original text. Names and numbers are masked before the
# spaces go, as in the syllable tokens: a run of two or more capitalised syllables becomes one NAME
# symbol, a number one NUMBER symbol. A capitalised syllable here is a capital letter with at most
# six more letters after it up to the end of the word (Vietnamese syllables have at most seven
# letters: "nghiêng"), so a glued run ("Nghịquyếtcủa Đảng") is not taken for a name. Everything is
# array operations over the code points (no regular expression: one over the text cost more than
# the rest of the engine), and many texts are coded in one pass (`batch_symbols`).

#: Symbols: 0 drops the character; 1–26 the folded letters a–z; 27–36 the ASCII digits; then the masks
#: and any other letter or digit (other scripts). All fit in 6 bits.
SYMBOL_NAME, SYMBOL_NUMBER, SYMBOL_OTHER = 37, 38, 39
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
#: Character classes for the masks.
_OTHER, _LOWER, _UPPER, _DIGIT, _NUMBER_SEPARATOR, _GAP = range(6)
_SYLLABLE_LETTERS = 7


def _tables() -> tuple[np.ndarray, np.ndarray]:
    """The symbol and the class of every character of the Basic Multilingual Plane (others are dropped)."""
    symbols, classes = np.zeros(0x10000, dtype=np.uint8), np.zeros(0x10000, dtype=np.uint8)
    capitals = set(UPPERCASE)
    for code in range(0x10000):
        char = chr(code)
        if char in " \t\u00a0":
            classes[code] = _GAP
        elif char in ".,:/-":
            classes[code] = _NUMBER_SEPARATOR
        if not char.isalnum():
            continue
        folded = fold(char) if code < 0x2000 else ""
        symbols[code] = _ALPHABET.index(folded) + 1 if len(folded) == 1 and folded in _ALPHABET else SYMBOL_OTHER
        if "0" <= char <= "9":
            classes[code] = _DIGIT
        elif char.isalpha():
            classes[code] = _UPPER if char in capitals else _LOWER
    symbols[0xFFFF] = classes[0xFFFF] = 0  # stands for every character beyond the plane (`np.minimum` below)
    return symbols, classes


_SYMBOLS, _CLASSES = _tables()


def symbols(text: str, *, mask_names: bool = True, mask_numbers: bool = True) -> np.ndarray:
    """TEXT (composed to NFC) as its stream of matching symbols."""
    codes = _coded(unicodedata.normalize("NFC", text or ""), mask_names, mask_numbers)
    return codes[codes != 0]


def batch_symbols(texts: list[str], *, mask_names: bool = True, mask_numbers: bool = True):
    """The symbols of many TEXTS at once: (all symbols end to end, where each text's symbols start).

    The texts are joined by line breaks (which no mask crosses) and coded in one pass, so a batch
    costs a few array operations rather than a few per text. OFFSETS has one more entry than TEXTS.
    """
    composed = [unicodedata.normalize("NFC", text or "") for text in texts]
    codes = _coded("\n".join(composed), mask_names, mask_numbers)
    kept = np.flatnonzero(codes)
    breaks = np.cumsum(np.fromiter(map(len, composed), dtype=np.int64, count=len(composed)) + 1) - 1
    offsets = np.zeros(len(composed) + 1, dtype=np.int64)
    offsets[1:] = np.searchsorted(kept, breaks)  # each text's line break (or the end)
    return codes[kept], offsets


def letters_and_digits(text: str) -> np.ndarray:
    """The symbol of each character of TEXT without masks: 1–26 the folded letters, 27–36 the digits, 0
    anything else (other scripts included). What the sentence aligner (`align`) reads."""
    codes = _SYMBOLS[np.minimum(np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32), 0xFFFF)]
    return np.where(codes < SYMBOL_NAME, codes, 0).astype(np.uint8)


def _coded(text: str, mask_names: bool, mask_numbers: bool) -> np.ndarray:
    """The symbol of each character of the NFC TEXT (0: dropped), masks applied (on the first character of each)."""
    points = np.minimum(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32), 0xFFFF)
    codes = _SYMBOLS[points]
    classes = _CLASSES[points]
    for wanted, spans, symbol in (
        (mask_names, _name_spans, SYMBOL_NAME),
        (mask_numbers, _number_spans, SYMBOL_NUMBER),
    ):
        if not wanted:
            continue
        starts, stops = spans(classes)
        codes[_inside(starts + 1, stops)] = 0
        codes[starts] = symbol
    return codes


def _inside(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """Every position of the ranges [starts[i], stops[i]) (empty ranges allowed), in one array."""
    lengths = np.maximum(stops - starts, 0)
    total = int(lengths.sum())
    firsts = np.cumsum(lengths) - lengths  # where each range begins in the result
    return np.repeat(starts - firsts, lengths) + np.arange(total)


def _number_spans(classes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Numbers: digits, with single separators between digits ("1.250", "19/10/2022", "2,1")."""
    digits = np.flatnonzero(classes == _DIGIT)
    if not len(digits):
        return digits, digits
    step = np.diff(digits)
    joined = (step == 1) | ((step == 2) & (classes[digits[:-1] + 1] == _NUMBER_SEPARATOR))
    last = np.flatnonzero(~joined)  # the digit ending each number but the last
    return digits[np.concatenate([[0], last + 1])], digits[np.concatenate([last, [len(digits) - 1]])] + 1


def _name_spans(classes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Runs of two or more capitalised syllables separated by spaces or tabs on one line."""
    capitals = np.flatnonzero(classes == _UPPER)
    if len(capitals) < 2:
        return capitals[:0], capitals[:0]
    non_letters = np.flatnonzero(classes - np.uint8(_LOWER) > 1)  # uint8: _OTHER wraps to 255
    word_stops = np.append(non_letters, len(classes))[np.searchsorted(non_letters, capitals)]
    short = word_stops - capitals <= _SYLLABLE_LETTERS  # at most seven letters from here to the word's end
    capitals, word_stops = capitals[short], word_stops[short]
    first = np.ones(len(capitals), dtype=bool)  # a syllable starts at the first such capital of its word
    first[1:] = word_stops[1:] != word_stops[:-1]
    starts, stops = capitals[first], word_stops[first]
    gaps = np.flatnonzero(classes == _GAP)
    between = starts[1:] - stops[:-1]
    gaps_between = np.searchsorted(gaps, starts[1:]) - np.searchsorted(gaps, stops[:-1])
    linked = np.zeros(len(starts) + 1, dtype=bool)  # links i..j-1 join syllables i..j
    linked[1:-1] = (between > 0) & (gaps_between == between)
    edges = np.flatnonzero(linked[1:] != linked[:-1])
    first_links, link_stops = edges[0::2], edges[1::2]
    return starts[first_links], stops[link_stops]
