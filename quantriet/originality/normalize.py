"""Vietnamese text to syllable tokens, each with its character span.

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
