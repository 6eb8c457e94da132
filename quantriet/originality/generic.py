"""Does an essay say anything local or personal? The "generic essay" detector.

A sample essay from the internet talks about "địa phương, cơ quan, đơn vị" in general; an honest
one names its hamlet, its unit and its people, gives its own figures and commits its author to
something. The evidence found is returned with the score so a reviewer can see why. Only the
body counts: the short lines on top (title, "Họ và tên: …, Chi bộ …") name every author's place.
"""

import re
from dataclasses import dataclass

from quantriet.core.text import fold

from .normalize import NAME_RUN_PATTERN, UPPERCASE

#: An essay scoring below this is generic.
GENERIC_BELOW = 0.5
#: Paragraphs shorter than this (in words) are headings or the author's line, not the body.
BODY_PARAGRAPH = 30
_WEIGHTS = {"names": 0.5, "figures": 0.3, "commitments": 0.2}

_NAMES = re.compile(NAME_RUN_PATTERN)
# The patterns below are matched on the lower-cased text (case-insensitive matching of Vietnamese
# letters costs the regular-expression engine three times as much): their letters are lower case.
_LOWERCASE = "".join(sorted({ch.lower() for ch in UPPERCASE}))
_UNIT_NUMBER = re.compile(r"\b(?:ấp|khóm|thôn|tổ|xóm|khu phố|chi bộ|phường|xã)\s+\d+\b")
#: Capitalised runs every essay has: the party, the state, the resolution's own issuers, titles.
_COMMON_NAMES = {
    fold(name)
    for name in [
        "Việt Nam", "Hồ Chí Minh", "Đảng Cộng", "Ban Thường", "Ban Chấp", "Bộ Chính", "Trung Ương",
        "Tỉnh Ủy", "Nhà Nước", "Quốc Hội", "Bài Thu Hoạch", "Bài Thu Hoạch Cá Nhân", "Chỉ Thị", "Nghị Quyết",
        "Tổ Quốc", "Mặt Trận Tổ Quốc", "Ban Tuyên", "Họ Và Tên",
    ]
}  # fmt: skip
_DOCUMENT_REFERENCE = re.compile(
    r"(?:(?:chỉ thị|nghị quyết|kết luận|quy định|đề án|hướng dẫn|kế hoạch|số|lần thứ)\s+(?:số\s+)?\d+[\w/-]*"
    rf"|\d+-[{_LOWERCASE}]+(?:/[{_LOWERCASE}]+)+)(?:,?\s+ngày\s+\d{{1,2}}/\d{{1,2}}/\d{{4}})?"
)
_FIGURE = re.compile(r"\d+(?:[.,/]\d+)*\s*%?")
_COMMITMENT = re.compile(r"\b(?:tôi|bản thân|cam kết|phấn đấu|đăng ký|xin hứa|chúng tôi)\b")


@dataclass(frozen=True, slots=True)
class GenericReport:
    score: float
    names: list[str]  # places, units, people
    figures: list[str]
    commitments: list[str]

    @property
    def generic(self) -> bool:
        return self.score < GENERIC_BELOW


def generic_report(text: str) -> GenericReport:
    """How local and personal TEXT is, 0 (a template) to 1, with the names, figures and commitments found."""
    text = _body(text)
    lowered = _lowered(text)
    names = _distinct(
        [m.group() for m in _NAMES.finditer(text) if fold(m.group()) not in _COMMON_NAMES]
        + [text[m.start() : m.end()] for m in _UNIT_NUMBER.finditer(lowered)]
    )
    figures = _distinct(m.group().strip() for m in _FIGURE.finditer(_DOCUMENT_REFERENCE.sub(" ", lowered)))
    commitments = _distinct(m.group() for m in _COMMITMENT.finditer(lowered))
    score = (
        _WEIGHTS["names"] * min(1.0, len(names) / 2)
        + _WEIGHTS["figures"] * min(1.0, len(figures) / 2)
        + _WEIGHTS["commitments"] * min(1.0, len(commitments))
    )
    return GenericReport(round(score, 3), names, figures, commitments)


def _lowered(text: str) -> str:
    """TEXT in lower case, character for character (a character whose lower case is longer stays as it is)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def _body(text: str) -> str:
    paragraphs = [line for line in text.splitlines() if len(line.split()) >= BODY_PARAGRAPH]
    return "\n".join(paragraphs) if paragraphs else text


def _distinct(items) -> list[str]:
    return list(dict.fromkeys(items))
