"""Tables in and out: reading an uploaded .xlsx or .csv, bounded, and writing .xlsx files safely.

Every sheet import (roster, attendance sheet, question bank) reads through `read_table`, maps
its header row with `map_header`, and collects what is wrong as `Problem(row, column, message)`
in `Problems`, refused together as one `SheetError`: nothing is written. Every .xlsx the site
writes (exports, templates) puts its cells through `neutralise`, its header row through
`write_header`.

Reading is bounded whatever the file declares: its size (ROSTER_MAX_BYTES), what its archive
really inflates to (MAX_UNPACKED, MAX_RATIO), its rows (SHEET_MAX_ROWS) and columns (A to Z).
The rows and columns of an .xlsx are checked before python-calamine reads it, since calamine
holds the whole rectangle from A1 to the farthest cell in memory: one cell at XFD1048576 in a
5 KB file would make it ask for 550 GB, and a failed allocation aborts the process.
"""

import csv
import io
import re
import time
import zipfile
from dataclasses import dataclass
from typing import NoReturn
from xml.parsers import expat

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from .files import MAX_SECONDS
from .numbers import format_integer
from .text import fold, nfc, printable, unprintable_problem

#: An .xlsx is refused as a zip bomb when it inflates to more than this, or to more than RATIO times its size.
MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 200
#: Columns A to Z: every template uses fewer, and a cell beyond is refused (see the module's doc).
MAX_COLUMNS = 26
CHUNK = 1024 * 1024
#: Where a workbook's sheets are (python-calamine reads no sheet elsewhere).
SHEET_PARTS = ("xl/worksheets/", "xl/chartsheets/", "xl/dialogsheets/")

ONLY_SHEETS = "Chỉ nhận tệp .xlsx hoặc .csv theo mẫu."
NOT_XLSX = "Tệp không phải bảng tính Excel (.xlsx) hợp lệ; hãy lưu lại bằng Excel."
NOT_UTF8 = "Tệp CSV phải được lưu với bảng mã UTF-8."
BROKEN_CSV = "Tệp CSV bị lỗi ở dòng {row} (ô quá dài hoặc dấu ngoặc kép không khớp); hãy lưu lại bằng Excel."
ZIP_BOMB = "Tệp nén bất thường (có thể là tệp độc hại); đã từ chối."
NO_DATA = "Tệp không có dữ liệu."
TOO_MANY_ROWS = (
    "Bảng tính có dữ liệu ở dòng {row}, quá giới hạn {limit} dòng; hãy xóa các dòng thừa hoặc chia thành nhiều tệp."
)
TOO_MANY_COLUMNS = "Bảng tính có dữ liệu ở ô {cell}, ngoài các cột A–Z mà mẫu dùng; hãy xóa các cột thừa."
TOO_SLOW = f"Bảng tính được ghi theo cách lạ, đọc quá {MAX_SECONDS} giây chưa xong; hãy mở và lưu lại bằng Excel."
DUPLICATE_COLUMN = "cột này xuất hiện hai lần trong dòng tiêu đề."
MISSING_COLUMN = "thiếu cột này trong dòng tiêu đề."
UNKNOWN_COLUMN = "tiêu đề không có trong mẫu."
USE_TEMPLATE = "Hãy dùng đúng dòng tiêu đề của tệp mẫu: "


def too_large(limit: int) -> str:
    return f"Tệp quá lớn (tối đa {limit // (1024 * 1024)} MB)."


# ---------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    row: int  # 1-based spreadsheet row; 0 for the file itself
    column: str  # a header title, or "" for the whole row or file
    message: str

    def __str__(self):
        where = "Tệp" if self.row == 0 else f"Dòng {self.row}"
        return f"{where}, cột “{self.column}”: {self.message}" if self.column else f"{where}: {self.message}"


