"""The class board's attendance sheet: a roster-prefilled template out, the filled-in sheet back in.

Import reads .xlsx or .csv (through `core.sheets.read_table`, with its size, row and zip-bomb
limits), validates every row against the conference's roster, and then writes every row or
none. Errors are reported by spreadsheet row and column, in Vietnamese.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from quantriet.core import sheets
from quantriet.core.audit import audit_entry, audit_record
from quantriet.core.models import AuditEntry
from quantriet.core.text import fold
from quantriet.org.models import Member

from .models import Attendance, AttendanceSource, AttendanceStatus, Conference
from .services import conference_roster

CARD, RECORD, NAME, STATUS, REASON = "Số thẻ đảng viên", "Số lý lịch", "Họ và tên", "Tình trạng", "Lý do"
#: key -> header, in the template's order of the columns that matter.
HEADERS = {"card_number": CARD, "record_number": RECORD, "full_name": NAME, "status": STATUS, "reason": REASON}
#: Informative columns the template adds; the importer, like for any other extra column, ignores them.
INFO_HEADERS = ["STT", "Chi bộ"]
#: At least one column of each group must be there.
REQUIRED = [("card_number", "record_number"), ("status",)]
STATUS_LABELS = [label for _, label in AttendanceStatus.choices]
_STATUS_BY_TEXT = {fold(label): value for value, label in AttendanceStatus.choices} | {
    value: value for value in AttendanceStatus.values
}
MAX_REASON = Attendance._meta.get_field("reason").max_length


@dataclass
class SheetRow:
    number: int
    member: Member
    status: str
    reason: str


@dataclass
class AttendanceImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    #: Rows left as they are because the member checked in with the code (change those on the board).
    kept_checkins: int = 0


def _number_problem(key, value):
    if key == "card_number":
        hint = " Nếu số 0 ở đầu bị mất, hãy định dạng cột là Văn bản (Text)." if value.isdigit() else ""
        return f"không tìm thấy đảng viên có số thẻ “{value}”.{hint}"
    return f"không tìm thấy đảng viên có số lý lịch “{value}”."


def read_rows(body, positions, fail) -> tuple[list[tuple], int]:
    """(number, texts by key, status, reason) of every marked row, and the count of rows left blank.

    What is wrong with a row's own cells goes to FAIL(row, column, message). No database access: the
    parsing layer that fuzz/attendance.py exercises.
    """
    parsed, skipped = [], 0
    for number, cells in body:
        raw = sheets.row_texts(cells, positions)
        raw["record_number"] = raw.get("record_number", "").upper().replace(" ", "")
        raw["card_number"] = raw.get("card_number", "").replace(" ", "")
        status_text, reason = raw.get("status", ""), raw.get("reason", "")
        if not status_text and not reason:
            skipped += 1  # a roster line nobody marked: left as it is
            continue
        if not raw["card_number"] and not raw["record_number"]:
            fail(number, CARD, "cần số thẻ đảng viên hoặc số lý lịch để nhận diện đảng viên.")
        status = _STATUS_BY_TEXT.get(fold(status_text))
        if not status_text:
            fail(number, STATUS, "chưa ghi tình trạng (có lý do nhưng không có tình trạng).")
        elif status is None:
            fail(number, STATUS, f"“{status_text}” không hợp lệ; ghi một trong: {', '.join(STATUS_LABELS)}.")
        elif status == AttendanceStatus.EXCUSED and not reason:
            fail(number, REASON, "vắng có lý do thì phải ghi lý do.")
        if len(reason) > MAX_REASON:
            fail(number, REASON, f"dài quá {MAX_REASON} ký tự.")
        parsed.append((number, raw, status, reason))
    return parsed, skipped


def validate_sheet(conference: Conference, body, positions) -> tuple[list[SheetRow], int]:
    """Rows to write and the count of rows left blank, or SheetError listing every problem."""
    problems = sheets.Problems(HEADERS.values())
    fail = problems.add
    parsed, skipped = read_rows(body, positions, fail)
    cards = sorted({raw["card_number"] for _, raw, _, _ in parsed if raw["card_number"]})
    records = sorted({raw["record_number"] for _, raw, _, _ in parsed if raw["record_number"]})
    card_set, record_set = set(cards), set(records)
    by_card, by_record = {}, {}
    for start in range(0, max(len(cards), len(records)), 900):
        chunk = Q(card_number__in=cards[start : start + 900]) | Q(record_number__in=records[start : start + 900])
        for m in Member.objects.filter(chunk):
            if m.card_number in card_set:
                by_card[m.card_number] = m
            if m.record_number in record_set:
                by_record[m.record_number] = m
    found = {m.pk for m in [*by_card.values(), *by_record.values()]}
    roster = conference_roster(conference)
    on_roster = set()
    ids = sorted(found)
    for start in range(0, len(ids), 900):
        on_roster.update(roster.filter(pk__in=ids[start : start + 900]).values_list("pk", flat=True))

    rows, first_row = [], {}
    for number, raw, status, reason in parsed:
        card, record = raw["card_number"], raw["record_number"]
        a, b = by_card.get(card), by_record.get(record)
        if card and a is None:
            fail(number, CARD, _number_problem("card_number", card))
        if record and b is None:
            fail(number, RECORD, _number_problem("record_number", record))
        if (card and a is None) or (record and b is None) or not (a or b):
            continue
        if a and b and a.pk != b.pk:
            fail(number, RECORD, "số thẻ và số lý lịch không cùng một đảng viên.")
            continue
        member = a or b
        header = CARD if a else RECORD
        if member.pk not in on_roster:
            fail(number, header, "đảng viên mang số này không có tên trong danh sách dự hội nghị.")
            continue
        name = raw.get("full_name", "")
        if name and fold(name) != member.full_name_folded:
            fail(number, NAME, f"“{name}” không khớp với số đã ghi (trong danh sách là {member.full_name}).")
        if member.pk in first_row:
            fail(number, header, f"{member.full_name} đã có ở dòng {first_row[member.pk]}.")
            continue
        first_row[member.pk] = number
        if status:
            rows.append(SheetRow(number, member, status, reason))
    if not problems and not rows:
        fail(0, "", "Tệp không có dòng nào ghi tình trạng điểm danh.")
    problems.refuse()
    return rows, skipped


def read_sheet(data: bytes, filename: str):
    """The rows of an attendance sheet and the position of each column, or SheetError (no database access)."""
    header, body = sheets.read_table(data, filename)
    positions = sheets.map_header(header, HEADERS, REQUIRED)
    if not body:
        sheets.refuse_file("Tệp chỉ có dòng tiêu đề, không có đảng viên nào.")
    return body, positions


def import_attendance(actor, conference: Conference, data: bytes, filename: str) -> AttendanceImportResult:
    """Validate the whole sheet, then write every row in one transaction (or none)."""
    body, positions = read_sheet(data, filename)
    rows, skipped = validate_sheet(conference, body, positions)
    try:
        result = _commit(actor, conference, rows, filename)
    except IntegrityError:
        # A member checked in by QR code between validation and commit.
        sheets.refuse_file("Điểm danh vừa thay đổi (có người quét mã); hãy nhập lại tệp.")
    result.skipped = skipped
    return result


@transaction.atomic
def _commit(actor, conference, rows, filename):
    result = AttendanceImportResult(rows=len(rows))
    existing = {
        a.member_id: a
        for a in Attendance.objects.select_for_update().filter(
            conference=conference, member__in=[r.member.pk for r in rows]
        )
    }
    now = timezone.now()
    new, changed, entries = [], [], []
    for row in rows:
        current = existing.get(row.member.pk)
        if current is None:
            new.append(
                Attendance(
                    conference=conference,
                    member=row.member,
                    status=row.status,
                    reason=row.reason,
                    source=AttendanceSource.IMPORT,
                )
            )
            continue
        if (current.status, current.reason) == (row.status, row.reason):
            result.unchanged += 1
            continue
        if current.checked_in_at:  # a sheet never silently overwrites a check-in with the code
            result.kept_checkins += 1
            continue
        before = {"status": current.status, "reason": current.reason}
        current.status, current.reason, current.source, current.updated_at = (
            row.status,
            row.reason,
            AttendanceSource.IMPORT,
            now,
        )
        changed.append(current)
        entries.append(
            audit_entry(
                actor, "attendance.import_update", current, before, {"status": row.status, "reason": row.reason}
            )
        )
    Attendance.objects.bulk_create(new, batch_size=2000)
    Attendance.objects.bulk_update(changed, ["status", "reason", "source", "updated_at"], batch_size=2000)
    entries += [
        audit_entry(actor, "attendance.import_create", a, None, {"status": a.status, "reason": a.reason}) for a in new
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
    result.created, result.updated = len(new), len(changed)
    audit_record(
        actor,
        "attendance.import",
        conference,
        None,
        {
            "file": filename,
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
    )
    return result


# ---------------------------------------------------------------- template


def write_attendance_template(conference: Conference, out) -> int:
    """The roster as an attendance sheet, current marks filled in; returns the member count."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Điểm danh"
    sheets.write_header(sheet, [INFO_HEADERS[0], CARD, RECORD, NAME, INFO_HEADERS[1], STATUS, REASON])
    marks = {a.member_id: a for a in Attendance.objects.filter(conference=conference)}
    labels = dict(AttendanceStatus.choices)
    roster = conference_roster(conference).select_related("cell").order_by("cell__path", "name_key", "id")
    count = 0
    for count, member in enumerate(roster.iterator(chunk_size=2000), start=1):
        mark = marks.get(member.pk)
        sheets.write_row(
            sheet,
            [
                count,
                member.card_number or "",
                member.record_number or "",
                member.full_name,
                member.cell.name,
                labels[mark.status] if mark else "",
                mark.reason if mark else "",
            ],
        )
    last = max(count + 1, 2)
    sheets.format_as_text(sheet, (2, 3), last + 200)  # the card and record numbers
    choice = DataValidation(type="list", formula1='"' + ",".join(STATUS_LABELS) + '"', allow_blank=True)
    choice.error = "Chọn một trong: " + ", ".join(STATUS_LABELS)
    choice.errorTitle = "Tình trạng không hợp lệ"
    sheet.add_data_validation(choice)
    choice.add(f"F2:F{last}")
    sheets.set_widths(sheet, (6, 18, 14, 28, 34, 18, 40))
    sheet.freeze_panes = "A2"
    guide = [
        [CARD, "8 chữ số; có thể bỏ trống nếu ghi số lý lịch"],
        [RECORD, "Dùng khi đảng viên dự bị chưa có thẻ"],
        [NAME, "Để đối chiếu; phải khớp với số thẻ/số lý lịch"],
        [STATUS, "Một trong: " + ", ".join(STATUS_LABELS) + ". Bỏ trống: chưa điểm danh, giữ nguyên."],
        [REASON, "Bắt buộc khi “Vắng có lý do”"],
        [],
        [f"Hội nghị: {conference.title}"],
        ["Có lỗi ở bất kỳ dòng nào thì không dòng nào được ghi; sửa theo danh sách lỗi rồi nhập lại."],
    ]
    sheets.add_guide(workbook, ["Cột", "Cách ghi"], guide, (20, 80))
    workbook.save(out)
    return count
