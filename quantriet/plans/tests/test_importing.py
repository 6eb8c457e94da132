"""Programmes a committee wrote in Word or Excel, imported: real .docx and .xlsx files built here,
good and bad, read into tasks for the programme's organisation and saved as a version — or refused
with every problem by row and column, and nothing written."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from openpyxl import Workbook

from quantriet.core.models import AuditEntry
from quantriet.core.sheets import SheetError
from quantriet.org.models import Organization
from quantriet.plans import services
from quantriet.plans.importing import (
    NO_TASK_TABLE,
    parse_target,
    parse_when,
    programme_import,
    read_programme,
)
from quantriet.plans.issue import programme_docx
from quantriet.plans.models import Programme
from quantriet.plans.tests.test_concreteness import COMMUNE_PROGRAMME

from .common import demo_plan, places, store

pytestmark = pytest.mark.django_db

HEADER = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Sản phẩm", "Chỉ tiêu",
          "Đơn vị tính", "Kinh phí"]  # fmt: skip


def docx_file(rows, header=HEADER, before=(), sections=()) -> bytes:
    """A programme as a committee types it in Word: the title lines, a preamble, the task table."""
    import docx

    document = docx.Document()
    for line in before:
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=len(header))
    for cell, title in zip(table.rows[0].cells, header, strict=True):
        cell.text = title
    for position, row in enumerate(rows):
        if position in sections:  # a section row: one cell merged across the table
            merged = table.add_row().cells
            merged[0].merge(merged[-1]).text = sections[position]
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
    document.add_paragraph("Trên đây là Chương trình hành động của Đảng ủy./.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_file(rows, header=HEADER, title=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


TITLE_LINES = [
    "ĐẢNG BỘ TỈNH VĨNH LONG",
    "DỰ THẢO",
    "CHƯƠNG TRÌNH HÀNH ĐỘNG",
    "thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị",
    "-----",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "Phường có 12 khu phố, 3.400 hộ; mới 41% hồ sơ thủ tục hành chính được nộp trực tuyến.",
    "II. NHIỆM VỤ CỤ THỂ",
]


@pytest.fixture
def where(users):
    return places(users)


@pytest.fixture
def programme(users, where):
    """The commune's programme, a draft with the commune's four tasks."""
    return store(users["xa1.bithu"], demo_plan(), where["commune"], COMMUNE_PROGRAMME)


def _problems(programme, name, data) -> list[str]:
    with pytest.raises(SheetError) as caught:
        read_programme(programme, name, data)
    return [str(problem) for problem in caught.value.problems]


def _unchanged(programme, version, count):
    stored = Programme.objects.get(pk=programme.pk)
    assert stored.version == version and stored.tasks.count() == count
    assert not AuditEntry.objects.filter(action="programme.import").exists()


def test_a_word_programme_is_read_with_its_title_preamble_and_tasks(users, where, programme):
    member = users["dangvien1"].member
    rows = [
        ["1", "Mở lớp hướng dẫn VNeID cho người dân tại 12 khu phố.", "Chi bộ Công an", "Đoàn Thanh niên",
         "30/9/2026", "12 buổi hướng dẫn", "900", "người", "45.000.000"],
        ["2", "Rà soát hồ sơ trực tuyến hằng quý.", "Đảng ủy phường Thanh Đức", "", "Quý III/2026",
         "Báo cáo quý", "Tỷ lệ hồ sơ trực tuyến: 70,5", "%", ""],
        ["3", "Tuyên truyền trên nhóm Zalo khu phố.", f"Đồng chí {member.full_name}", "", "01/01/2026 - 30/06/2026",
         "Bài đăng hằng tuần", "", "", "Không"],
        ["4", "Kiểm tra việc thực hiện ở các chi bộ.", "chi bo cong an", "", "Thường xuyên", "", "", "", ""],
    ]  # fmt: skip
    data = docx_file(rows, before=TITLE_LINES, sections={0: "I. CÔNG TÁC TUYÊN TRUYỀN"})
    title, preamble, tasks = read_programme(programme, "chuong-trinh.docx", data)
    assert title == "Chương trình hành động thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị"
    assert preamble.splitlines() == [TITLE_LINES[5], TITLE_LINES[6]]  # the tasks' heading is the table's
    assert [task.content[:10] for task in tasks] == ["Mở lớp hướ", "Rà soát hồ", "Tuyên truy", "Kiểm tra v"]
    police = Organization.objects.get(path__startswith=where["commune"].path, name="Chi bộ Công an")
    first, second, third, fourth = tasks
    assert first.lead_org == police and first.lead_person is None and first.coordinating == "Đoàn Thanh niên"
    assert first.deadline == datetime.date(2026, 9, 30) and first.target == 900 and first.unit == "người"
    assert first.budget == 45_000_000
    assert second.lead_org == where["commune"] and second.deadline == datetime.date(2026, 9, 30)
    assert second.indicator == "Tỷ lệ hồ sơ trực tuyến" and second.target == Decimal("70.5") and second.unit == "%"
    assert third.lead_org is None and third.lead_person == member
    assert third.starts_on == datetime.date(2026, 1, 1) and third.deadline == datetime.date(2026, 6, 30)
    assert third.budget is None
    assert fourth.lead_org == police and fourth.deadline is None


def test_importing_saves_a_version_checked_and_audited(users, where, programme):
    rows = [["1", "Mở lớp hướng dẫn VNeID tại 12 khu phố.", "Chi bộ Công an", "", "30/09/2026", "12 buổi", "900",
             "người", ""]]  # fmt: skip
    version = programme.version
    saved = programme_import(users["xa1.bithu"], programme, "chuong-trinh.docx", docx_file(rows, before=TITLE_LINES))
    assert saved
    programme.refresh_from_db()
    assert programme.version == version + 1 and programme.title.startswith("Chương trình hành động thực hiện")
    assert [task.content for task in programme.tasks.all()] == ["Mở lớp hướng dẫn VNeID tại 12 khu phố."]
    assert programme.versions.get(number=programme.version).summary == "Nhập từ tệp chuong-trinh.docx"
    assert programme.checked_at is not None and programme.concreteness is not None
    entry = AuditEntry.objects.get(action="programme.import")
    assert entry.after == {"file": "chuong-trinh.docx", "tasks": 1}


def test_every_bad_row_is_reported_and_nothing_is_written(users, where, programme):
    rows = [
        ["1", "Mở lớp hướng dẫn.", "Chi bộ ấp Không Có", "", "30/09/2026", "", "", "", ""],
        ["2", "Rà soát hồ sơ.", "Chi bộ Công an", "", "31/02/2026", "", "", "", ""],
        ["3", "Tuyên truyền.", "Chi bộ Công an", "", "", "", "-5", "người", ""],
        ["4", "", "Chi bộ Công an", "", "30/09/2026", "Báo cáo", "", "", ""],
        ["5", "Kiểm tra.", "Chi bộ Công an", "", "", "", "1.500", "người", "45,5"],
    ]
    version, count = programme.version, programme.tasks.count()
    data = docx_file(rows)
    found = _problems(programme, "ct.docx", data)
    commune = where["commune"].name
    assert found == [
        f"Dòng 2, cột “Đơn vị chủ trì”: không tìm thấy đơn vị chủ trì “Chi bộ ấp Không Có” trong {commune}, "
        "các đơn vị trực thuộc và cấp trên, cũng không có đảng viên nào tên như vậy; hãy ghi đúng tên đơn vị "
        "(hoặc mã đơn vị) hay họ tên đảng viên.",
        "Dòng 3, cột “Thời hạn”: thời hạn “31/02/2026” không hợp lệ; ghi ngày theo dạng dd/mm/yyyy (ví dụ 30/06/2026).",
        "Dòng 4, cột “Chỉ tiêu”: chỉ tiêu không được âm.",
        "Dòng 5, cột “Nội dung nhiệm vụ”: chưa có nội dung nhiệm vụ.",
        "Dòng 6, cột “Chỉ tiêu”: “1.500” có thể là 1 nghìn 500 hoặc 1 phẩy 500. Hãy viết 1500 nếu là số nguyên, "
        "hoặc 1,500 nếu là số thập phân.",
        "Dòng 6, cột “Kinh phí”: “45,5” không phải là một số tiền bằng đồng. Hãy viết số đồng, nhóm hàng nghìn bằng "
        "dấu chấm hoặc không nhóm (ví dụ 45.000.000 hoặc 45000000), không có phần lẻ.",
    ]
    with pytest.raises(SheetError):
        programme_import(users["xa1.bithu"], programme, "ct.docx", data)
    _unchanged(programme, version, count)


def test_a_word_file_without_a_task_table_is_refused(users, programme):
    import docx

    document = docx.Document()
    document.add_paragraph("CHƯƠNG TRÌNH HÀNH ĐỘNG")
    document.add_paragraph("Các chi bộ tổ chức học tập nghị quyết trong quý III.")
    layout = document.add_table(rows=1, cols=2)  # a header block is a table, but no task table
    layout.rows[0].cells[0].text, layout.rows[0].cells[1].text = "ĐẢNG ỦY PHƯỜNG", "ĐẢNG CỘNG SẢN VIỆT NAM"
    out = io.BytesIO()
    document.save(out)
    version, count = programme.version, programme.tasks.count()
    assert _problems(programme, "ct.docx", out.getvalue()) == [f"Tệp: {NO_TASK_TABLE}"]
    assert _problems(programme, "ct.docx", "Chương trình hành động".encode()) == [
        "Tệp: Tệp “ct.docx” không phải tệp .docx hợp lệ (có thể đã bị đổi đuôi)."
    ]
    assert _problems(programme, "ct.pdf", b"%PDF-1.4") == [
        "Tệp: Chỉ nhận chương trình viết bằng Word (.docx) hoặc Excel (.xlsx, .csv)."
    ]
    _unchanged(programme, version, count)


def test_an_excel_programme_with_headers_without_diacritics(users, where, programme):
    header = ["TT", "Noi dung", "Don vi chu tri", "Nguoi chu tri", "Thoi gian", "San pham", "Chi tieu", "DVT",
              "Kinh phi (trieu dong)"]  # fmt: skip
    member = users["dangvien1"].member
    rows = [
        [1, "Mở lớp hướng dẫn VNeID.", "TVL-X001-C03", "", datetime.datetime(2026, 9, 30), "12 buổi", 12.5, "buổi",
         1.5],
        [2, "Tuyên truyền trên Zalo.", "", member.full_name, "tháng 6/2026", "Bài đăng", None, None, None],
    ]  # fmt: skip
    title, preamble, tasks = read_programme(programme, "ct.xlsx", xlsx_file(rows, header, title="DANH MỤC NHIỆM VỤ"))
    assert (title, preamble) == ("", "")
    assert tasks[0].lead_org.code == "TVL-X001-C03" and tasks[0].deadline == datetime.date(2026, 9, 30)
    assert tasks[0].target == Decimal("12.5") and tasks[0].unit == "buổi" and tasks[0].budget == 1_500_000
    assert tasks[1].lead_person == member and tasks[1].deadline == datetime.date(2026, 6, 30)
    version = programme.version
    assert programme_import(users["xa1.bithu"], programme, "ct.xlsx", xlsx_file(rows, header))
    programme.refresh_from_db()
    assert programme.version == version + 1 and programme.tasks.count() == 2
    assert programme.preamble == COMMUNE_PROGRAMME.preamble  # a sheet has none: the programme keeps its own


def test_bad_excel_rows_name_the_row_and_column(users, where, programme):
    rows = [
        [1, "Mở lớp.", "Chi bộ Công an", "", "30/09/2026", "", 900, "người", ""],
        [2, "Rà soát.", "Chi bộ ấp Không Có", "", "hết năm", "", "", "", ""],
    ]
    found = _problems(programme, "ct.xlsx", xlsx_file(rows))
    assert found[0].startswith("Dòng 3, cột “Đơn vị chủ trì”: không tìm thấy đơn vị chủ trì “Chi bộ ấp Không Có” trong")
    assert found[1] == (
        "Dòng 3, cột “Thời hạn”: thời hạn “hết năm” không hợp lệ; ghi ngày theo dạng dd/mm/yyyy (ví dụ 30/06/2026)."
    )
    assert _problems(programme, "ct.xlsx", xlsx_file([["a", "b"]], header=["Họ và tên", "Ngày sinh"])) == [
        f"Tệp: {NO_TASK_TABLE}"
    ]
    twice = xlsx_file([["Mở lớp.", "Chi bộ Công an", "31/12/2026", "Chi bộ Quân sự"]],
                      header=["Nội dung", "Đơn vị chủ trì", "Thời hạn", "Chủ trì"])  # fmt: skip
    assert _problems(programme, "ct.xlsx", twice) == [
        "Dòng 1, cột “Chủ trì”: cột này xuất hiện hai lần trong dòng tiêu đề."
    ]
    person = xlsx_file(
        [["Mở lớp.", "Chi bộ Công an", "Nguyễn Không Có"]], header=["Nội dung", "Chủ trì", "Người chủ trì"]
    )
    assert _problems(programme, "ct.xlsx", person) == [
        f"Dòng 2, cột “Người chủ trì”: không tìm thấy đảng viên “Nguyễn Không Có” trong {where['commune'].name}."
    ]


def test_a_lead_outside_the_unit_is_not_found(users, where):
    """A cell's programme cannot name a sibling cell: only its own subtree and the levels above."""
    cell = services.programme_create(users["xa1.bithu"], demo_plan(), where["cell"], "Chương trình của chi bộ")
    sibling = where["sibling"]
    found = _problems(cell, "ct.xlsx", xlsx_file([[1, "Mở lớp.", sibling.name, "", "", "", "", "", ""]]))
    assert found[0].startswith(f"Dòng 2, cột “Đơn vị chủ trì”: không tìm thấy đơn vị chủ trì “{sibling.name}”")
    # "Đảng ủy" in a cell's programme is the commune above it; "Chi ủy" the cell itself.
    rows = [[1, "Báo cáo.", "Đảng ủy", "", "", "", "", "", ""], [2, "Họp.", "Chi ủy", "", "", "", "", "", ""]]
    tasks = read_programme(cell, "ct.xlsx", xlsx_file(rows)).tasks
    assert [task.lead_org for task in tasks] == [where["commune"], where["cell"]]


