"""How a unit of the tree issues and signs a party document: the values `core.officialdoc` lays out.

`official_header(org, ancestors, type_code, day)` and `official_signature(org, day)` give the
header block and the signature block of a document issued by ORG (ANCESTORS: its ancestors, top
first, as `Organization.objects.get_ancestors(org)` returns them). The names follow how
committees write them.

Decisions where the reference (docs/reference/party-document-symbols.md) is silent or
unconfirmed:
- The issuer code is TU for a tỉnh ủy, ĐU for other committees, CB for a chi bộ (CB is
  unconfirmed).
- A tỉnh ủy has no superior line (it sits directly under the Central Committee); every other
  organisation shows its parent's đảng bộ above its own committee name.
- The place is the commune or ward for a commune committee and the units under it, otherwise
  the province: the setting ``REPORT_PLACE`` when set, else derived from the root
  organisation's name ("Đảng bộ tỉnh Vĩnh Long" → "Vĩnh Long").
- Committees with a standing committee sign "T/M BAN THƯỜNG VỤ", grassroots committees
  "T/M ĐẢNG ỦY", cells "T/M CHI BỘ"; the position is "BÍ THƯ" and the name is the issuing
  organisation's secretary on the document's date (the position record), left blank when none
  is on record that day.
"""

import re

from django.conf import settings

from quantriet.core.officialdoc import OfficialHeader, Signature

from .models import CELL_KINDS, Organization, OrgKind, Title

#: Committees that have a standing committee (ban thường vụ) and sign on its behalf.
STANDING_KINDS = {OrgKind.TINH_UY, OrgKind.DANG_UY_XA, OrgKind.DANG_UY_KHOI}
COMMUNE_KINDS = {OrgKind.DANG_UY_XA}
_PLACE_PREFIXES = re.compile(r"^(đảng bộ|(?:đảng|tỉnh|thành) (?:ủy|uỷ))\s+", re.IGNORECASE)
_COMMITTEE_PREFIX = re.compile(r"^đảng (?:ủy|uỷ)\s+", re.IGNORECASE)
_UNIT_PREFIXES = re.compile(r"^(tỉnh|thành phố|xã|phường|đặc khu)\s+", re.IGNORECASE)


def _strip_prefix(pattern, text: str) -> str:
    return pattern.sub("", text.strip(), count=1)


def committee_name(org: Organization) -> str:
    """The committee that issues ORG's documents, in sentence case: "Tỉnh ủy Vĩnh Long", "Đảng ủy xã An Bình"."""
    name = " ".join(org.name.split())
    if org.kind in CELL_KINDS:
        return name
    if org.kind == OrgKind.TINH_UY:
        rest = _strip_prefix(_PLACE_PREFIXES, name)
        match = _UNIT_PREFIXES.match(rest)
        if match and match.group(1).lower() == "thành phố":
            return f"Thành ủy {rest[match.end() :]}"
        if match:
            return f"Tỉnh ủy {rest[match.end() :]}"
        return name
    if name.lower().startswith("đảng bộ "):
        return f"Đảng ủy {name[len('đảng bộ ') :]}"
    return name


def party_name(org: Organization) -> str:
    """The đảng bộ (or chi bộ) an organisation is, as the superior line names it."""
    name = " ".join(org.name.split())
    match = _COMMITTEE_PREFIX.match(name)
    return f"Đảng bộ {name[match.end() :]}" if match else name


def issuer_code(org: Organization) -> str:
    """The issuer part of ORG's document symbols: "TU" in "12-BC/TU"."""
    if org.kind == OrgKind.TINH_UY:
        return "TU"
    if org.kind in CELL_KINDS:
        return "CB"
    return "ĐU"


def _place_of(org: Organization) -> str:
    """ "Vĩnh Long" from "Đảng bộ tỉnh Vĩnh Long", "An Bình" from "Đảng bộ xã An Bình"."""
    return _strip_prefix(_UNIT_PREFIXES, _strip_prefix(_PLACE_PREFIXES, org.name))


def place_of_issue(org: Organization, ancestors: list[Organization]) -> str:
    """Where ORG issues a document: the commune for a commune and its units, else the province."""
    for unit in [org, *reversed(ancestors)]:
        if unit.kind in COMMUNE_KINDS:
            return _place_of(unit)
    configured = settings.REPORT_PLACE
    if configured:
        return configured
    return _place_of(ancestors[0] if ancestors else org)


def signing_collective(org: Organization) -> str:
    """The collective ORG's documents are signed on behalf of ("T/M …")."""
    if org.kind in STANDING_KINDS:
        return "T/M BAN THƯỜNG VỤ"
    if org.kind in CELL_KINDS:
        return "T/M CHI BỘ"
    return "T/M ĐẢNG ỦY"


def secretary_name(org: Organization, day) -> str:
    """The name of ORG's secretary on DAY ("" when none is on record)."""
    secretary = org.holder(Title.SECRETARY, on=day)
    return secretary.full_name if secretary else ""


def official_header(
    org: Organization, ancestors: list[Organization], type_code: str, day, number: int | None = None
) -> OfficialHeader:
    """The header block of a document of type TYPE_CODE ("BC", "CTr") that ORG issues on DAY (NUMBER None:
    left blank for the committee office to register)."""
    parent = ancestors[-1] if ancestors else None
    return OfficialHeader(
        issuer=committee_name(org),
        superior=party_name(parent) if parent is not None and org.kind != OrgKind.TINH_UY else None,
        type_code=type_code,
        issuer_code=issuer_code(org),
        place=place_of_issue(org, ancestors),
        date=day,
        number=number,
    )


def official_signature(org: Organization, day) -> Signature:
    """The secretary signs on behalf of ORG's collective."""
    return Signature(authority=signing_collective(org), position="BÍ THƯ", name=secretary_name(org, day))
