"""Action programmes to .xlsx (open in LibreOffice): the tree of programmes, and one programme's tasks.

`programmes_xlsx(rows)` writes one row per programme as given (the caller orders them, in tree
order, and annotates the task counts: `with_task_counts`); `tasks_xlsx(programme)` one row per
task with its progress, the overdue ones flagged. Both take plain objects, not requests: the
views choose what is in scope. Cells go through `core.sheets` (formulas neutralised, header row
in bold); the first columns stay in view (frozen panes).

The task sheet's column titles are those `plans.importing` reads, so a committee can export its
tasks, complete them in Excel and import them again.
"""

import io

from django.db.models import Count, Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from quantriet.core.sheets import set_widths, write_header, write_row
from quantriet.core.text import vn_date

from .models import TaskStatus
from .selectors import overdue_q

PROGRAMMES_SHEET = "Chương trình hành động"
PROGRAMME_HEADERS = [
    "Mã đơn vị",
    "Đơn vị",
    "Tên chương trình",
    "Số, ký hiệu",
    "Trạng thái",
    "Ngày thông qua",
    "Mức độ cụ thể hóa (0–100)",
    "Tỷ lệ sao chép (%)",
    "Cảnh báo",
    "Số nhiệm vụ",
    "Hoàn thành",
    "Quá hạn",
]
PROGRAMME_WIDTHS = [14, 36, 48, 14, 16, 14, 14, 12, 24, 11, 11, 10]

TASKS_SHEET = "Nhiệm vụ"
TASK_HEADERS = [
    "STT",
    "Nội dung nhiệm vụ",
    "Đơn vị chủ trì",
    "Người chủ trì",
    "Đơn vị phối hợp",
    "Thời gian bắt đầu",
    "Thời hạn",
    "Sản phẩm",
    "Chỉ tiêu đo lường",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Kinh phí (đồng)",
    "Tiến độ",
    "Kết quả đạt được",
    "Tỷ lệ đạt (%)",
    "Quá hạn",
    "Cập nhật ngày",
]
TASK_WIDTHS = [6, 60, 28, 22, 24, 12, 12, 28, 28, 10, 12, 14, 16, 12, 10, 10, 12]
OVERDUE = "Quá hạn"
_OVERDUE_FONT = Font(bold=True, color="9C0006")
_OVERDUE_FILL = PatternFill("solid", fgColor="FFC7CE")


def with_task_counts(programmes, today=None):
    """PROGRAMMES (a queryset) with `task_count`, `done_count` and `overdue_count`, as `programmes_xlsx` reads them."""
    today = today or timezone.localdate()
    late = overdue_q(today, "tasks__")
    return programmes.select_related("org").annotate(
        task_count=Count("tasks"),
        done_count=Count("tasks", filter=Q(tasks__status=TaskStatus.DONE)),
        overdue_count=Count("tasks", filter=late),
    )


def _percent(share):
    return None if share is None else round(100 * share, 1)


def programme_line(row) -> list:
    org = row.org
    return [
        org.code,
        org.name,
        row.title,
        row.symbol,
        row.state_label,
        vn_date(row.approved_on),
        row.concreteness,
        _percent(row.copied_share),
        "; ".join(row.flag_labels()),
        getattr(row, "task_count", None),
        getattr(row, "done_count", None),
        getattr(row, "overdue_count", None),
    ]


def _save(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def programmes_xlsx(rows) -> bytes:
    """One row per programme of ROWS (Programme objects with their org, and the counts of
    `with_task_counts`; a row without them leaves the counts blank)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = PROGRAMMES_SHEET
    write_header(sheet, PROGRAMME_HEADERS)
    for row in rows:
        write_row(sheet, programme_line(row))
    set_widths(sheet, PROGRAMME_WIDTHS)
    sheet.freeze_panes = "C2"
    return _save(workbook)


def _number(value):
    """A stored decimal as the spreadsheet's number: an int when whole (12, not 12.00)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def task_line(task, today) -> list:
    progress = task.progress
    return [
        task.number,
        task.content,
        task.lead_org.name if task.lead_org else "",
        task.lead_person.full_name if task.lead_person else "",
        task.coordinating,
        vn_date(task.starts_on),
        vn_date(task.deadline),
        task.product,
        task.indicator,
        _number(task.target),
        task.unit,
        _number(task.budget),
        task.get_status_display(),
        _number(task.achieved),
        None if progress is None else round(100 * progress, 1),
        OVERDUE if task.overdue(today) else "",
        vn_date(task.updated_on),
    ]


def tasks_xlsx(programme, today=None) -> bytes:
    """PROGRAMME's tasks in order, with their progress; an overdue task's "Quá hạn" cell stands out in red."""
    today = today or timezone.localdate()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = TASKS_SHEET
    write_header(sheet, TASK_HEADERS)
    overdue_column = TASK_HEADERS.index("Quá hạn") + 1
    tasks = programme.tasks.select_related("lead_org", "lead_person").order_by("number", "pk")
    for task in tasks:
        write_row(sheet, task_line(task, today))
        if task.overdue(today):
            cell = sheet.cell(row=sheet.max_row, column=overdue_column)
            cell.font, cell.fill = _OVERDUE_FONT, _OVERDUE_FILL
    set_widths(sheet, TASK_WIDTHS)
    sheet.freeze_panes = "C2"
    return _save(workbook)
