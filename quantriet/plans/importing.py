"""A programme a committee already wrote in Word (.docx) or Excel (.xlsx/.csv), read into its tasks.

`read_programme(programme, name, data)` reads the file into (title, preamble, tasks) for
PROGRAMME's organisation, checking every row first: what is wrong is refused together as one
`core.sheets.SheetError` (Vietnamese, by row and column), and nothing is written.
`programme_import(actor, programme, name, data)` then saves it through
`services.programme_save` (a new version, the concreteness check, the audit), all or nothing.

- **.docx**: the task table is the first table whose header row names a content column and a
  lead or deadline column ("Nội dung", "Đơn vị chủ trì", "Thời hạn", "Sản phẩm", "Chỉ tiêu",
  "Đơn vị tính", "Kinh phí", "Phối hợp", …, with or without diacritics). The paragraphs before it
  are the title and the preamble: the type line ("CHƯƠNG TRÌNH HÀNH ĐỘNG") with the trích yếu
  under it make the title, what follows them the preamble (a last short heading naming the tasks,
  "II. NHIỆM VỤ CỤ THỂ", is left out); the header block, the draft mark and what follows the
  table (the closing, the signature) are not read. Rows are numbered as in the table, its header
  row being row 1. The file is first read by `core.files.extract_text` (size, zip bomb, time).
- **.xlsx/.csv**: the first sheet, one task per row under a header row with the same titles
  (read through `core.sheets.read_table`); the title and preamble stay as they are.

Each row: the lead is a unit of the programme's organisation, the organisation itself, or one
of the levels above (by name with or without diacritics, its committee's name — "Đảng ủy xã …"
for "Đảng bộ xã …" —, or its code; "Đảng ủy", "Chi ủy", "Ban Thường vụ …" alone mean the
programme's own organisation), else a member of its subtree by name ("đồng chí" dropped), or
both ("Chi bộ Công an — Nguyễn Văn An"). Dates are dd/mm/yyyy (d/m/yyyy, with "/", "." or "-"),
Excel dates, "tháng 9/2026", "quý III/2026" or "năm 2026" (the period's last day), a range of
two ("01/01/2026 - 30/06/2026": the start and the deadline), or "thường xuyên" (none). Targets
take a decimal comma ("2,5"), written alone or as "indicator: target unit" (as `plans.issue`
prints them); amounts are whole đồng with thousands points ("45.000.000"), or millions when the
column says "triệu đồng".

Decisions where the brief was silent:
- Section rows of a Word table (one merged cell, or only a Roman numeral or a line in capitals)
  are headings, not tasks; a row with nothing but its number is skipped.
- A re-imported task whose content is the same as a stored one (diacritics and case aside)
  keeps that task's id, so the comments on it and its progress stay with it.
"""

import calendar
import datetime
import io
import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction

from quantriet.core.audit import audit_record
from quantriet.core.files import extract_text
from quantriet.core.numbers import NumberError, parse_amount, parse_decimal
from quantriet.core.sheets import (
    DUPLICATE_COLUMN,
    Problem,
    Problems,
    SheetError,
    cell_text,
    read_table,
    refuse_file,
)
from quantriet.core.text import fold, nfc, printable
from quantriet.org.letterhead import committee_name
from quantriet.org.models import Member, Organization
from quantriet.org.tree import ancestors_of, is_within, parent_path

from .access import access_programme
from .models import Programme, ProgrammeTask
from .services import MAX_TASKS, TaskInput, programme_save

# ---------------------------------------------------------------- columns

