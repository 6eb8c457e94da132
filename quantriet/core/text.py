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
