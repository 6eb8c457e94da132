"""core.sheets: real .xlsx and .csv files through the reader, its bounds, the header map and the writers.

Every file here is built as a user's or an attacker's would be: with openpyxl, the csv module,
or by editing the XML inside a workbook made by openpyxl.
"""

import csv
import datetime
import io
import re
import unicodedata
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from quantriet.core import sheets
from quantriet.core.sheets import (
    Problem,
    Problems,
    SheetError,
    SheetFileField,
    cell_text,
    map_header,
    neutralise,
    read_table,
    write_header,
    write_row,
)
from quantriet.core.tests.zips import rezip, set_declared_size

SHEET = "xl/worksheets/sheet1.xml"


def xlsx(rows=(), cells=None):
    """An .xlsx of ROWS from A1 on, and CELLS ({(row, column): value}) wherever they are."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for (row, column), value in (cells or {}).items():
        sheet.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_file(rows, delimiter=",", encoding="utf-8"):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


def edit_sheet(data, change):
    """DATA (an .xlsx) with its first sheet's XML passed through CHANGE (bytes → bytes)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(SHEET)
    return rezip(data, replace={SHEET: change(xml)})


def prefixed(xml):
    """XML as the Open XML SDK writes it: every element of the sheet's namespace under the prefix x."""
    xml = xml.replace(b'<worksheet xmlns="', b'<x:worksheet xmlns:x="')
    return re.sub(rb"<(/?)(?!x:)([A-Za-z]+)(?=[\s/>])", rb"<\1x:\2", xml)


def refusal(data, filename="bang.xlsx"):
    """The one file-level message of the SheetError read_table raises for DATA."""
    with pytest.raises(SheetError) as caught:
        read_table(data, filename)
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (0, "")
    return problem.message


# ---------------------------------------------------------------- reading .xlsx


def test_xlsx_rows_keep_the_spreadsheet_numbers_across_blank_rows():
    data = xlsx(cells={(3, 1): "Họ và tên", (3, 2): "Số thẻ", (4, 1): "An", (6, 1): "Bình", (6, 2): "12345678"})
    header, body = read_table(data, "ds.xlsx")
    assert header == ["Họ và tên", "Số thẻ"]
    assert [(number, [cell_text(c) for c in cells]) for number, cells in body] == [
        (4, ["An", ""]),
        (6, ["Bình", "12345678"]),
    ]


def test_xlsx_values_come_as_a_spreadsheet_shows_them_and_formulas_never_run():
    data = xlsx(
        [
            ["Số", "Ngày", "Tên", "Công thức"],
            [12345678, datetime.date(2024, 5, 1), "  Nguyễn   Văn  An ", "=1+1"],
            [1.5, datetime.datetime(2024, 5, 1, 8, 30), None, '=HYPERLINK("http://x.example","Bấm")'],
        ]
    )
    # A formula saved with its result (as Excel saves it) is read as that result, never as the formula.
    data = edit_sheet(data, lambda xml: xml.replace(b"<f>1+1</f><v></v>", b"<f>1+1</f><v>2</v>"))
    _, [(_, first), (_, second)] = read_table(data, "ds.xlsx")
    assert [cell_text(c) for c in first] == ["12345678", "2024-05-01", "Nguyễn Văn An", "2"]
    assert first[1] == datetime.date(2024, 5, 1) and second[1] == datetime.datetime(2024, 5, 1, 8, 30)
    assert [cell_text(c) for c in second] == ["1.5", "2024-05-01 08:30:00", "", ""]


def test_cell_text():
    assert cell_text(None) == ""
    assert cell_text(12345678.0) == "12345678"
    assert cell_text(0.5) == "0.5"
    assert cell_text(True) == "True"
    assert cell_text(datetime.date(2024, 5, 1)) == "2024-05-01"
    assert cell_text(" \t Lê  Thị\n Hoa ") == "Lê Thị Hoa"
    assert cell_text(unicodedata.normalize("NFD", "Đắk Lắk")) == "Đắk Lắk"
    # One apostrophe, the one an export puts before text a spreadsheet would run, comes off.
    assert cell_text("'=SUM(A1)") == "=SUM(A1)"
    assert cell_text("''Ana") == "'Ana"


