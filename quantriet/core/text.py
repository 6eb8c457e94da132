"""Vietnamese text utilities shared by every app."""

import re
import unicodedata

from django.core.exceptions import ValidationError

_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower-case TEXT and drop its diacritics, so "Nghị quyết Đảng" → "nghi quyet dang".

    Search compares folded forms on both sides; đ is not a combining mark, so it is
    mapped by hand.
    """
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def nfc(text: str) -> str:
    """Compose TEXT to NFC and collapse white space (files mix NFC and NFD Vietnamese)."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def vn_date(value) -> str:
    """dd/mm/yyyy, or an empty string for no date."""
    return value.strftime("%d/%m/%Y") if value else ""


#: The longest search text a list looks for; anything longer is cut (no name or title a person
#: searches for is longer, and a pasted page must not become a 2,000-character LIKE pattern).
SEARCH_MAX = 100


def search_text(value) -> str:
    """What a search box's VALUE searches for: white space collapsed, at most SEARCH_MAX characters."""
    return " ".join((value or "").split())[:SEARCH_MAX]


#: Characters refused in any text typed or imported, and dropped from exports: C0 controls but
#: tab, line feed and carriage return (openpyxl refuses the others; NUL breaks PostgreSQL text),
#: DEL and C1 controls, zero-width and direction-changing marks (they make a name look like
#: another one), the byte-order mark inside text, lone surrogates (PostgreSQL cannot store them)
#: and the non-characters U+FFFE/U+FFFF.
UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff\ufffe\uffff]"
)


def unprintable_problem(text) -> str:
    """Why TEXT may not be stored ("" when it may): the first unprintable character, named."""
    found = UNPRINTABLE.search(text) if isinstance(text, str) else None
    if found is None:
        return ""
    return (
        f"chứa ký tự điều khiển hoặc ký tự ẩn không hợp lệ (U+{ord(found.group()):04X}) ở vị trí {found.start() + 1}; "
        "hãy gõ lại nội dung này (thường do sao chép từ phần mềm khác)."
    )


def validate_printable(value):
    """The form and model validator of the UNPRINTABLE rule (Django's validator protocol)."""
    problem = unprintable_problem(value)
    if problem:
        raise ValidationError(problem[0].upper() + problem[1:], code="unprintable")


def printable(text: str) -> str:
    """TEXT with every UNPRINTABLE character removed: what an export writes of stored text."""
    return UNPRINTABLE.sub("", text)