class SheetError(Exception):
    """The import was refused; PROBLEMS says what to fix. Nothing was written."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def refuse_file(message: str) -> NoReturn:
    """Refuse the whole file with MESSAGE."""
    raise SheetError([Problem(0, "", message)])


class Problems:
    """The problems of one file, collected before anything is written (every row is checked)."""

    def __init__(self, columns=()):
        #: Problems of one row are listed in the order of these column titles; others come last.
        self.order = {title: index for index, title in enumerate(columns)}
        self.found: list[Problem] = []

    def add(self, row: int, column: str, message: str):
        self.found.append(Problem(row, column, message))

    def __bool__(self):
        return bool(self.found)

    def refuse(self):
        """SheetError with every problem found, by row and column; nothing when there is none."""
        if self.found:
            self.found.sort(key=lambda p: (p.row, self.order.get(p.column, len(self.order))))
            raise SheetError(self.found)


# ---------------------------------------------------------------- reading


def read_table(data: bytes, filename: str) -> tuple[list[str], list[tuple[int, list]]]:
    """Header cells and (row number, cells) pairs of the first sheet of an .xlsx or .csv file's bytes.

    Blank rows are left out but rows keep the spreadsheet's numbers; the header is the first row
    that is not blank. A cell holding an unprintable character refuses the file.
    """
    if len(data) > settings.ROSTER_MAX_BYTES:
        refuse_file(too_large(settings.ROSTER_MAX_BYTES))
    name = filename.lower()
    if data[:4] == b"PK\x03\x04":
        rows = _xlsx_rows(data)
    elif name.endswith(".xlsx"):
        refuse_file(NOT_XLSX)
    elif name.endswith(".csv"):
        rows = _csv_rows(data)
    else:
        refuse_file(ONLY_SHEETS)
    rows = [(n, cells) for n, cells in rows if any(cell_text(c) for c in cells)]
    if not rows:
        refuse_file(NO_DATA)
    (_, header), *body = rows
    header = [cell_text(h) for h in header]
    _refuse_unprintable(header, rows)
    return header, body


def _refuse_unprintable(header, rows):
    """SheetError naming the row and column of every cell holding an unprintable character.

    Every sheet import reads through here, so no such character gets past an import.
    """
    problems = Problems()
    for number, cells in rows:
        for index, value in enumerate(cells):
            problem = unprintable_problem(value if isinstance(value, str) else "")
            if problem:
                column = header[index] if index < len(header) and number != rows[0][0] else ""
                problems.add(number, column or f"thứ {index + 1}", problem)
    problems.refuse()


def cell_text(value) -> str:
    """A spreadsheet cell as clean NFC text: None is "", 12.0 is "12"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = nfc(str(value))
    # Exports neutralise formulas with a leading apostrophe; take it off again (and the white space
    # it kept at the start: "'\t=1" was "\t=1").
    return text[1:].lstrip() if text.startswith("'") else text


def _csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        refuse_file(NOT_UTF8)
    dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        pass
    rows, number = [], 0
    # newline="": the csv module reads line ends itself, a lone \r (old Mac files) included.
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for number, cells in enumerate(reader, start=1):
            _check_extent(number, _last_filled(cells))
            rows.append((number, cells))
    except csv.Error:
        refuse_file(BROKEN_CSV.format(row=number + 1))
    return rows


def _last_filled(cells) -> int:
    """The 1-based column of the last cell that is not blank (0 for a blank row)."""
    return next((index for index in range(len(cells), 0, -1) if cells[index - 1].strip()), 0)


def _check_extent(row: int, column: int):
    """Refuse a cell (1-based ROW and COLUMN) beyond SHEET_MAX_ROWS or column Z."""
    if row > settings.SHEET_MAX_ROWS:
        refuse_file(TOO_MANY_ROWS.format(row=format_integer(row), limit=format_integer(settings.SHEET_MAX_ROWS)))
    if column > MAX_COLUMNS:
        refuse_file(TOO_MANY_COLUMNS.format(cell=_cell_name(row, column)))