#: The columns by key, with the title messages use when the file has none.
TITLES = {
    "number": "STT",
    "content": "Nội dung nhiệm vụ",
    "lead": "Đơn vị chủ trì",
    "lead_person": "Người chủ trì",
    "coordinating": "Đơn vị phối hợp",
    "starts_on": "Thời gian bắt đầu",
    "deadline": "Thời hạn",
    "product": "Sản phẩm",
    "indicator": "Chỉ tiêu đo lường",
    "target": "Chỉ tiêu",
    "unit": "Đơn vị tính",
    "budget": "Kinh phí",
}
#: How a folded header title is recognised, tried in order (the first rule that matches wins).
_HEADER_RULES = [
    ("number", re.compile(r"^(?:s\s*)?tt$|^so (?:thu tu|tt)$")),
    ("coordinating", re.compile(r"phoi hop")),
    ("lead_person", re.compile(r"^(?:nguoi|can bo|ca nhan) (?:chu tri|phu trach|thuc hien)")),
    ("lead", re.compile(r"chu tri|^(?:don vi|co quan) (?:thuc hien|phu trach)$|^trach nhiem")),
    ("unit", re.compile(r"^don vi tinh|^dvt$")),
    ("starts_on", re.compile(r"bat dau")),
    ("deadline", re.compile(r"^thoi han|^thoi gian|^han hoan thanh")),
    ("product", re.compile(r"^san pham|ket qua dau ra")),
    ("indicator", re.compile(r"^chi tieu do luong|^tieu chi|^chi so")),
    ("target", re.compile(r"^chi tieu|^muc tieu|^so luong")),
    ("budget", re.compile(r"^kinh phi|^du toan")),
    ("content", re.compile(r"noi dung|^nhiem vu|^cong viec|^ten nhiem vu")),
]
#: A table (or sheet) is the task table when it has the content column and one of these.
_TASK_TABLE_NEEDS = ("lead", "lead_person", "deadline")
NO_TASK_TABLE = (
    "Không tìm thấy bảng nhiệm vụ trong tệp: cần một bảng có dòng tiêu đề gồm cột “Nội dung nhiệm vụ” và các cột "
    "như “Đơn vị chủ trì”, “Thời hạn”, “Sản phẩm”, “Chỉ tiêu”, “Đơn vị tính”, “Kinh phí”, “Đơn vị phối hợp”."
)
NO_TASKS = "Bảng nhiệm vụ chỉ có dòng tiêu đề, chưa có nhiệm vụ nào."
ONLY_FILES = "Chỉ nhận chương trình viết bằng Word (.docx) hoặc Excel (.xlsx, .csv)."
#: The longest texts the task's fields hold.
MAX_LENGTHS = {
    field.name: field.max_length
    for field in ProgrammeTask._meta.get_fields()
    if getattr(field, "max_length", None) and field.name in TITLES
}
#: Decimal bounds of the stored numbers: 14 digits, 2 after the comma (targets), none (đồng).
MAX_TARGET, MAX_BUDGET = Decimal("1e12"), Decimal("1e14")
MILLION = 1_000_000


def column_key(title: str) -> str | None:
    """The column a header TITLE names (see _HEADER_RULES), None for a column not read."""
    folded = " ".join(re.sub(r"[^\w\s]", " ", fold(title)).split())
    for key, rule in _HEADER_RULES:
        if rule.search(folded):
            return key
    return None


def _positions(header: list[str], problems: Problems, row: int = 1) -> dict[str, int] | None:
    """Column index per key; None when HEADER is not a task table's. A column given twice is a problem."""
    positions = {}
    for index, title in enumerate(header):
        key = column_key(title) if title else None
        if key is None:
            continue
        if key in positions:
            problems.add(row, title, DUPLICATE_COLUMN)
            continue
        positions[key] = index
    if "content" not in positions or not any(key in positions for key in _TASK_TABLE_NEEDS):
        return None
    return positions


# ---------------------------------------------------------------- values