def test_a_value_at_the_last_cell_of_excel_is_refused_before_it_is_read():
    # 5 KB: python-calamine would ask for the 17 billion cells up to it, and the process would abort.
    data = xlsx([["Họ và tên"]], cells={(1_048_576, 16_384): "x"})
    assert len(data) < 10_000
    message = refusal(data)
    assert "dòng 1.048.576" in message and "300.000 dòng" in message


def test_rows_up_to_the_limit_are_read_and_beyond_refused(settings):
    settings.SHEET_MAX_ROWS = 40
    header, body = read_table(xlsx([["Tên"]], cells={(40, 1): "Cuối"}), "ds.xlsx")
    assert body == [(40, ["Cuối"])]
    message = refusal(xlsx([["Tên"]], cells={(41, 1): "Thừa"}))
    assert (
        message
        == "Bảng tính có dữ liệu ở dòng 41, quá giới hạn 40 dòng; hãy xóa các dòng thừa hoặc chia thành nhiều tệp."
    )


def test_columns_a_to_z_are_read_and_beyond_refused():
    _, [(_, cells)] = read_table(xlsx([["A"], ["x"]], cells={(2, 26): "z"}), "ds.xlsx")
    assert (len(cells), cells[-1]) == (26, "z")
    message = refusal(xlsx([["A"], ["x"]], cells={(2, 28): "ab"}))
    assert message == "Bảng tính có dữ liệu ở ô AB2, ngoài các cột A–Z mà mẫu dùng; hãy xóa các cột thừa."


def test_formatting_far_away_without_a_value_is_no_data():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Tên"])
    sheet.append(["An"])
    sheet.cell(row=900_000, column=40).number_format = "@"  # <c r="AN900000" s="1" t="n"></c>
    out = io.BytesIO()
    workbook.save(out)
    data = out.getvalue()
    assert b'<c r="AN900000"' in zipfile.ZipFile(out).read(SHEET)
    assert read_table(data, "ds.xlsx") == (["Tên"], [(2, ["An"])])
    self_closing = edit_sheet(data, lambda xml: re.sub(rb'(<c r="AN900000"[^>]*)></c>', rb"\1/>", xml))
    assert b'<c r="AN900000" s="1" t="n"/>' in zipfile.ZipFile(io.BytesIO(self_closing)).read(SHEET)
    assert read_table(self_closing, "ds.xlsx") == (["Tên"], [(2, ["An"])])


def test_a_far_cell_hidden_behind_a_quoted_bracket_is_refused():
    far = b'<row r="900000"><c r="AB900000" note="/>"><v>1</v></c></row></sheetData>'
    assert "dòng 900.000" in refusal(edit_sheet(xlsx([["Tên"], ["An"]]), lambda xml: xml.replace(b"</sheetData>", far)))


@pytest.mark.parametrize("second", [b' r="AB2"', b'r="AB2"', b'\tr="AB2"', b" r = 'AB2'"])
def test_a_second_reference_in_a_cell_is_not_missed(second):
    # quick-xml (calamine's parser) takes every one of these, and calamine then the last reference;
    # they are not XML, so the parser that reads such a sheet refuses it.
    data = edit_sheet(xlsx([["Tên"], ["An"]]), lambda xml: xml.replace(b'<c r="A2"', b'<c r="A2"' + second))
    assert refusal(data) == sheets.NOT_XLSX


def test_a_sheet_with_a_namespace_prefix_is_read_and_bounded(settings):
    data = edit_sheet(xlsx([["Tên", "Số thẻ"], ["An", "12345678"]]), prefixed)
    assert b"<x:c " in zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    assert read_table(data, "ds.xlsx") == (["Tên", "Số thẻ"], [(2, ["An", "12345678"])])
    far = edit_sheet(xlsx([["Tên"], ["An"]], cells={(500_000, 1): "x"}), prefixed)
    assert "dòng 500.000" in refusal(far)


