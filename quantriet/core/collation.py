"""Vietnamese collation: the one sort order of people and units in every list and export.

The order comes from ICU's collator for the locale "vi" (CLDR's Vietnamese tailoring: đ after d,
ă and â after a, ơ after o, ư after u, tones after the bare letter), not from a table of ours.
A person is ordered by given name (tên), then middle name (tên đệm), then family name (họ), as
Vietnamese rosters are. Lists are paginated in the database, so the key is stored
(``Member.name_key``) and the database orders by it as plain text; small in-memory lists sort
with the same functions.

A stored key depends on the ICU version that computed it: after upgrading ``pyicu-wheels``,
run ``manage.py refresh_name_keys``.
"""

import functools

import icu

from quantriet.core.text import nfc

#: Room for the key of a 120-character name (about 4 hex digits per character and part);
#: a longer key is cut, which only matters between names equal over their first 150 characters.
KEY_LENGTH = 600


@functools.cache
def _collator():
    # ICU collators are safe to share between threads for sort-key computation.
    return icu.Collator.createInstance(icu.Locale("vi"))


def _key(text: str) -> bytes:
    # Every ICU sort key ends with one 0x00 byte that appears nowhere else, so keys joined
    # end to end compare part by part: the whole given name decides before the middle name.
    return bytes(_collator().getSortKey(nfc(text)))


def text_key(text: str) -> str:
    """The Vietnamese sort key of TEXT as lower-case hex (hex keeps the byte order as text order)."""
    return _key(text).hex()[:KEY_LENGTH]


def name_parts(full_name: str) -> tuple[str, str, str]:
    """(given, middle, family) of a Vietnamese full name: "Nguyễn Thị Minh Khai" → ("Khai", "Thị Minh", "Nguyễn")."""
    words = nfc(full_name).split()
    if len(words) < 2:
        return (words[0] if words else "", "", "")
    return words[-1], " ".join(words[1:-1]), words[0]


def name_key(full_name: str) -> str:
    """The sort key of a person's name: given name, then middle name, then family name."""
    return b"".join(_key(part) for part in name_parts(full_name)).hex()[:KEY_LENGTH]


def refresh_name_keys(members, batch_size=2000) -> int:
    """Recompute ``name_key`` of every member in the queryset MEMBERS (after an ICU upgrade, or in a
    migration with the historical model); returns how many keys changed."""
    changed, batch = 0, []
    for member in members.only("id", "full_name", "name_key").iterator(chunk_size=batch_size):
        key = name_key(member.full_name)
        if key != member.name_key:
            member.name_key = key
            batch.append(member)
        if len(batch) >= batch_size:
            changed += members.model.objects.bulk_update(batch, ["name_key"])
            batch.clear()
    return changed + members.model.objects.bulk_update(batch, ["name_key"])