_DATE = r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"
_MONTH = r"(?:thang\s*)?(\d{1,2})\s*[/.-]\s*(\d{4})"
_QUARTER = r"quy\s*(iv|i{1,3}|[1-4])\s*(?:/|-|nam)?\s*(\d{4})"
_YEAR = r"(?:nam\s*)?(\d{4})"
_PERIOD = re.compile(rf"{_DATE}|{_MONTH}|{_QUARTER}|{_YEAR}")
_FILLER = re.compile(r"\b(?:tu|den|truoc|ngay|trong|hoan thanh|cham nhat|het)\b|[-–—,;.]")
_NO_DEADLINE = {"thuong xuyen", "hang nam", "hang quy", "hang thang", "lien tuc", "ca nhiem ky"}
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _bad_date(text: str) -> ValueError:
    return ValueError(f"thời hạn “{text}” không hợp lệ; ghi ngày theo dạng dd/mm/yyyy (ví dụ 30/06/2026).")


def _period(match: re.Match) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the period MATCH names (a day: that day twice)."""
    day, month, year, month_m, year_m, quarter, year_q, year_y = match.groups()
    if day:
        found = datetime.date(int(year), int(month), int(day))
        return found, found
    if month_m:
        year, month = int(year_m), int(month_m)
        return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])
    if quarter:
        year, last = int(year_q), 3 * _QUARTERS[quarter]
        return datetime.date(year, last - 2, 1), datetime.date(year, last, calendar.monthrange(year, last)[1])
    return datetime.date(int(year_y), 1, 1), datetime.date(int(year_y), 12, 31)


def parse_when(value) -> tuple[datetime.date | None, datetime.date | None]:
    """(start, deadline) of a "Thời hạn" cell (see the module's docstring); ValueError in Vietnamese."""
    if isinstance(value, datetime.datetime):
        return None, value.date()
    if isinstance(value, datetime.date):
        return None, value
    text = cell_text(value)
    folded = " ".join(fold(text).split())
    if not folded or folded in _NO_DEADLINE:
        return None, None
    periods = list(_PERIOD.finditer(folded))
    rest = _FILLER.sub(" ", _PERIOD.sub(" ", folded)).strip()
    if not periods or len(periods) > 2 or rest:
        raise _bad_date(text)
    try:
        spans = [_period(match) for match in periods]
    except ValueError:  # 31/02/2026, month 13
        raise _bad_date(text) from None
    if len(spans) == 1:
        return None, spans[0][1]
    return spans[0][0], spans[1][1]


_MEASURE = re.compile(r"^(?:(?P<indicator>.*?)\s*:\s*)?(?P<number>[+\-−]?\d[\d.,]*)\s*(?P<unit>.*)$")


def parse_target(value) -> tuple[str, Decimal | None, str]:
    """(indicator, target, unit) of a "Chỉ tiêu" cell: a number, "900 người", "Tỷ lệ: 70 %", or text alone."""
    if isinstance(value, bool):
        raise ValueError(f"“{value}” không phải là một số.")
    if isinstance(value, (int, float)):
        return "", Decimal(str(value)), ""
    text = cell_text(value)
    match = _MEASURE.match(text)
    if not match:
        return text, None, ""
    number = parse_decimal(match["number"].replace("−", "-"))
    return (match["indicator"] or "").strip(), number, match["unit"].strip()


def parse_budget(value, millions: bool) -> Decimal | None:
    """Whole đồng of a "Kinh phí" cell (MILLIONS: the column is in millions); NumberError in Vietnamese."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        amount = Decimal(str(value))
    else:
        text = cell_text(value)
        if fold(text) in {"khong", "-", "—", "–"}:
            return None
        amount = parse_decimal(text) if millions else Decimal(parse_amount(text))
    if millions:
        amount *= MILLION
    if amount < 0:
        raise NumberError("kinh phí không được âm.")
    if amount != amount.to_integral_value():
        raise NumberError(f"kinh phí “{cell_text(value)}” có phần lẻ dưới một đồng.")
    return amount.to_integral_value()


# ---------------------------------------------------------------- leads

_DROPPED_TITLES = re.compile(r"^(?:dong chi|d/c|dc|ong|ba)\s+")
#: What a programme calls its own committee, or (written in a cell's programme) the committee above it.
_OWN_CELL = re.compile(r"^(?:chi uy|chi bo|cap uy)$")
_OWN_COMMITTEE = re.compile(
    r"^(?:(?:ban thuong vu|thuong truc|ban chap hanh)\s*)?(?:dang uy|cap uy|tinh uy|thanh uy)?$"
)
_COMMITTEE_FORMS = [("dang uy ", "dang bo "), ("chi uy ", "chi bo "), ("tinh uy ", "dang bo tinh "),
                    ("thanh uy ", "dang bo thanh pho ")]  # fmt: skip
_SEPARATORS = re.compile(r"\s+[—–-]\s+|\s*[;\n(]\s*|\s*,\s+(?=(?:dong chi|d/c|đồng chí|đ/c)\b)", re.IGNORECASE)


def _org_forms(text: str) -> set[str]:
    """The folded names TEXT may stand for: itself, the đảng bộ of a committee's name, without "Ban Thường vụ"."""
    folded = " ".join(fold(text).split())
    folded = re.sub(r"^(?:ban thuong vu|thuong truc|ban chap hanh)\s+", "", folded)
    forms = {folded}
    for committee, party in _COMMITTEE_FORMS:
        if folded.startswith(committee):
            forms.add(party + folded[len(committee) :])
    return forms


def _person_form(text: str) -> str:
    return _DROPPED_TITLES.sub("", " ".join(fold(text).split())).strip(" .)")


class Leads:
    """Resolves lead texts for PROGRAMME's organisation, with one query per kind for all of them."""

    def __init__(self, org: Organization, texts: set[str]):
        self.org = org
        #: The committee that writes "Đảng ủy", "Ban Thường vụ" in ORG's programme: ORG, or above a cell.
        self.committee = org
        parts = set()
        for text in texts:
            parts.add(text)
            parts.update(part for part in _SEPARATORS.split(text) if part.strip())
        names = set().union(*(_org_forms(part) for part in parts)) if parts else set()
        within = [org.path, *ancestors_of(org.path)]
        if org.is_cell:
            self.committee = Organization.objects.filter(path=parent_path(org.path)).first() or org
        candidates = Organization.objects.filter(name_folded__in=names) | Organization.objects.filter(
            code__in=[part.strip() for part in parts]
        )
        self.orgs: dict[str, list[Organization]] = {}
        for found in candidates:
            if is_within(found.path, org.path) or found.path in within:
                for key in {found.name_folded, fold(committee_name(found)), fold(found.code)}:
                    self.orgs.setdefault(key, []).append(found)
        people = Member.objects.filter(
            cell__path__startswith=org.path, full_name_folded__in={_person_form(part) for part in parts}
        )
        self.people: dict[str, list[Member]] = {}
        for member in people.select_related("cell"):
            self.people.setdefault(member.full_name_folded, []).append(member)

    def org_of(self, text: str) -> list[Organization]:
        folded = " ".join(fold(text).split())
        if folded and _OWN_CELL.match(folded) and self.org.is_cell:
            return [self.org]
        if folded and _OWN_COMMITTEE.match(folded):
            return [self.committee]
        found = {}
        for form in _org_forms(text) | {fold(text.strip())}:
            for org in self.orgs.get(form, []):
                found[org.pk] = org
        return list(found.values())

    def person_of(self, text: str) -> list[Member]:
        return self.people.get(_person_form(text), [])

    def resolve(self, text: str, person_text: str = "") -> tuple[Organization | None, Member | None, dict]:
        """(organisation, member, problems by column key) for a lead cell TEXT and a separate person cell."""
        org = person = None
        problems = {}
        if text:
            org, person, problem = self._lead(text)
            if problem:
                problems["lead"] = problem
        if person_text:
            people = self.person_of(person_text)
            if not people:
                problems["lead_person"] = self._no_person(person_text)
            elif len(people) > 1:
                problems["lead_person"] = self._several(person_text, people)
            else:
                person = people[0]
        return org, person, problems

    def _lead(self, text):
        orgs = self.org_of(text)
        if orgs:
            return self._one_org(text, orgs)
        people = self.person_of(text)
        if len(people) == 1:
            return None, people[0], ""
        if len(people) > 1:
            return None, None, self._several(text, people)
        # "Chi bộ Công an — Nguyễn Văn An": a unit and a person, split at a separator.
        for match in _SEPARATORS.finditer(text):
            left, right = text[: match.start()].strip(), text[match.end() :].strip(" )")
            orgs, people = self.org_of(left), self.person_of(right)
            if orgs and len(people) == 1:
                org, _, problem = self._one_org(left, orgs)
                return org, people[0], problem
        return None, None, (
            f"không tìm thấy đơn vị chủ trì “{text}” trong {self.org.name}, các đơn vị trực thuộc và cấp trên, "
            "cũng không có đảng viên nào tên như vậy; hãy ghi đúng tên đơn vị (hoặc mã đơn vị) hay họ tên đảng viên."
        )  # fmt: skip

    def _one_org(self, text, orgs):
        active = [org for org in orgs if org.is_active]
        if not active:
            return None, None, f"“{text}” đã hết hiệu lực (đã hợp nhất hoặc giải thể); hãy ghi đơn vị kế thừa."
        if len(active) > 1:
            codes = ", ".join(org.code for org in active[:5])
            return None, None, f"có {len(active)} đơn vị tên “{text}” ({codes}); hãy ghi mã đơn vị."
        return active[0], None, ""

    def _no_person(self, text):
        return f"không tìm thấy đảng viên “{text}” trong {self.org.name}."

    def _several(self, text, people):
        cells = ", ".join(sorted({member.cell.name for member in people})[:3])
        return f"có {len(people)} đảng viên tên “{text}” ({cells}); hãy ghi kèm đơn vị, ví dụ “Chi bộ … — {text}”."


# ---------------------------------------------------------------- rows


class Imported(NamedTuple):
    title: str
    preamble: str
    tasks: list[TaskInput]


def _read_rows(org: Organization, header: list[str], positions: dict[str, int], rows, problems: Problems):
    """TaskInputs of ROWS ((row number, cells) pairs); what is wrong goes to PROBLEMS."""
    title = {key: header[index] or TITLES[key] for key, index in positions.items()}
    cell = lambda cells, key: cells[positions[key]] if key in positions and positions[key] < len(cells) else None  # noqa: E731
    named = {cell_text(cell(cells, key)) for _, cells in rows for key in ("lead", "lead_person") if key in positions}
    leads = Leads(org, named - {""})
    millions = "budget" in positions and "trieu" in fold(header[positions["budget"]])
    tasks = []
    for number, cells in rows:
        texts = {key: cell_text(cell(cells, key)) for key in positions}
        if not any(value for key, value in texts.items() if key != "number"):
            continue  # a blank row, or one with nothing but its number

        def fail(key, message, number=number):
            problems.add(number, title.get(key, TITLES[key]), message)

        task = TaskInput(content=texts.get("content", ""))
        if not task.content:
            fail("content", "chưa có nội dung nhiệm vụ.")
        task.lead_org, task.lead_person, found = leads.resolve(texts.get("lead", ""), texts.get("lead_person", ""))
        for key, message in found.items():
            fail(key, message)
        for key in ("coordinating", "product", "indicator", "unit"):
            value = texts.get(key, "")
            if key in MAX_LENGTHS and len(value) > MAX_LENGTHS[key]:
                fail(key, f"dài {len(value)} ký tự, quá mức {MAX_LENGTHS[key]}; hãy viết gọn lại.")
            setattr(task, key, value)
        try:
            if texts.get("starts_on"):
                task.starts_on = parse_when(cell(cells, "starts_on"))[1]
            starts_on, task.deadline = parse_when(cell(cells, "deadline"))
            task.starts_on = task.starts_on or starts_on
            if task.starts_on and task.deadline and task.deadline < task.starts_on:
                fail("deadline", "thời hạn trước ngày bắt đầu.")
        except ValueError as error:
            fail("deadline", str(error))
        if texts.get("target"):
            try:
                indicator, task.target, unit = parse_target(cell(cells, "target"))
                task.indicator = task.indicator or indicator
                task.unit = task.unit or unit
                if task.target is not None and task.target < 0:
                    fail("target", "chỉ tiêu không được âm.")
                elif task.target is not None and (task.target >= MAX_TARGET or task.target.as_tuple().exponent < -2):
                    fail("target", f"“{texts['target']}” quá lớn hoặc có hơn hai chữ số thập phân.")
            except (NumberError, ValueError, InvalidOperation) as error:
                fail("target", str(error))
        if texts.get("budget"):
            try:
                task.budget = parse_budget(cell(cells, "budget"), millions)
                if task.budget is not None and task.budget >= MAX_BUDGET:
                    fail("budget", f"“{texts['budget']}” quá lớn.")
            except (NumberError, InvalidOperation) as error:
                fail("budget", str(error))
        tasks.append(task)
    if not tasks and not problems:
        refuse_file(NO_TASKS)
    if len(tasks) > MAX_TASKS:
        problems.add(0, "", f"Bảng có {len(tasks)} nhiệm vụ, quá mức {MAX_TASKS}; hãy gộp bớt.")
    return tasks


# ---------------------------------------------------------------- the files


def _sheet(programme: Programme, name: str, data: bytes) -> Imported:
    header, body = read_table(data, name)
    problems = Problems(TITLES.values())
    rows = [(0, header), *body[:2]]  # the header may sit under a title row or two
    for index, (number, cells) in enumerate(rows):
        header = [cell_text(value) for value in cells]
        positions = _positions(header, problems, number or 1)
        if positions is not None:
            body = body[index:]
            break
        problems = Problems(TITLES.values())
    problems.refuse()
    if positions is None:
        refuse_file(NO_TASK_TABLE)
    tasks = _read_rows(programme.org, header, positions, body, problems)
    problems.refuse()
    return Imported("", "", tasks)


_TYPE_LINES = re.compile(r"^(?:chuong trinh hanh dong|chuong trinh|ke hoach hanh dong|ke hoach)\b")
_RULE = re.compile(r"^[\W_]*$")
_TASKS_HEADING = re.compile(r"nhiem vu|giai phap")


TITLE_MAX = Programme._meta.get_field("title").max_length


def _text(part) -> str:
    """A paragraph's or a cell's text as one clean line (Word may hold characters no database keeps)."""
    return nfc(printable(part.text))


def _header_texts(cells) -> list[str]:
    """A header row's titles, a cell merged across columns counted once (blank in the columns it spans)."""
    seen, titles = set(), []
    for cell in cells:
        titles.append("" if id(cell._tc) in seen else _text(cell))
        seen.add(id(cell._tc))
    return titles


def _is_heading_row(cells, texts) -> bool:
    """A section row of a Word table: one merged cell, or only a Roman numeral, a letter or a line in capitals."""
    if len({id(cell._tc) for cell in cells}) == 1:
        return True
    filled = [text for text in texts if text]
    if not filled or len(filled) > 2:
        return False
    return all(
        re.fullmatch(r"[IVXLA-Z]{1,4}\.?", text) or (text == text.upper() and any(c.isalpha() for c in text))
        or text.isdigit() for text in filled
    )  # fmt: skip


def _title_and_preamble(paragraphs: list[str]) -> tuple[str, str]:
    lines = [line for line in paragraphs if line and fold(line) != "du thao"]
    title, start = "", 0
    for index, line in enumerate(lines):
        folded = fold(line)
        if _TYPE_LINES.match(folded):
            title, start = line, index + 1
            if line == line.upper():  # "CHƯƠNG TRÌNH HÀNH ĐỘNG" over its trích yếu
                title = line[0] + line[1:].lower()
                if start < len(lines) and not _RULE.match(lines[start]):
                    title, start = f"{title} {lines[start]}", start + 1
            break
    preamble = [line for line in lines[start:] if not _RULE.match(line)]
    if preamble and len(preamble[-1]) < 100 and _TASKS_HEADING.search(fold(preamble[-1])):
        preamble.pop()  # "II. NHIỆM VỤ CỤ THỂ" over the table
    return title, "\n".join(preamble)


def _docx(programme: Programme, name: str, data: bytes) -> Imported:
    try:
        extract_text(name, data)  # the bounded, defensive read first: size, zip bomb, broken XML, time
    except ValidationError as error:
        refuse_file(error.messages[0])
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    paragraphs, problems = [], Problems(TITLES.values())
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraphs.append(_text(Paragraph(element, document)))
            continue
        if tag != "tbl":
            continue
        table = Table(element, document)
        rows = [row.cells for row in table.rows]
        positions = None
        for index, cells in enumerate(rows[:3]):  # the header may sit under a title row
            positions = _positions(_header_texts(cells), problems, index + 1)
            if positions is not None:
                break
        if positions is None:
            problems = Problems(TITLES.values())
            continue
        problems.refuse()
        header = _header_texts(rows[index])
        body = []
        for number, cells in enumerate(rows[index + 1 :], start=index + 2):
            texts = [_text(cell) for cell in cells]
            if all(re.fullmatch(r"\(?\d{1,2}\)?", text) for text in texts if text) and number == index + 2:
                continue  # the column numbers under the header: (1) (2) (3) …
            if _is_heading_row(cells, texts):
                continue
            body.append((number, texts))
        tasks = _read_rows(programme.org, header, positions, body, problems)
        problems.refuse()
        title, preamble = _title_and_preamble(paragraphs)
        if len(title) > TITLE_MAX:
            refuse_file(f"Tên chương trình trong tệp dài {len(title)} ký tự, quá mức {TITLE_MAX}; hãy viết gọn lại.")
        return Imported(title, preamble, tasks)
    refuse_file(NO_TASK_TABLE)


def read_programme(programme: Programme, name: str, data: bytes) -> Imported:
    """The programme in the file NAME (.docx, .xlsx or .csv) for PROGRAMME's organisation; SheetError
    with every problem (by row and column, in Vietnamese) otherwise. Writes nothing."""
    extension = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if extension == "docx":
        return _docx(programme, name, data)
    if extension in ("xlsx", "csv"):
        return _sheet(programme, name, data)
    raise SheetError([Problem(0, "", ONLY_FILES)])


def _keep_ids(programme: Programme, tasks: list[TaskInput]) -> None:
    """Give each imported task the id of a stored one with the same content (first come, once each)."""
    stored = {}
    for pk, content in programme.tasks.order_by("number", "pk").values_list("pk", "content"):
        stored.setdefault(" ".join(fold(content).split()), []).append(pk)
    for task in tasks:
        ids = stored.get(" ".join(fold(task.content).split()))
        if ids:
            task.id = ids.pop(0)


def programme_import(actor, programme: Programme, name: str, data: bytes) -> bool:
    """Replace PROGRAMME's tasks (and its title and preamble, when the Word file has them) with the
    file's, as its next version; False when nothing changed. SheetError when the file is refused,
    ValidationError or PermissionDenied as `programme_save` refuses; nothing is written then.

    The file is read before the transaction opens (reading may take seconds)."""
    programme = access_programme(actor, programme.pk, "programme.write")  # no reading of names without the right
    imported = read_programme(programme, name, data)
    _keep_ids(programme, imported.tasks)
    with transaction.atomic():
        saved = programme_save(
            actor,
            programme,
            title=imported.title or programme.title,
            preamble=imported.preamble or programme.preamble,
            symbol=programme.symbol,
            tasks=imported.tasks,
            summary=f"Nhập từ tệp {printable(name)}"[:200],
        )
        if saved:
            audit_record(actor, "programme.import", programme, after={"file": name, "tasks": len(imported.tasks)})
    return saved