def _cell_name(row: int, column: int) -> str:
    """The name a spreadsheet gives the cell at 1-based ROW and COLUMN: (12, 28) → "AB12"."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row}"


def _xlsx_rows(data: bytes):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_archive(archive, len(data))
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        # skip_empty_area=False keeps leading blank rows, so row numbers match the spreadsheet's.
        return list(enumerate(sheet.to_python(skip_empty_area=False), start=1))
    except SheetError:
        raise
    except Exception:  # a malformed file may fail anywhere inside zipfile, zlib, expat or calamine
        refuse_file(NOT_XLSX)


def _check_archive(archive: zipfile.ZipFile, size: int):
    """Refuse a zip bomb, and a sheet with a cell beyond the rows and columns read.

    Every part is inflated with a running count (what it really inflates to, not what it
    declares); the parts that may be sheets are scanned for their cells on the way.
    """
    limit = min(MAX_UNPACKED, MAX_RATIO * max(size, 1))
    if sum(info.file_size for info in archive.infolist()) > limit:
        refuse_file(ZIP_BOMB)
    inflated = 0
    for info in archive.infolist():
        scan = _CellScan() if info.filename.lower().startswith(SHEET_PARTS) else None
        with archive.open(info) as part:
            while chunk := part.read(CHUNK):
                inflated += len(chunk)
                if inflated > limit:
                    refuse_file(ZIP_BOMB)
                if scan:
                    scan.feed(chunk)
        if scan and scan.unusual:
            with archive.open(info) as part:
                _walk_cells(part)


#: A cell element as Excel, LibreOffice, Google Sheets, openpyxl and most writers put it is `<c`
#: then its reference (`r="AB12"`), with a namespace prefix at most (the Open XML SDK's `<x:c`,
#: taken off first). A sheet with a cell written any other way (no reference, another prefix, a
#: second r attribute: calamine takes the last) is `unusual`: `_walk_cells` reads it with expat.
_PREFIX = re.compile(rb"<(/?)[A-Za-z_][\w.-]*:")
_UNUSUAL_CELL = re.compile(rb'<c(?=[\s/>])(?! r="[A-Z]{1,3}[0-9]{1,7}")')
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
_SPACES = bytes.maketrans(b"\t\n\r", b"   ")
#: A cell element with nothing inside (`<c r="AB12" s="1"/>`, `<c r="AB12" s="1"></c>`: formatting
#: only, which calamine skips), its quoted values read whole.
_EMPTY_CELL = re.compile(rb'<c (?:[^>"\']|"[^"]*"|\'[^\']*\')*?(?:/>|>\s*</c>)')


class _CellScan:
    """The fast look at a sheet's XML, chunk by chunk: regular expressions, no parser.

    Only the cells that may lie beyond the rows or columns read (a reference of two or three
    letters, or of as many digits as SHEET_MAX_ROWS) are looked at one by one.
    """

    def __init__(self):
        digits = len(str(settings.SHEET_MAX_ROWS))
        self.far = re.compile(rb'<c r="([A-Z]{2,3}[0-9]{1,7}|[A-Z][0-9]{%d,7})"' % digits)
        self.tail = b""
        self.unusual = False

    def feed(self, chunk: bytes):
        # Cut before the last "<": a tag split between two chunks is read whole with the next one.
        text = self.tail + chunk
        cut = text.rfind(b"<")
        text, self.tail = (text[:cut], text[cut:]) if cut > 0 else (text, b"")
        if self.unusual:
            return
        if b":" in text:
            text = _PREFIX.sub(rb"<\1", text)
        if not _usual_cells(text):
            self.unusual = True
            return
        for found in self.far.finditer(text):
            if not _EMPTY_CELL.match(text, found.start()):
                _check_extent(*_reference(found[1].decode()))


def _usual_cells(text: bytes) -> bool:
    """Whether every cell element of TEXT is `<c r="AB12"`, and no element has another r attribute."""
    if _UNUSUAL_CELL.search(text) or b":c" in text and _PREFIXED_CELL.search(text):
        return False
    # Counted, not parsed: every r attribute (quick-xml takes them without space before, or
    # with space around "=") is one of a cell's or a row's written the usual way.
    spaced = text.translate(_SPACES)
    references = spaced.count(b" r=") + spaced.count(b'"r=') + spaced.count(b"'r=")
    return b"r =" not in spaced and references == text.count(b'<c r="') + text.count(b'<row r="')


def _column_number(letters: str) -> int:
    """The 1-based number of a column named by LETTERS in either case ("AB" → 28)."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


_REFERENCE = re.compile(r"([A-Za-z]*)([0-9]+)")


def _reference(text: str) -> tuple[int, int]:
    """(row, column), 1-based, of a cell reference (column 0 without letters); calamine refuses a malformed one."""
    match = _REFERENCE.fullmatch(text)
    if not match or int(match[2]) == 0:
        refuse_file(NOT_XLSX)
    return int(match[2]), _column_number(match[1])


class _CellWalker:
    """Where python-calamine puts each cell of a sheet, read with an XML parser (expat).

    A cell is where its reference says; without one, it is the cell after the previous one of
    its row, in the row its row element names (or the row after the previous one). Only cells
    with something inside count: calamine skips empty ones.
    """

    def __init__(self):
        self.row = self.column = 1  # 1-based: where a cell without a reference goes
        self.opened = None  # (row, column) of a cell just opened: it counts once something is inside
        self.names = {}  # element name → its local name ("x:c" → "c"): a sheet has few names

    def local(self, name):
        if name not in self.names:
            self.names[name] = name.rpartition(":")[2]
        return self.names[name]

    def start(self, name, attributes):
        if self.opened:
            _check_extent(*self.opened)
            self.opened = None
        local = self.local(name)
        if local == "row" and "r" in attributes:
            self.row = _reference(attributes["r"])[0]
        elif local == "c":
            row, self.column = _reference(attributes["r"]) if "r" in attributes else (self.row, self.column)
            if not self.column:
                refuse_file(NOT_XLSX)
            self.opened = (row, self.column)
            self.column += 1

    def end(self, name):
        local = self.local(name)
        if local == "c":
            self.opened = None
        elif local == "row":
            self.row, self.column = self.row + 1, 1


