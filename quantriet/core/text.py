"""Vietnamese text utilities shared by every app."""

import unicodedata

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
