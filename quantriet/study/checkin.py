"""Rotating signed check-in codes.

The class board's screen shows a code that changes every `checkin_interval` seconds. A code is
`<conference id>.<slot>.<mac>`, where slot = unix time // interval and mac is an HMAC of the
first two parts under the site secret and the conference's own key. The current and the previous
slot are accepted, so a member scanning just as the code turns is not refused.

Nobody types 33 characters on a phone, so the screen also shows a six-digit code of the same slot,
derived from another HMAC of the same conference and slot. It carries no conference id or slot:
the server tries the slots it would accept (and a few older ones, to tell "expired" from "wrong").
A million codes can be guessed, so wrong six-digit attempts are limited per member and conference
(`FAILURES_ALLOWED` within `LOCK_MINUTES`); scanning the QR still works meanwhile.
"""

import hashlib
import hmac
import re

from django.conf import settings
from django.utils import timezone

_CODE = re.compile(r"^(\d{1,19})\.(\d{1,12})\.([0-9a-f]{20})$")
#: Six digits, typed with or without spaces ("123 456").
_SHORT = re.compile(r"^\d{6}$")
SHORT_DIGITS = 6
#: A short code this many slots old is recognised as expired rather than wrong.
SHORT_LOOKBACK_SLOTS = 20
#: Wrong codes a member may type for one conference within LOCK_MINUTES before being refused for a while.
FAILURES_ALLOWED = 5
LOCK_MINUTES = 10
#: Members may check in this long before the start.
EARLY_MINUTES = 15
#: Checking in later than this after the start counts as "đi muộn".
LATE_AFTER_MINUTES = 15


def current_slot(conference, at=None) -> int:
    at = at or timezone.now()
    return int(at.timestamp()) // conference.checkin_interval


def _mac(conference_id: int, slot: int, key: str) -> str:
    message = f"{conference_id}.{slot}".encode()
    secret = f"{settings.SECRET_KEY}:{key}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:20]


def make_code(conference, slot=None) -> str:
    slot = current_slot(conference) if slot is None else slot
    return f"{conference.pk}.{slot}.{_mac(conference.pk, slot, conference.checkin_key)}"


def make_short_code(conference, slot=None) -> str:
    """The six digits shown under the QR code for SLOT (the current one by default)."""
    slot = current_slot(conference) if slot is None else slot
    message = f"so:{conference.pk}.{slot}".encode()
    secret = f"{settings.SECRET_KEY}:{conference.checkin_key}".encode()
    number = int(hmac.new(secret, message, hashlib.sha256).hexdigest()[:15], 16) % 10**SHORT_DIGITS
    return f"{number:0{SHORT_DIGITS}d}"


def parse_short_code(code: str):
    """The six digits of a typed short code (spaces allowed between them), else None."""
    digits = "".join((code or "").split())
    return digits if _SHORT.match(digits) else None


def short_code_slot(conference, digits: str, newest: int, oldest: int):
    """The newest slot from NEWEST down to OLDEST whose short code is DIGITS, else None."""
    for slot in range(newest, oldest - 1, -1):
        if hmac.compare_digest(make_short_code(conference, slot), digits):
            return slot
    return None


def parse_code(code: str):
    """(conference id, slot, mac) of a well-formed code, else None."""
    match = _CODE.match((code or "").strip())
    if not match:
        return None
    return int(match[1]), int(match[2]), match[3]


def is_authentic(conference, slot: int, mac: str) -> bool:
    return hmac.compare_digest(_mac(conference.pk, slot, conference.checkin_key), mac)