def without_references(xml):
    """XML whose cells say nothing of where they are (rows still do): each follows the one before."""
    return re.sub(rb' r="[A-Z]+[0-9]+"', b"", xml)


def test_cells_without_a_reference_are_placed_as_calamine_places_them():
    data = edit_sheet(xlsx([["Tên", "Số thẻ"], ["An", "12345678"], [None, None], ["Bình", "2"]]), without_references)
    header, body = read_table(data, "ds.xlsx")
    assert header == ["Tên", "Số thẻ"] and [n for n, _ in body] == [2, 4]
    wide = b"<row>" + b"<c><v>1</v></c>" * 27 + b"</row></sheetData>"
    message = refusal(edit_sheet(data, lambda xml: xml.replace(b"</sheetData>", wide)))
    assert "ô AA5" in message  # the row after row 4, its 27th cell
    far = b'<row r="700000"><c><v>1</v></c></row></sheetData>'
    assert "dòng 700.000" in refusal(edit_sheet(data, lambda xml: xml.replace(b"</sheetData>", far)))


def test_an_unusual_sheet_that_takes_too_long_is_refused(monkeypatch):
    data = edit_sheet(xlsx([["Tên"], ["An"]]), without_references)
    assert read_table(data, "ds.xlsx") == (["Tên"], [(2, ["An"])])
    monkeypatch.setattr(sheets, "MAX_SECONDS", -1)
    assert refusal(data) == sheets.TOO_SLOW


@pytest.mark.parametrize("unusual", [False, True])
def test_entity_declarations_are_refused(unusual):
    bomb = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'

    def change(xml):
        xml = xml.replace(b"<worksheet", bomb + b"<worksheet", 1).replace(b"<t>An</t>", b"<t>&b;</t>")
        return without_references(xml) if unusual else xml

    assert refusal(edit_sheet(xlsx([["Tên"], ["An"]]), change)) == sheets.NOT_XLSX


def test_zip_bombs_are_refused():
    padded = rezip(xlsx([["Tên"], ["An"]]), add={"xl/media/padding.bin": b"\0" * (8 * 1024 * 1024)})
    assert len(padded) < 100_000
    assert refusal(padded) == sheets.ZIP_BOMB
    declared = set_declared_size(xlsx([["Tên"], ["An"]]), SHEET, 3 * 1024**3)
    assert refusal(declared) == sheets.ZIP_BOMB
    # A part that inflates to more than its entry declares is caught while it is inflated.
    understated = set_declared_size(xlsx([["Tên"], ["An"]]), SHEET, 10)
    assert refusal(understated) == sheets.NOT_XLSX


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        ("Tên;Số thẻ\nAn;1\n".encode(), "ds.xlsx", sheets.NOT_XLSX),
        (b"", "ds.xlsx", sheets.NOT_XLSX),
        (b"PK\x03\x04 not really a zip", "ds.xlsx", sheets.NOT_XLSX),
        (b"%PDF-1.4", "ds.pdf", sheets.ONLY_SHEETS),
        (xlsx(), "trong.xlsx", sheets.NO_DATA),
    ],
    ids=["text-renamed-xlsx", "empty", "broken-zip", "pdf", "no-data"],
)
def test_files_that_are_not_tables_are_refused(data, filename, message):
    assert refusal(data, filename) == message


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    assert refusal(out.getvalue()) == sheets.NOT_XLSX


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.ROSTER_MAX_BYTES = 1024 * 1024
    data = csv_file([["Tên"]] + [["x" * 100]] * 11_000)
    assert len(data) > 1024 * 1024
    assert refusal(data, "ds.csv") == "Tệp quá lớn (tối đa 1 MB)."