def test_the_same_name_in_two_communes_asks_for_the_code(users, where):
    province = services.programme_create(users["admin"], demo_plan(), where["province"], "Chương trình của Tỉnh ủy")
    found = _problems(province, "ct.xlsx", xlsx_file([[1, "Mở lớp.", "Chi bộ Công an", "", "", "", "", "", ""]]))
    assert "đơn vị tên “Chi bộ Công an”" in found[0] and "hãy ghi mã đơn vị" in found[0]


def test_only_the_committee_imports(users, programme):
    """Refused before the file is read: no one probes the unit's names by importing."""
    with pytest.raises(PermissionDenied):  # a member sees the draft, to comment on it
        programme_import(users["dangvien1"], programme, "ct.docx", b"not even a file")
    with pytest.raises(Http404):  # another commune does not see it
        programme_import(users["xa2.bithu"], programme, "ct.docx", b"not even a file")


def test_an_issued_programme_reads_back_as_it_is(users, where):
    """What plans.issue prints, plans.importing reads: re-importing the issued file changes nothing."""
    programme = store(users["xa1.bithu"], demo_plan(), where["commune"], COMMUNE_PROGRAMME,
                      person=users["xa1.bithu"].member,
                      title="Chương trình hành động thực hiện Nghị quyết số 57-NQ/TW")  # fmt: skip
    tasks = [services.TaskInput(**{**vars(task), "id": None}) for task in read_programme(
        programme, "a.docx", programme_docx(programme)).tasks]  # fmt: skip
    tasks[0].budget, tasks[0].coordinating = Decimal(45_000_000), "Đoàn Thanh niên, Hội Nông dân"
    services.programme_save(users["xa1.bithu"], programme, title=programme.title, preamble=programme.preamble,
                            symbol="", tasks=tasks)  # fmt: skip
    programme.refresh_from_db()
    version = programme.version
    assert programme_import(users["xa1.bithu"], programme, "a.docx", programme_docx(programme)) is False
    assert Programme.objects.get(pk=programme.pk).version == version


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30/6/2026", (None, datetime.date(2026, 6, 30))),
        ("1.7.2026", (None, datetime.date(2026, 7, 1))),
        ("Trước ngày 15-08-2026", (None, datetime.date(2026, 8, 15))),
        ("Tháng 2/2028", (None, datetime.date(2028, 2, 29))),
        ("Quý IV năm 2026", (None, datetime.date(2026, 12, 31))),
        ("Năm 2027", (None, datetime.date(2027, 12, 31))),
        ("Từ 01/3/2026 đến 31/5/2026", (datetime.date(2026, 3, 1), datetime.date(2026, 5, 31))),
        ("Thường xuyên", (None, None)),
        ("", (None, None)),
    ],
)
def test_deadlines_as_committees_write_them(text, expected):
    assert parse_when(text) == expected