def _walk_cells(part):
    """Refuse a cell of PART (an unusual sheet) beyond the rows and columns read, within MAX_SECONDS."""
    walker = _CellWalker()
    parser = expat.ParserCreate()
    parser.StartElementHandler = walker.start
    parser.EndElementHandler = walker.end
    parser.StartDoctypeDeclHandler = lambda *_: refuse_file(NOT_XLSX)  # no entities, so no billion laughs
    deadline = time.monotonic() + MAX_SECONDS
    while chunk := part.read(CHUNK):
        parser.Parse(chunk, False)
        if time.monotonic() > deadline:
            refuse_file(TOO_SLOW)
    parser.Parse(b"", True)


def map_header(header: list[str], titles: dict[str, str], required, *, extra=None) -> dict[str, int]:
    """Column index per key of TITLES (key → title), matched after `fold`: any order, case, diacritics.

    REQUIRED is a list of tuples of keys: at least one column of each tuple must be there. EXTRA,
    when given, lists the only other titles allowed (any other is refused); otherwise other
    columns are ignored. A column given twice is refused. SheetError lists every problem.
    """
    by_folded = {fold(title): key for key, title in titles.items()}
    allowed = None if extra is None else {fold(title) for title in extra}
    positions, problems = {}, Problems()
    for index, title in enumerate(header):
        key = by_folded.get(fold(title))
        if key is None:
            if allowed is not None and title and fold(title) not in allowed:
                problems.add(1, title, UNKNOWN_COLUMN)
        elif key in positions:
            problems.add(1, titles[key], DUPLICATE_COLUMN)
        else:
            positions[key] = index
    for keys in required:
        if not any(key in positions for key in keys):
            first, *others = [titles[key] for key in keys]
            alternatives = "".join(f" (hoặc “{title}”)" for title in others)
            message = f"thiếu cột “{first}”{alternatives} trong dòng tiêu đề." if others else MISSING_COLUMN
            problems.add(1, first, message)
    if problems:
        problems.add(1, "", USE_TEMPLATE + ", ".join(titles.values()))
    problems.refuse()
    return positions


def row_values(cells: list, positions: dict[str, int]) -> dict:
    """The cells of one row by key (POSITIONS from `map_header`); None where the row is short."""
    return {key: cells[index] if index < len(cells) else None for key, index in positions.items()}


def row_texts(cells: list, positions: dict[str, int]) -> dict[str, str]:
    """The cells of one row by key, as `cell_text`."""
    return {key: cell_text(value) for key, value in row_values(cells, positions).items()}


def validate_sheet_upload(upload):
    """An upload named .xlsx or .csv within ROSTER_MAX_BYTES (`read_table` then reads its content)."""
    if not upload.name.lower().endswith((".xlsx", ".csv")):
        raise ValidationError(ONLY_SHEETS)
    if upload.size > settings.ROSTER_MAX_BYTES:
        raise ValidationError(too_large(settings.ROSTER_MAX_BYTES))


class SheetFileField(forms.FileField):
    default_validators = [validate_sheet_upload]


# ---------------------------------------------------------------- writing

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
_BOLD = Font(bold=True)


def neutralise(value):
    """A value as every .xlsx the site writes holds it: text is made safe to open and to write.

    Characters a workbook cannot hold (a NUL stored before imports refused them) are dropped,
    so an export never fails on what is already stored. Text that a spreadsheet would run as a
    formula gets a leading apostrophe; so does text already starting with one, since
    `cell_text` takes one apostrophe off.
    """
    if not isinstance(value, str):
        return value
    value = printable(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def write_row(sheet, values):
    """Append VALUES to SHEET (of any workbook, write-only or not), every one through `neutralise`."""
    sheet.append([neutralise(value) for value in values])


def write_header(sheet, titles):
    """Append the header row TITLES to SHEET, in bold."""
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=neutralise(title))
        cell.font = _BOLD
        cells.append(cell)
    sheet.append(cells)


def set_widths(sheet, widths):
    """Column widths of SHEET from column A on (None keeps a column's default)."""
    for index, width in enumerate(widths, start=1):
        if width is not None:
            sheet.column_dimensions[get_column_letter(index)].width = width


def format_as_text(sheet, columns, last_row):
    """Cells of COLUMNS (1-based) from row 2 to LAST_ROW formatted as text: typed there, a card
    number keeps its leading zeros."""
    for column in columns:
        for row in range(2, last_row + 1):
            sheet.cell(row=row, column=column).number_format = "@"


def add_guide(workbook, header, rows, widths):
    """The "Hướng dẫn" sheet of a template: HEADER in bold, then ROWS, column WIDTHS from A on."""
    guide = workbook.create_sheet("Hướng dẫn")
    write_header(guide, header)
    for row in rows:
        write_row(guide, row)
    set_widths(guide, widths)
    return guide
