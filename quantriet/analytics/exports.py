"""The fidelity rows of one organisation's subtree to .xlsx (opens in LibreOffice).

One sheet with a row per unit in tree order: index, decay, flags, state (a unit not yet due has no
index and its figures are marked partial), each component in percent, the
accountable head and the member figures. Text cells go through ``core.sheets.neutralise``.
"""

from openpyxl import Workbook

from quantriet.core.sheets import write_header, write_row
from quantriet.core.text import vn_date

from .components import COMPONENTS, NOT_DUE_NOTE, percent_of
from .dashboard import subtree_rows

SHEET = "Chỉ số làm kỹ"
HEADERS = [
    "Mã",
    "Tổ chức đảng",
    "Cấp",
    "Chỉ số làm kỹ",
    "Chỉ số cấp trên",
    "Thấp hơn cấp trên (điểm)",
    "Cảnh báo",
    "Tình trạng",
    *[f"{c.label} ({percent_of(c.key)})" for c in COMPONENTS],
    "Người chịu trách nhiệm",
    "Hạn",
    "Ngày tổ chức",
    "Số đảng viên",
    "Dự học",
    "Vắng không lý do",
    "Đã nộp thu hoạch",
    # The bases of the rates above (a unit not yet due: partial figures).
    "Phải dự học",
    "Phải viết thu hoạch",
    "Đã làm bài kiểm tra",
    "Đạt bài kiểm tra",
]


def _percent(value):
    return None if value is None else round(100 * value, 1)


def fidelity_line(row) -> list:
    return [
        row.org.code,
        row.org.name,
        row.get_level_display(),
        row.index,
        row.parent_index,
        row.decay,
        "; ".join(row.flag_labels()),
        f"{row.state_label()} — {NOT_DUE_NOTE}" if row.not_due else row.state_label(),
        *[_percent(row.components.get(c.key)) for c in COMPONENTS],
        row.head.full_name if row.head else "",
        vn_date(row.deadline),
        vn_date(row.held_on),
        row.members,
        row.attended,
        row.unexcused,
        row.submitted,
        row.expected,
        row.writers,
        row.took,
        row.passed,
    ]


def write_fidelity_xlsx(plan, org, out) -> int:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    write_header(sheet, HEADERS)
    count = 0
    for row in subtree_rows(plan, org).select_related("org", "head").order_by("path").iterator(chunk_size=2000):
        write_row(sheet, fidelity_line(row))
        count += 1
    sheet.freeze_panes = "C2"
    workbook.save(out)
    return count
