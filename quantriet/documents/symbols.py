"""Party document numbers and symbols ("số và ký hiệu"), as laid out in Hướng dẫn 36-HD/VPTW.

The pattern is <number>-<TYPE>/<ISSUER>, e.g. 28-CT/TU, 147-CTHĐ/TU, 128-KH/BTGDVTW. Real
files add spaces ("100 - KL/TW"), a leading "Số" with or without a colon, and write TƯ for TU.
Unknown type codes are accepted (see docs/reference/party-document-symbols.md §2).
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError

#: Type codes seen in real numbers, with the type name they usually stand for.
TYPE_NAMES = {
    "NQ": "Nghị quyết",
    "CT": "Chỉ thị",
    "KL": "Kết luận",
    "QĐ": "Quyết định / Quy định",
    "QĐI": "Quy định",
    "QC": "Quy chế",
    "HD": "Hướng dẫn",
    "KH": "Kế hoạch",
    "CTR": "Chương trình",
    "CTHĐ": "Chương trình hành động",
    "CV": "Công văn",
    "TB": "Thông báo",
    "BC": "Báo cáo",
    "TTR": "Tờ trình",
    "ĐA": "Đề án",
    "TT": "Thông tri",
    "BB": "Biên bản",
    "BS": "Bản sao",
}

_SYMBOL = re.compile(
    r"^(?:s[ốo]\s*:?\s*)?(?P<number>[0-9]{1,5})\s*-\s*(?P<type>[A-ZĐa-zđ]{1,6})\s*/\s*(?P<issuer>[A-ZĐƯa-zđư]{2,12})$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Symbol:
    number: str  # digits as written: "01" stays "01"
    type_code: str
    issuer_code: str

    def __str__(self):
        return f"{self.number}-{self.type_code}/{self.issuer_code}"

    @property
    def type_name(self):
        return TYPE_NAMES.get(self.type_code.upper(), "")


def parse_symbol(text: str) -> Symbol:
    """Parse "Số: 28 - CT/TƯ" into Symbol(28, "CT", "TU"); ValidationError in Vietnamese otherwise.

    The number is in ASCII digits: full-width forms (from an East Asian keyboard) are read as such
    (NFKC); digits of other scripts are refused, as the fuzzer found them stored as typed.
    """
    cleaned = " ".join(unicodedata.normalize("NFKC", text or "").split())
    match = _SYMBOL.match(cleaned)
    if not match:
        raise ValidationError(
            f"“{cleaned}” không đúng dạng số và ký hiệu văn bản của Đảng: số-LOẠI/CƠ QUAN, ví dụ 28-CT/TU."
        )
    type_code = match["type"].upper()
    # "QĐi" is the rare spelling of Quy định; keep its customary case.
    type_code = "QĐi" if type_code == "QĐI" else type_code.replace("CTR", "CTr")
    issuer = match["issuer"].upper().replace("Ư", "U")
    return Symbol(match["number"], type_code, issuer)
