"""An action programme issued as a party document (.docx): "CHƯƠNG TRÌNH HÀNH ĐỘNG" of its organisation.

Laid out through `quantriet.core.officialdoc` (the format of Hướng dẫn 36-HD/VPTW), with the
header and the signature of the programme's organisation from `quantriet.org.letterhead`; this
module holds the programme's content only: the preamble, the tasks as one table (STT, nội dung,
chủ trì, phối hợp, thời hạn, sản phẩm, chỉ tiêu, kinh phí), the closing sentence, the signature
and "Nơi nhận:".

Decisions where the reference is silent or unconfirmed:
- The type code is CTr ("…-CTr/ĐU"). A programme's own symbol, when it is one ("12-CTr/ĐU"), is
  printed as written (its number, type and issuer codes); otherwise the number is left blank for
  the committee office, as officialdoc does for any unnumbered document.
- The date is the day the programme was approved, else the day it is printed (a draft).
- A draft or a programme under consultation carries "DỰ THẢO" in a box under the header block.
- The trích yếu is the programme's title without a leading "Chương trình hành động".
- Preamble lines in capitals ("I. MỤC ĐÍCH, YÊU CẦU") are set as headings; the tasks' section
  heading continues their Roman numbering ("II. NHIỆM VỤ CỤ THỂ"), or is unnumbered.
- The "Chỉ tiêu" cell reads "indicator: target unit" ("Tỷ lệ hồ sơ nộp trực tuyến: 70%"), the
  target with a decimal comma and no thousands points, so that `plans.importing` reads it back.
- The table is set in 11 pt (eight columns on a portrait page) and the budget in millions of
  đồng ("Kinh phí (triệu đồng)": 45.000.000 đồng is "45", 1.500.000 is "1,5"), as programmes do.
- Recipients: the committee above "(để báo cáo)" (the Ban Bí thư for a province), the units
  below "(để thực hiện)" (a cell: its members), "Lưu Văn phòng" (a cell: "Lưu chi bộ").
"""

import dataclasses
import io
import re

from django.core.exceptions import ValidationError
from django.utils import timezone

from quantriet.core.models import DRAFT
from quantriet.core.numbers import format_decimal
from quantriet.core.officialdoc import (
    body,
    first_paragraph,
    grid,
    heading,
    keep_row_together,
    new_document,
    paragraph,
    set_widths,
    write_header,
    write_signature,
    write_title,
)
from quantriet.core.text import fold, vn_date
from quantriet.core.workflow import CONSULTATION
from quantriet.documents.symbols import parse_symbol
from quantriet.org.letterhead import STANDING_KINDS, committee_name, official_header, official_signature
from quantriet.org.models import CELL_KINDS
from quantriet.org.selectors import org_ancestors

from .models import Programme

TYPE_NAME, TYPE_CODE = "Chương trình hành động", "CTr"
DRAFT_MARK = "DỰ THẢO"
#: The states in which the document is still a draft.
DRAFT_STATES = (DRAFT, CONSULTATION)
#: The task table: its column titles and widths (mm, 165 in all: the text width of officialdoc).
TASK_HEADERS = [
    "STT",
    "Nội dung nhiệm vụ",
    "Đơn vị, người chủ trì",
    "Phối hợp",
    "Thời hạn",
    "Sản phẩm",
    "Chỉ tiêu",
    "Kinh phí (triệu đồng)",
]
TASK_WIDTHS_MM = [12, 38, 23, 17, 22, 18, 20, 15]
#: The task table's type size: eight columns in 12 pt would break dates and amounts mid-number.
TASK_PT = 11
MILLION = 1_000_000
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
_ROMAN_HEADING = re.compile(r"^([IVX]+)\.\s")


def target_text(task) -> str:
    """ "Tỷ lệ hồ sơ nộp trực tuyến: 70%", "900 người", or the indicator alone."""
    measure = ""
    if task.target is not None:
        unit = task.unit.strip()
        measure = format_decimal(task.target) + (unit if unit.startswith("%") else f" {unit}" if unit else "")
    return ": ".join(part for part in (task.indicator.strip(), measure) if part)


def task_line(number: int, task) -> list:
    return [
        number,
        task.content,
        task.lead_label(),
        task.coordinating,
        vn_date(task.deadline),
        task.product,
        target_text(task),
        format_decimal(task.budget / MILLION) if task.budget is not None else "",
    ]


