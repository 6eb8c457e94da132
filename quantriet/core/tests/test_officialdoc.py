"""The party document format (core.officialdoc): a minimal document built through the API, read back.

The full report built through this module is converted to PDF by LibreOffice in
analytics/tests/test_report.py (test_report_converts_to_pdf_in_libreoffice).
"""

import datetime
import io

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from quantriet.core.officialdoc import (
    OfficialHeader,
    Signature,
    body,
    grid,
    heading,
    new_document,
    party_date,
    text_width_mm,
    write_header,
    write_signature,
    write_title,
)

COMMUNE = OfficialHeader(
    issuer="Đảng ủy xã An Bình",
    superior="Đảng bộ tỉnh Vĩnh Long",
    type_code="CTr",
    issuer_code="ĐU",
    place="An Bình",
    date=datetime.date(2026, 2, 5),
    number=12,
)
RECIPIENTS = ["- Ban Thường vụ Tỉnh ủy Vĩnh Long (để báo cáo),", "- Các chi bộ trực thuộc,", "- Lưu Văn phòng."]


def saved(document):
    """DOCUMENT written to a .docx and opened again, as the committee office would."""
    out = io.BytesIO()
    document.save(out)
    out.seek(0)
    return docx.Document(out)


def minimal(header=COMMUNE):
    document = new_document()
    write_header(document, header)
    write_title(document, "Chương trình hành động", "thực hiện Chỉ thị số 28-CT/TU của Ban Thường vụ Tỉnh ủy")
    heading(document, "I. MỤC ĐÍCH, YÊU CẦU")
    point = body(document, "1. Quán triệt sâu sắc nội dung Chỉ thị đến từng đảng viên.")
    grid(document, ["STT", "Nội dung", "Thời hạn"], [[1, "Hội nghị quán triệt", "15/03/2026"]], [15, 110, 40])
    closing = body(document, "Trên đây là chương trình hành động của Ban Thường vụ Đảng ủy xã An Bình./.")
    signature = Signature("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Nguyễn Văn An")
    write_signature(document, signature, RECIPIENTS, keep_with=(point, closing))
    return saved(document)


def lines(cell):
    return [p.text for p in cell.paragraphs]


def test_header_block():
    document = minimal()
    left, right = document.tables[0].rows[0].cells
    assert lines(left) == ["ĐẢNG BỘ TỈNH VĨNH LONG", "ĐẢNG ỦY XÃ AN BÌNH", "*", "Số 12-CTr/ĐU"]
    superior, issuer = left.paragraphs[0].runs[0], left.paragraphs[1].runs[0]
    assert issuer.bold and not superior.bold
    assert lines(right) == ["ĐẢNG CỘNG SẢN VIỆT NAM", "", "An Bình, ngày 05 tháng 02 năm 2026"]
    nation, dated = right.paragraphs[0].runs[0], right.paragraphs[2].runs[0]
    assert nation.bold and nation.underline and nation.font.size.pt == 15
    assert dated.italic and not dated.bold
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in [*left.paragraphs, *right.paragraphs])
    widths = [cell.width.mm for cell in document.tables[0].rows[0].cells]
    assert sum(widths) == pytest.approx(text_width_mm(), abs=0.1)


def test_unnumbered_header_without_a_superior_keeps_room_for_the_number():
    header = OfficialHeader("Tỉnh ủy Vĩnh Long", None, "BC", "TU", "Vĩnh Long", datetime.date(2026, 11, 26))
    left, right = minimal(header).tables[0].rows[0].cells
    assert lines(left) == ["TỈNH ỦY VĨNH LONG", "*", "Số      -BC/TU"]
    assert lines(right)[2] == "Vĩnh Long, ngày 26 tháng 11 năm 2026"


def test_a_place_too_long_for_the_date_column_breaks_after_the_comma():
    place = "Phường Trường Long Hòa Tân Ngãi Thượng"
    header = OfficialHeader("Tỉnh ủy Vĩnh Long", None, "BC", "TU", place, datetime.date(2026, 2, 5))
    dated = minimal(header).tables[0].rows[0].cells[1].paragraphs[2]
    assert dated.text == f"{place},\nngày 05 tháng 02 năm 2026"  # one paragraph, a line break
    assert all(run.italic for run in dated.runs if run.text)


@pytest.mark.parametrize(
    ("day", "line"),
    [
        (datetime.date(2018, 4, 3), "ngày 03 tháng 4 năm 2018"),
        (datetime.date(2027, 1, 1), "ngày 01 tháng 01 năm 2027"),
        (datetime.date(2026, 2, 20), "ngày 20 tháng 02 năm 2026"),
        (datetime.date(2025, 12, 9), "ngày 09 tháng 12 năm 2025"),
    ],
)
def test_party_date(day, line):
    assert party_date(day) == line


def test_title_and_body():
    document = minimal()
    texts = [p.text for p in document.paragraphs]
    kind = texts.index("CHƯƠNG TRÌNH HÀNH ĐỘNG")
    assert texts[kind + 1 : kind + 3] == ["thực hiện Chỉ thị số 28-CT/TU của Ban Thường vụ Tỉnh ủy", "-----"]
    title = document.paragraphs[kind]
    assert title.runs[0].bold and title.runs[0].font.size.pt == 16
    assert document.paragraphs[kind + 1].runs[0].bold
    point = document.paragraphs[texts.index("1. Quán triệt sâu sắc nội dung Chỉ thị đến từng đảng viên.")]
    assert point.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY and round(point.paragraph_format.first_line_indent.mm) == 10
    assert document.paragraphs[texts.index("I. MỤC ĐÍCH, YÊU CẦU")].runs[0].bold


def test_grid_repeats_its_header_row():
    table = minimal().tables[1]
    assert [c.text for c in table.rows[0].cells] == ["STT", "Nội dung", "Thời hạn"]
    assert [c.text for c in table.rows[1].cells] == ["1", "Hội nghị quán triệt", "15/03/2026"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(run.bold and run.font.size.pt == 12 for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    assert table.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert table.rows[1].cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_signature_and_recipients():
    document = minimal()
    recipients, signature = document.tables[-1].rows[0].cells
    assert lines(recipients) == ["Nơi nhận:", *RECIPIENTS]
    label = recipients.paragraphs[0].runs[0]
    assert label.bold and label.italic and label.underline and label.font.size.pt == 12
    assert lines(signature) == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "", "", "", "", "Nguyễn Văn An"]
    assert document.tables[-1].rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
    # The last point, the closing sentence and the gap before the table keep with the signature.
    texts = [p.text for p in document.paragraphs]
    closing = texts.index("Trên đây là chương trình hành động của Ban Thường vụ Đảng ủy xã An Bình./.")
    assert all(p.paragraph_format.keep_with_next for p in document.paragraphs[closing:])
    point = texts.index("1. Quán triệt sâu sắc nội dung Chỉ thị đến từng đảng viên.")
    assert document.paragraphs[point].paragraph_format.keep_with_next
    assert not document.paragraphs[point - 1].paragraph_format.keep_with_next


def test_page_font_and_page_numbers():
    document = minimal()
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]
    assert (document.styles["Normal"].font.name, document.styles["Normal"].font.size.pt) == ("Times New Roman", 14)
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "Times New Roman"
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "vi-VN"
    # Page numbers from page 2: the first page's header is a different, empty one.
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml and section.first_page_header.paragraphs[0].text == ""


def test_control_characters_in_stored_text_are_dropped():
    document = new_document()
    body(document, "Chi bộ\x01 ấp\x1b Phú Thạnh")
    assert saved(document).paragraphs[-1].text == "Chi bộ ấp Phú Thạnh"
