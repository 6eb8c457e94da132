"""The programme issued as a party document: the .docx read back with python-docx — the header of
its organisation, the type and trích yếu, the symbol, the draft mark, the task table, the
signature and the recipients."""

import datetime
import io
from decimal import Decimal

import pytest

from quantriet.plans import services
from quantriet.plans.issue import DRAFT_MARK, TASK_HEADERS, programme_docx, summary_of
from quantriet.plans.tests.test_concreteness import COMMUNE_PROGRAMME

from .common import demo_plan, places, store, task_inputs

pytestmark = pytest.mark.django_db


def _read(data: bytes):
    import docx

    return docx.Document(io.BytesIO(data))


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def _cell_lines(table) -> list[str]:
    return [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs if p.text.strip()]


@pytest.fixture
def where(users):
    return places(users)


@pytest.fixture
def programme(users, where):
    secretary = users["xa1.bithu"]
    stored = store(secretary, demo_plan(), where["commune"], COMMUNE_PROGRAMME, person=secretary.member,
                   title="Chương trình hành động thực hiện Nghị quyết số 57-NQ/TW")  # fmt: skip
    tasks = task_inputs(COMMUNE_PROGRAMME, where["commune"], secretary.member)
    tasks[0].budget, tasks[0].coordinating = Decimal(45_000_000), "Đoàn Thanh niên"
    services.programme_save(secretary, stored, title=stored.title, preamble="I. MỤC ĐÍCH, YÊU CẦU\n" + stored.preamble,
                            symbol="", tasks=tasks)  # fmt: skip
    stored.refresh_from_db()
    return stored


def test_a_draft_is_issued_in_the_party_format(users, where, programme):
    document = _read(programme_docx(programme, today=datetime.date(2026, 12, 6)))
    header, mark, tasks, closing = document.tables
    left = _cell_lines(header)
    assert left[:4] == ["ĐẢNG BỘ TỈNH VĨNH LONG", "ĐẢNG ỦY PHƯỜNG THANH ĐỨC", "*", "Số      -CTr/ĐU"]
    assert left[4:] == ["ĐẢNG CỘNG SẢN VIỆT NAM", "Thanh Đức,\nngày 06 tháng 12 năm 2026"]
    assert _cell_lines(mark) == [DRAFT_MARK]
    texts = _texts(document)
    assert texts[:4] == ["CHƯƠNG TRÌNH HÀNH ĐỘNG", "thực hiện Nghị quyết số 57-NQ/TW", "-----", "I. MỤC ĐÍCH, YÊU CẦU"]
    assert "II. NHIỆM VỤ CỤ THỂ" in texts
    rows = [[cell.text for cell in row.cells] for row in tasks.rows]
    assert rows[0] == TASK_HEADERS and len(rows) == 1 + len(COMMUNE_PROGRAMME.tasks)
    secretary = users["xa1.bithu"].member.full_name
    assert rows[1] == [
        "1",
        COMMUNE_PROGRAMME.tasks[0].content,
        f"{where['commune'].name} — {secretary}",
        "Đoàn Thanh niên",
        "30/09/2025",
        "18 buổi hướng dẫn, danh sách người tham dự",
        "Số người dân được hướng dẫn: 900 người",
        "45",
    ]
    assert rows[4][6] == "Tỷ lệ hồ sơ nộp trực tuyến: 70%" and rows[4][7] == ""
    signature = _cell_lines(closing)
    assert signature[:4] == ["Nơi nhận:", "- Tỉnh ủy Vĩnh Long (để báo cáo),",
                             "- Các tổ chức đảng trực thuộc (để thực hiện),", "- Lưu Văn phòng."]  # fmt: skip
    assert signature[4:6] == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]


def test_an_approved_programme_carries_its_symbol_and_date_and_no_draft_mark(users, programme):
    secretary = users["xa1.bithu"]
    services.programme_save(secretary, programme, title=programme.title, preamble=programme.preamble,
                            symbol="05-CTr/ĐU", tasks=[])  # fmt: skip
    services.programme_transition(secretary, programme, "submit")
    services.programme_transition(secretary, programme, "approve", approved_on=datetime.date(2026, 11, 20),
                                  approval_ref="Nghị quyết số 12-NQ/ĐU")  # fmt: skip
    programme.refresh_from_db()
    document = _read(programme_docx(programme, today=datetime.date(2026, 12, 6)))
    header = _cell_lines(document.tables[0])
    assert "Số 05-CTr/ĐU" in header and "Thanh Đức,\nngày 20 tháng 11 năm 2026" in header
    assert all(DRAFT_MARK not in _cell_lines(table) for table in document.tables)
    assert "(Chưa có nhiệm vụ.)" in _texts(document)


def test_a_cell_programme_is_signed_by_the_cell(users, where):
    cell = services.programme_create(users["xa1.bithu"], demo_plan(), where["cell"], "Kế hoạch của chi bộ",
                                     symbol="3")  # fmt: skip
    document = _read(programme_docx(cell, today=datetime.date(2026, 12, 6)))
    assert "Số 3-CTr/CB" in _cell_lines(document.tables[0])
    signature = _cell_lines(document.tables[-1])
    assert "T/M CHI BỘ" in signature and "- Lưu chi bộ." in signature
    assert f"- {where['commune'].name.replace('Đảng bộ', 'Đảng ủy')} (để báo cáo)," in signature
    assert _texts(document)[1] == "Kế hoạch của chi bộ"


def test_the_summary_is_the_title_without_its_type():
    assert summary_of("Chương trình hành động thực hiện Chỉ thị 28") == "thực hiện Chỉ thị 28"
    assert summary_of("CHƯƠNG TRÌNH HÀNH ĐỘNG về chuyển đổi số") == "về chuyển đổi số"
    assert summary_of("Kế hoạch học tập") == "Kế hoạch học tập"