@pytest.mark.parametrize("text", ["30/6", "32/01/2026", "sớm", "2026/06/30/01", "01/01/2026 - 01/02/2026 - 2027"])
def test_deadlines_that_are_not_dates(text):
    with pytest.raises(ValueError, match="không hợp lệ"):
        parse_when(text)


def test_targets_read_with_a_decimal_comma():
    assert parse_target("2,5") == ("", Decimal("2.5"), "")
    assert parse_target("Số người được hướng dẫn: 900 người") == ("Số người được hướng dẫn", Decimal(900), "người")
    assert parse_target("Đạt trên 90% đảng viên") == ("Đạt trên 90% đảng viên", None, "")
    assert parse_target(7) == ("", Decimal(7), "")


def test_a_csv_with_semicolons_and_a_decimal_comma(programme):
    data = "Nội dung nhiệm vụ;Đơn vị chủ trì;Thời hạn;Chỉ tiêu;Đơn vị tính;Kinh phí\n"
    data += "Mở lớp hướng dẫn.;Chi bộ Quân sự;5/10/2026;2,5;%;12.000.000\n"
    (task,) = read_programme(programme, "ct.csv", data.encode()).tasks
    assert task.lead_org.name == "Chi bộ Quân sự" and task.deadline == datetime.date(2026, 10, 5)
    assert task.target == Decimal("2.5") and task.unit == "%" and task.budget == 12_000_000
