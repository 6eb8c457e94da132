"""Rotating signed check-in codes.

The class board's screen shows a code that changes every `checkin_interval` seconds. A code is
`<conference id>.<slot>.<mac>`, where slot = unix time // interval and mac is an HMAC of the
first two parts under the site secret and the conference's own key. The current and the previous
slot are accepted, so a member scanning just as the code turns is not refused.
"""

import hashlib
import hmac
import re

from django.conf import settings
from django.utils import timezone

_CODE = re.compile(r"^(\d{1,19})\.(\d{1,12})\.([0-9a-f]{20})$")
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


def parse_code(code: str):
    """(conference id, slot, mac) of a well-formed code, else None."""
    match = _CODE.match((code or "").strip())
    if not match:
        return None
    return int(match[1]), int(match[2]), match[3]


def is_authentic(conference, slot: int, mac: str) -> bool:
    return hmac.compare_digest(_mac(conference.pk, slot, conference.checkin_key), mac)
