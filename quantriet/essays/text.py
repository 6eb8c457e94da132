"""The one cleaning of the texts members and staff type or upload (essays, comments, samples).

Its own module so that the services (which check originality) and the originality check (which
stores samples) both read it without importing each other.
"""

import re
import unicodedata

from quantriet.core.text import fold

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """NFC, no control characters (Word and XML refuse them), tidy line breaks."""
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    lines = [line.rstrip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def word_count(text: str) -> int:
    """The number of words (syllables: Vietnamese writes one per word), also in text whose spaces were lost.

    A run of letters counts one per group of vowels in it (each Vietnamese syllable has one), so
    "Nghịquyếtcủa Đảng", pasted out of a PDF, counts four, as typed with its spaces.
    """
    return sum(max(1, len(_VOWEL_GROUPS.findall(fold(token)))) for token in text.split())