# ---------------------------------------------------------------- reading .csv


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_with_a_bom_and_any_delimiter(delimiter):
    data = "\ufeff".encode() + csv_file([["Họ và tên", "Lý do"], ["Lê Văn Cường", "Ốm, có đơn"]], delimiter)
    header, body = read_table(data, "ds.csv")
    assert header == ["Họ và tên", "Lý do"]  # no BOM glued to the first title
    assert body == [(2, ["Lê Văn Cường", "Ốm, có đơn"])]


def test_csv_that_is_not_utf8_is_refused_in_vietnamese():
    # As Excel saves "CSV" with the Windows code page, and "Unicode text" (UTF-16).
    for encoding in ("cp1252", "utf-16"):
        data = csv_file([["Tên", "Ghi chú"], ["An", "có"]], encoding=encoding)
        assert refusal(data, "ds.csv") == "Tệp CSV phải được lưu với bảng mã UTF-8."


def test_csv_with_old_mac_line_ends_is_read():
    assert read_table("Tên;Số\rAn;1\rBình;2\r".encode(), "ds.csv") == (
        ["Tên", "Số"],
        [(2, ["An", "1"]), (3, ["Bình", "2"])],
    )


def test_broken_csv_names_its_row():
    data = csv_file([["Tên"], ["An"], ["x" * 200_000]])
    assert refusal(data, "ds.csv") == sheets.BROKEN_CSV.format(row=3)


def test_csv_rows_and_columns_are_bounded(settings):
    settings.SHEET_MAX_ROWS = 3
    assert len(read_table(csv_file([["Tên"], ["An"], ["Bình"]]), "ds.csv")[1]) == 2
    assert "dòng 4, quá giới hạn 3 dòng" in refusal(csv_file([["Tên"], ["An"], ["Bình"], ["Chi"]]), "ds.csv")
    # Blank cells after the last one filled (as Excel saves a ragged table) are no column.
    assert read_table(csv_file([["Tên"] + [""] * 40, ["An"]]), "ds.csv")[0] == ["Tên"] + [""] * 40
    assert "ô AA2" in refusal(csv_file([["Tên"], ["An"] + [""] * 25 + ["thừa"]]), "ds.csv")


def test_an_unprintable_character_is_refused_naming_row_and_column():
    data = csv_file([["Họ và tên", "Lý do"], ["An", "Ốm"], ["Bình", "Ốm\x00 nặng"]])
    with pytest.raises(SheetError) as caught:
        read_table(data, "ds.csv")
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (3, "Lý do") and "U+0000" in problem.message


# ---------------------------------------------------------------- problems and headers


def test_problems_are_listed_by_row_then_in_the_order_of_the_columns():
    problems = Problems(["Họ và tên", "Số thẻ"])
    problems.add(3, "Số thẻ", "sai.")
    problems.add(2, "", "cả dòng.")
    problems.add(3, "Họ và tên", "trống.")
    problems.add(0, "", "Tệp lỗi.")
    problems.add(2, "Số thẻ", "sai.")
    with pytest.raises(SheetError) as caught:
        problems.refuse()
    assert [str(p) for p in caught.value.problems] == [
        "Tệp: Tệp lỗi.",
        "Dòng 2, cột “Số thẻ”: sai.",
        "Dòng 2: cả dòng.",
        "Dòng 3, cột “Họ và tên”: trống.",
        "Dòng 3, cột “Số thẻ”: sai.",
    ]
    assert str(caught.value) == "\n".join(str(p) for p in caught.value.problems)
    Problems().refuse()  # nothing found, nothing raised


TITLES = {"card": "Số thẻ đảng viên", "record": "Số lý lịch", "status": "Tình trạng"}
REQUIRED = [("card", "record"), ("status",)]


def test_headers_match_in_any_order_case_and_diacritics():
    assert map_header(["TINH TRANG", "Ghi chú", "số lý lịch"], TITLES, REQUIRED) == {"status": 0, "record": 2}