def summary_of(title: str) -> str:
    """The trích yếu: TITLE without a leading "Chương trình hành động" (its type name)."""
    title = " ".join(title.split())
    if fold(title).startswith(fold(TYPE_NAME)):
        rest = title[len(TYPE_NAME) :].strip()
        return rest or title
    return title


def _issuer_words(org) -> str:
    name = committee_name(org)
    return f"Ban Thường vụ {name}" if org.kind in STANDING_KINDS else name


def recipients(org, ancestors) -> list[str]:
    """ "Nơi nhận:" of ORG's programme (see the module's docstring)."""
    above = committee_name(ancestors[-1]) if ancestors else "Ban Bí thư Trung ương Đảng"
    if org.kind in CELL_KINDS:
        return [f"- {above} (để báo cáo),", "- Đảng viên trong chi bộ (để thực hiện),", "- Lưu chi bộ."]
    return [f"- {above} (để báo cáo),", "- Các tổ chức đảng trực thuộc (để thực hiện),", "- Lưu Văn phòng."]


def _header(programme: Programme, ancestors, day):
    header = official_header(programme.org, ancestors, TYPE_CODE, day)
    symbol = programme.symbol.strip()
    if not symbol:
        return header
    if symbol.isdigit():
        return dataclasses.replace(header, number=symbol)
    try:
        parsed = parse_symbol(symbol)
    except ValidationError:  # not a symbol: the committee office writes the number in
        return header
    # The number as written ("05" stays "05"); OfficialHeader prints whatever it is given.
    return dataclasses.replace(header, number=parsed.number, type_code=parsed.type_code, issuer_code=parsed.issuer_code)


def _draft_mark(document) -> None:
    """ "DỰ THẢO", bold, in a small box centred under the header block."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = document.add_table(rows=1, cols=1)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    first_paragraph(table.rows[0].cells[0], DRAFT_MARK, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    set_widths(table, [35])
    paragraph(document, after=6)


def _preamble(document, text: str) -> int:
    """Write the preamble, one paragraph a line, lines in capitals as headings; the Roman headings' count."""
    numbered = 0
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line == line.upper() and any(char.isalpha() for char in line):
            heading(document, line)
            numbered += bool(_ROMAN_HEADING.match(line))
        else:
            body(document, line)
    return numbered


def programme_docx(programme: Programme, today=None) -> bytes:
    """PROGRAMME as a party document (.docx bytes); see the module's docstring."""
    today = today or timezone.localdate()
    org = programme.org
    ancestors = org_ancestors(org)
    day = programme.approved_on or today
    tasks = list(programme.tasks.select_related("lead_org", "lead_person").order_by("number", "pk"))

    document = new_document()
    write_header(document, _header(programme, ancestors, day))
    if programme.state in DRAFT_STATES:
        _draft_mark(document)
    summary = summary_of(programme.title)
    write_title(document, TYPE_NAME, summary)
    numbered = _preamble(document, programme.preamble)
    numeral = f"{_ROMAN[numbered]}. " if 0 < numbered < len(_ROMAN) else ""
    heading(document, f"{numeral}NHIỆM VỤ CỤ THỂ")
    if tasks:
        lines = [task_line(number, task) for number, task in enumerate(tasks, start=1)]
        table = grid(document, TASK_HEADERS, lines, TASK_WIDTHS_MM, size=TASK_PT)
        for row in table.rows:  # a task is read whole: its row moves to the next page rather than split
            keep_row_together(row)
    else:
        body(document, "(Chưa có nhiệm vụ.)", italic=True)
    if org.kind in CELL_KINDS:
        follow = "Các đảng viên được giao nhiệm vụ tổ chức thực hiện, báo cáo kết quả tại sinh hoạt chi bộ hằng tháng"
    else:
        follow = (
            "Các tổ chức đảng trực thuộc, các đơn vị và cá nhân được giao chủ trì căn cứ Chương trình này xây dựng "
            f"kế hoạch cụ thể, tổ chức thực hiện và báo cáo kết quả về {committee_name(org)} theo thời hạn"
        )
    closing = body(document, f"Trên đây là Chương trình hành động {summary} của {_issuer_words(org)}. {follow}./.")
    write_signature(document, official_signature(org, day), recipients(org, ancestors), keep_with=(closing,))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
