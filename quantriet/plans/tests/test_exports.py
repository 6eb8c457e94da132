"""The programme exports read back with openpyxl: the tree of programmes with their concreteness and
task counts, one programme's tasks with progress and the overdue ones flagged; and the task sheet
imported again."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from quantriet.plans import services
from quantriet.plans.exports import (
    OVERDUE,
    PROGRAMME_HEADERS,
    PROGRAMMES_SHEET,
    TASK_HEADERS,
    TASKS_SHEET,
    programmes_xlsx,
    tasks_xlsx,
    with_task_counts,
)
from quantriet.plans.importing import read_programme
from quantriet.plans.models import Programme, TaskStatus
from quantriet.plans.tests.test_concreteness import COMMUNE_PROGRAMME, PASTED

from .common import demo_plan, places, store

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 1, 15)


def _sheet(data: bytes):
    workbook = load_workbook(io.BytesIO(data))
    return workbook.worksheets[0]


def _rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def where(users):
    return places(users)


@pytest.fixture
def running(users, where):
    """The commune's programme approved, one task done, one in progress; the cell's pasted copy."""
    secretary = users["xa1.bithu"]
    commune = store(secretary, demo_plan(), where["commune"], COMMUNE_PROGRAMME, person=secretary.member)
    store(secretary, demo_plan(), where["cell"], PASTED, lead=where["commune"])
    services.programme_transition(secretary, commune, "submit")
    services.programme_transition(secretary, commune, "approve", approved_on=datetime.date(2025, 6, 1),
                                  approval_ref="Nghị quyết số 12-NQ/ĐU")  # fmt: skip
    first, second = commune.tasks.order_by("number")[:2]
    services.task_report(secretary, first, status=TaskStatus.IN_PROGRESS, achieved=Decimal(300),
                         reported_on=datetime.date(2025, 8, 1))  # fmt: skip
    services.task_report(secretary, second, status=TaskStatus.DONE, reported_on=datetime.date(2025, 7, 20))
    commune.refresh_from_db()
    return commune


def test_the_tree_of_programmes(users, where, running):
    rows = with_task_counts(Programme.objects.filter(plan=demo_plan()), TODAY).order_by("org__path")
    sheet = _sheet(programmes_xlsx(rows))
    assert sheet.title == PROGRAMMES_SHEET and sheet.freeze_panes == "C2"
    header, commune, cell = _rows(sheet)
    assert header == PROGRAMME_HEADERS and sheet["A1"].font.bold
    assert commune[:6] == [where["commune"].code, where["commune"].name, running.title, None, "Đã thông qua",
                           "01/06/2025"]  # fmt: skip
    assert commune[6] == running.concreteness and commune[7] == 0 and commune[8] is None
    # four tasks, one done; by 15/01/2026 the three others (deadlines in 2025) are overdue but one
    assert commune[9:] == [4, 1, 2]
    assert cell[1] == where["cell"].name and cell[4] == "Bản dự thảo"
    assert cell[7] >= 90 and cell[8] == "Sao chép; Chưa cụ thể hóa"


def test_the_tasks_of_a_programme_with_progress_and_overdue_flagged(users, running):
    sheet = _sheet(tasks_xlsx(running, today=TODAY))
    assert sheet.title == TASKS_SHEET and sheet.freeze_panes == "C2"
    header, first, second, third, fourth = _rows(sheet)
    assert header == TASK_HEADERS
    column = {title: index for index, title in enumerate(TASK_HEADERS)}
    assert first[column["Tiến độ"]] == "Đang thực hiện" and first[column["Kết quả đạt được"]] == 300
    assert first[column["Tỷ lệ đạt (%)"]] == pytest.approx(33.3) and first[column["Chỉ tiêu"]] == 900
    assert first[column["Thời hạn"]] == "30/09/2025" and first[column["Cập nhật ngày"]] == "01/08/2025"
    assert first[column["Người chủ trì"]] == users["xa1.bithu"].member.full_name
    assert second[column["Tiến độ"]] == "Hoàn thành" and second[column["Quá hạn"]] is None
    assert [row[column["Quá hạn"]] for row in (first, third)] == [OVERDUE, OVERDUE]
    assert fourth[column["Quá hạn"]] is None  # due 31/12/2026
    overdue = sheet.cell(row=2, column=column["Quá hạn"] + 1)
    assert overdue.font.bold and overdue.fill.fgColor.rgb.endswith("FFC7CE")


def test_a_formula_in_a_task_is_written_as_text(users, where):
    programme = services.programme_create(users["xa1.bithu"], demo_plan(), where["commune"], "Chương trình")
    services.programme_save(users["xa1.bithu"], programme, title="Chương trình", preamble="", symbol="",
                            tasks=[services.TaskInput(content="=HYPERLINK(\"http://x\")")])  # fmt: skip
    sheet = _sheet(tasks_xlsx(programme, today=TODAY))
    assert sheet["B2"].value == '\'=HYPERLINK("http://x")' and sheet["B2"].data_type == "s"


def test_the_task_sheet_imports_again(users, running):
    """A committee exports its tasks, completes them in Excel and imports them: the same tasks come back."""
    tasks = read_programme(running, "nhiem-vu.xlsx", tasks_xlsx(running, today=TODAY)).tasks
    stored = list(running.tasks.order_by("number"))
    assert [task.content for task in tasks] == [task.content for task in stored]
    assert [(task.lead_org, task.lead_person) for task in tasks] == [(t.lead_org, t.lead_person) for t in stored]
    assert [(task.deadline, task.target, task.unit, task.indicator) for task in tasks] == [
        (t.deadline, t.target, t.unit, t.indicator) for t in stored
    ]