def test_header_problems_name_the_column_and_the_template():
    with pytest.raises(SheetError) as caught:
        map_header(["Số lý lịch", "Ghi chú", "SỐ LÝ LỊCH"], TITLES, REQUIRED)
    assert caught.value.problems == [
        Problem(1, "Số lý lịch", "cột này xuất hiện hai lần trong dòng tiêu đề."),
        Problem(1, "Tình trạng", "thiếu cột này trong dòng tiêu đề."),
        Problem(1, "", "Hãy dùng đúng dòng tiêu đề của tệp mẫu: Số thẻ đảng viên, Số lý lịch, Tình trạng"),
    ]
    with pytest.raises(SheetError) as caught:
        map_header(["Tình trạng"], TITLES, REQUIRED)
    assert caught.value.problems[0] == Problem(
        1, "Số thẻ đảng viên", "thiếu cột “Số thẻ đảng viên” (hoặc “Số lý lịch”) trong dòng tiêu đề."
    )


def test_only_the_extra_titles_given_may_stand_beside_the_template():
    assert map_header(["Tình trạng", "Số thẻ đảng viên", "Tên chi bộ", ""], TITLES, REQUIRED, extra=["Tên chi bộ"])
    with pytest.raises(SheetError) as caught:
        map_header(["Tình trạng", "Số thẻ đảng viên", "Quê quán"], TITLES, REQUIRED, extra=["Tên chi bộ"])
    assert caught.value.problems[0] == Problem(1, "Quê quán", "tiêu đề không có trong mẫu.")


# ---------------------------------------------------------------- writing


def test_neutralise_keeps_a_leading_apostrophe():
    # The importer takes one leading apostrophe off again, so a real one must be doubled.
    assert neutralise("'Ana") == "''Ana"
    assert neutralise("=1") == "'=1"
    assert neutralise("An") == "An"
    assert neutralise(None) is None


@pytest.mark.parametrize("write_only", [False, True])
def test_written_text_never_runs_as_a_formula_and_reads_back_unchanged(write_only):
    nasty = ['=HYPERLINK("http://x.example","Bấm")', "+SUM(1,2)", "-1+1", "@SUM(1,2)", "\t=1", "'Tên có nháy"]
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("Bảng") if write_only else workbook.active
    write_header(sheet, ["=Tiêu đề", "Số"])
    for text in nasty:
        write_row(sheet, [text, 7])
    write_row(sheet, ["Nguyễn\x00Văn", None])  # stored before imports refused it: dropped, not a crash
    out = io.BytesIO()
    workbook.save(out)
    data = out.getvalue()

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = b"".join(archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/"))
    assert b"<f>" not in xml and b"<f " not in xml
    book = load_workbook(io.BytesIO(data)).worksheets[0]
    assert all(cell.font.b for cell in book[1])
    assert [c.value for c in book["A"]][1:] == ["'" + text for text in nasty] + ["NguyễnVăn"]
    assert all(c.data_type == "s" for c in book["A"])
    assert book["B2"].value == 7
    header, body = read_table(data, "xuat.xlsx")
    assert header == ["=Tiêu đề", "Số"]
    assert [cell_text(cells[0]) for _, cells in body] == [" ".join(t.split()) for t in nasty] + ["NguyễnVăn"]


def test_the_upload_field_takes_only_xlsx_and_csv_within_the_limit(settings):
    settings.ROSTER_MAX_BYTES = 1024 * 1024
    field = SheetFileField()
    assert field.clean(SimpleUploadedFile("ds.CSV", b"a\n")).name == "ds.CSV"
    with pytest.raises(ValidationError, match="Chỉ nhận tệp .xlsx hoặc .csv theo mẫu."):
        field.clean(SimpleUploadedFile("ds.xls", b"a\n"))
    with pytest.raises(ValidationError, match=r"Tệp quá lớn \(tối đa 1 MB\)."):
        field.clean(SimpleUploadedFile("ds.xlsx", b"x" * (1024 * 1024 + 1)))
