"""Roster import and export: the documented Vietnamese column set, validated all-or-nothing.

Import reads .xlsx or .csv, validates every row, and either commits every row or none.
Re-importing updates members matched by card number (or, for probationary members without
a card, by record number); it never creates duplicates.
"""

import dataclasses
import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import Workbook

from quantriet.core.audit import audit_entry, audit_record
from quantriet.core.models import AuditEntry
from quantriet.core.sheets import (
    Problems,
    add_guide,
    cell_text,
    format_as_text,
    map_header,
    read_table,
    refuse_file,
    row_values,
    set_widths,
    write_header,
    write_row,
)
from quantriet.core.text import fold, vn_date

from .models import (
    CELL_KINDS,
    Gender,
    Member,
    MemberStatus,
    MemberTransfer,
    Organization,
    TransferRequest,
    TransferRequestStatus,
    member_problems,
    normalise_phone,
)
from .services import transfer_request_open, transfer_requests_left


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    help: str


COLUMNS = [
    Column("full_name", "Họ và tên", True, "Họ và tên đang dùng, ví dụ Nguyễn Văn An"),
    Column("card_number", "Số thẻ đảng viên", False, "8 chữ số; bỏ trống với đảng viên dự bị chưa có thẻ"),
    Column("record_number", "Số lý lịch", False, "6 chữ số và 1–3 chữ cái, ví dụ 012345VL"),
    Column("date_of_birth", "Ngày sinh", True, "dd/mm/yyyy"),
    Column("gender", "Giới tính", True, "Nam hoặc Nữ"),
    Column("ethnicity", "Dân tộc", False, "Ví dụ Kinh, Khmer, Hoa; bỏ trống là Kinh"),
    Column("phone", "Số điện thoại", False, "10 chữ số, bắt đầu bằng 0"),
    Column("email", "Email", False, "Địa chỉ thư điện tử"),
    Column("joined_on", "Ngày vào Đảng", True, "dd/mm/yyyy (ngày lễ kết nạp)"),
    Column("official_on", "Ngày chính thức", False, "dd/mm/yyyy; bắt buộc với đảng viên chính thức"),
    Column("status", "Trạng thái", True, "Dự bị hoặc Chính thức"),
    Column("cell_code", "Mã chi bộ", True, "Mã của chi bộ nơi đảng viên sinh hoạt"),
]
COLUMN_TITLES = {c.key: c.header for c in COLUMNS}
#: Informative columns the export adds after COLUMNS; the importer ignores them.
EXPORT_EXTRA_HEADERS = ["Tên chi bộ"]
MEMBER_FIELDS = [c.key for c in COLUMNS if c.key != "cell_code"]

_GENDERS = {fold(label): value for value, label in Gender.choices}
_STATUSES = {fold(label): value for value, label in MemberStatus.choices}


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    transferred: int = 0


# ---------------------------------------------------------------- validating rows


_DMY = re.compile(r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})")
_YMD = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})")


def _parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    match = _DMY.fullmatch(text) or _YMD.fullmatch(text)
    if match:
        try:
            return datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            pass
    raise ValueError(f"ngày “{text}” không hợp lệ (ghi theo dạng dd/mm/yyyy).")


def clean_row(raw: dict) -> tuple[dict, list[tuple[str, str]]]:
    """Typed values of one row and its (column key, message) problems."""
    values, problems = {}, []

    def fail(key, message):
        problems.append((key, message))

    for column in COLUMNS:
        raw_value = raw.get(column.key)
        text = cell_text(raw_value)
        if not text:
            if column.required:
                fail(column.key, "không được để trống.")
            values[column.key] = None
            continue
        try:
            values[column.key] = _clean_value(column.key, raw_value, text)
        except (ValueError, ValidationError) as exc:
            message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            fail(column.key, message)
            values[column.key] = None
    failed = {key for key, _ in problems}
    for key, message in member_problems(values):
        # A column that already failed to parse would only repeat its problem here.
        if key not in failed and not (
            key in ("card_number", "record_number") and failed & {"card_number", "record_number"}
        ):
            fail(key, message[0].lower() + message[1:])
    values["ethnicity"] = values.get("ethnicity") or "Kinh"
    values["phone"] = values.get("phone") or ""
    values["email"] = values.get("email") or ""
    return values, problems


def _clean_value(key, raw_value, text):
    if key in {"date_of_birth", "joined_on", "official_on"}:
        return _parse_date(raw_value)
    if key == "card_number":
        if not re.fullmatch(settings.CARD_NUMBER_PATTERN, text):
            hint = " Nếu số 0 ở đầu bị mất, hãy định dạng cột là Văn bản (Text)." if text.isdigit() else ""
            raise ValueError(f"“{text}” không phải số thẻ hợp lệ (8 chữ số).{hint}")
        return text
    if key == "record_number":
        text = text.upper().replace(" ", "")
        if not re.fullmatch(settings.RECORD_NUMBER_PATTERN, text):
            raise ValueError(f"“{text}” không phải số lý lịch hợp lệ (6 chữ số và 1–3 chữ cái).")
        return text
    if key == "gender":
        if fold(text) not in _GENDERS:
            raise ValueError(f"“{text}” không hợp lệ; ghi Nam hoặc Nữ.")
        return _GENDERS[fold(text)]
    if key == "status":
        if fold(text) not in _STATUSES:
            raise ValueError(f"“{text}” không hợp lệ; ghi Dự bị hoặc Chính thức.")
        return _STATUSES[fold(text)]
    if key == "phone":
        return normalise_phone(text)
    if key == "email":
        validate_email(text)
        return text.lower()
    return text


class _Validation:
    """Collects problems for the whole file before anything is written."""

    def __init__(self):
        self.problems = Problems(COLUMN_TITLES.values())
        #: (row, column key, member) of rows naming a member outside the importer's scope.
        self.outside: list[tuple[int, str, Member]] = []

    def add(self, row, key, message):
        self.problems.add(row, COLUMN_TITLES.get(key, key), message)


def validate_rows(body, positions, allowed_paths, progress=None, *, actor=None, filename=""):
    """Typed rows with their cell and existing member, or SheetError with every problem.

    A row naming a member outside ALLOWED_PATHS is a transfer request of ACTOR to the level above
    (`_route_outside`); without an actor (the command line) it is only refused.
    """
    check = _Validation()
    rows = []
    for count, (number, cells) in enumerate(body, start=1):
        values, problems = clean_row(row_values(cells, positions))
        for key, message in problems:
            check.add(number, key, message)
        rows.append((number, values))
        if progress and count % 1000 == 0:
            progress(count, len(body) * 2)
    _check_duplicates(rows, check)
    cells = _resolve_cells(rows, allowed_paths, check)
    existing = _match_existing(rows, allowed_paths, check)
    _route_outside(actor, check, dict(rows), cells, allowed_paths, filename)
    check.problems.refuse()
    return [(number, values, cells[values["cell_code"]], existing.get(number)) for number, values in rows]


def _check_duplicates(rows, check):
    for key in ("card_number", "record_number"):
        first_row = {}
        for number, values in rows:
            value = values.get(key)
            if not value:
                continue
            if value in first_row:
                check.add(number, key, f"“{value}” trùng với dòng {first_row[value]}.")
            else:
                first_row[value] = number


def _resolve_cells(rows, allowed_paths, check):
    codes = {v["cell_code"] for _, v in rows if v.get("cell_code")}
    found = {}
    code_list = list(codes)
    for start in range(0, len(code_list), 500):
        for org in Organization.objects.filter(code__in=code_list[start : start + 500]):
            found[org.code] = org
    for number, values in rows:
        code = values.get("cell_code")
        if not code:
            continue
        org = found.get(code)
        in_scope = org is not None and any(org.path.startswith(p) for p in allowed_paths)
        if not in_scope:
            check.add(number, "cell_code", f"không tìm thấy chi bộ có mã “{code}” trong phạm vi được giao.")
        elif org.kind not in CELL_KINDS:
            check.add(number, "cell_code", f"“{code}” ({org.name}) không phải chi bộ.")
        elif not org.is_active:
            check.add(number, "cell_code", f"chi bộ “{code}” đã hết hiệu lực (đã hợp nhất hoặc giải thể).")
    return found


def _match_existing(rows, allowed_paths, check):
    """The existing member each row updates, keyed by row number."""
    cards = [v["card_number"] for _, v in rows if v.get("card_number")]
    records = [v["record_number"] for _, v in rows if v.get("record_number")]
    by_card, by_record = {}, {}
    for start in range(0, len(cards), 900):
        for m in Member.objects.filter(card_number__in=cards[start : start + 900]).select_related("cell"):
            by_card[m.card_number] = m
    for start in range(0, len(records), 900):
        for m in Member.objects.filter(record_number__in=records[start : start + 900]).select_related("cell"):
            by_record[m.record_number] = m
    matched = {}
    for number, values in rows:
        a, b = by_card.get(values.get("card_number")), by_record.get(values.get("record_number"))
        outside = [m for m in (a, b) if m and not any(m.cell.path.startswith(p) for p in allowed_paths)]
        if outside:
            check.outside.append((number, "card_number" if outside[0] is a else "record_number", outside[0]))
        elif a and b and a.pk != b.pk:
            check.add(number, "record_number", f"số thẻ thuộc {a.full_name} nhưng số lý lịch thuộc {b.full_name}.")
        elif a or b:
            matched[number] = a or b
    return matched


def _route_outside(actor, check, values_by_row, cells, allowed_paths, filename):
    """Rows naming a member of another unit: a transfer (chuyển sinh hoạt đảng) for the level above.

    The row cannot be imported, so its refusal tells that the number exists elsewhere; what
    keeps that from being asked at will: each such row opens a request (audited, seen by the
    staff above both units), the message names no member, and past TRANSFER_REQUESTS_PER_DAY a
    day the file is refused without saying which rows. Rows whose cell is wrong are refused
    for that alone (the request needs a cell of the importer's).
    """
    if not check.outside:
        return
    routable = []
    for number, key, member in check.outside:
        cell = cells.get(values_by_row[number].get("cell_code"))
        if cell is not None and cell.is_cell and cell.is_active and any(cell.path.startswith(p) for p in allowed_paths):
            routable.append((number, key, member, cell))
    if actor is None:  # the command line: the operator may see the whole database anyway
        for number, key, _member, _cell in routable:
            check.add(number, key, "đã được dùng cho một đảng viên ngoài phạm vi đã chọn; hãy chuyển sinh hoạt đảng.")
        return
    pending = TransferRequest.objects.filter(requested_by=actor, status=TransferRequestStatus.PENDING).count()
    if len(routable) > transfer_requests_left(actor) + pending:
        audit_record(
            actor,
            "member.import_transfer_limit",
            None,
            None,
            {"file": filename, "rows": len(routable)},
            object_type="org.member",
        )
        check.problems.add(0, "", TRANSFER_LIMIT.format(limit=settings.TRANSFER_REQUESTS_PER_DAY))
        return
    for number, key, member, cell in routable:
        if not transfer_requests_left(actor) and not _pending(actor, member, cell):
            check.problems.add(0, "", TRANSFER_LIMIT.format(limit=settings.TRANSFER_REQUESTS_PER_DAY))
            return
        request = transfer_request_open(actor, member, values_by_row[number][key], cell, source=filename)
        check.add(number, key, TRANSFER_SENT.format(cell=cell.name, id=request.pk))


def _pending(actor, member, cell) -> bool:
    return TransferRequest.objects.filter(
        requested_by=actor, member=member, to_cell=cell, status=TransferRequestStatus.PENDING
    ).exists()


#: The row's message: no member named, only what happens next.
TRANSFER_SENT = (
    "thuộc một đảng viên đang sinh hoạt ở đơn vị khác, nên không nhập được; đã gửi đề nghị chuyển sinh hoạt "
    "đảng về {cell} lên cấp trên (đề nghị số {id}). Bỏ dòng này khỏi tệp để nhập các dòng còn lại."
)
TRANSFER_LIMIT = (
    "Tệp có nhiều dòng mang số thẻ hoặc số lý lịch của đảng viên không thuộc phạm vi quản lý của bạn, "
    "vượt giới hạn {limit} đề nghị chuyển sinh hoạt đảng mỗi ngày; tệp bị từ chối. "
    "Hãy kiểm tra lại tệp hoặc liên hệ cấp trên."
)


# ---------------------------------------------------------------- committing


def read_roster(data: bytes, filename: str):
    """The rows of a roster file and the position of each column, or SheetError (no database access)."""
    header, body = read_table(data, filename)
    positions = map_header(header, COLUMN_TITLES, [(c.key,) for c in COLUMNS], extra=EXPORT_EXTRA_HEADERS)
    if not body:
        refuse_file("Tệp chỉ có dòng tiêu đề, không có đảng viên nào.")
    return body, positions


def import_roster(actor, data: bytes, filename: str, allowed_paths: list[str], progress=None) -> ImportResult:
    """Validate every row of the file, then write all of them in one transaction (or none)."""
    if not allowed_paths:
        refuse_file("Bạn không được giao quản lý danh sách đảng viên của tổ chức nào.")
    body, positions = read_roster(data, filename)
    rows = validate_rows(body, positions, allowed_paths, progress, actor=actor, filename=filename)
    try:
        return _commit(actor, rows, filename, progress)
    except IntegrityError:
        # Another import added the same card or record number between validation and commit.
        refuse_file("Danh sách vừa được cập nhật bởi một lượt nhập khác; hãy nhập lại tệp.")


@transaction.atomic
def _commit(actor, rows, filename, progress=None):
    result = ImportResult(rows=len(rows))
    now = timezone.now()
    new_members, changed, transfers, entries = [], [], [], []
    for _number, values, cell, member in rows:
        fields = {k: values[k] for k in MEMBER_FIELDS}
        if member is None:
            new_members.append(Member(cell=cell, **fields))
            continue
        before = {k: vn_value(getattr(member, k)) for k in MEMBER_FIELDS if getattr(member, k) != fields[k]}
        if member.cell_id != cell.pk:
            transfers.append(
                MemberTransfer(
                    member=member, from_cell_id=member.cell_id, to_cell=cell, note=f"Nhập danh sách từ tệp {filename}"
                )
            )
            before["cell"] = member.cell_id
        if not before:
            result.unchanged += 1
            continue
        for key, value in fields.items():
            setattr(member, key, value)
        member.cell = cell
        member.fill_derived()
        member.updated_at = now
        changed.append(member)
        after = {k: vn_value(getattr(member, k)) for k in before if k != "cell"}
        if "cell" in before:
            after["cell"] = cell.pk
        entries.append(audit_entry(actor, "member.import_update", member, before, after))
    for m in new_members:
        m.fill_derived()
    Member.objects.bulk_create(new_members, batch_size=2000)
    Member.objects.bulk_update(
        changed, MEMBER_FIELDS + ["cell", "full_name_folded", "name_key", "updated_at"], batch_size=2000
    )
    MemberTransfer.objects.bulk_create(transfers, batch_size=2000)
    entries += [audit_entry(actor, "member.import_create", m, None, {"cell": m.cell_id}) for m in new_members]
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
    result.created, result.updated, result.transferred = len(new_members), len(changed), len(transfers)
    audit_record(
        actor, "member.import", None, None, {"file": filename, **dataclasses.asdict(result)}, object_type="org.member"
    )
    if progress:
        progress(len(rows) * 2, len(rows) * 2)
    return result


def vn_value(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


# ---------------------------------------------------------------- template and export


def _member_cells(member: Member) -> list:
    return [
        member.full_name,
        member.card_number or "",
        member.record_number or "",
        vn_date(member.date_of_birth),
        member.get_gender_display(),
        member.ethnicity,
        member.phone,
        member.email,
        vn_date(member.joined_on),
        vn_date(member.official_on),
        member.get_status_display(),
        member.cell.code,
    ]


def write_members_xlsx(members, out) -> int:
    """Write MEMBERS to OUT as .xlsx in the import column set; returns the row count."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Đảng viên")
    write_header(sheet, [c.header for c in COLUMNS] + EXPORT_EXTRA_HEADERS)
    count = 0
    for member in members.select_related("cell").iterator(chunk_size=2000):
        write_row(sheet, _member_cells(member) + [member.cell.name])
        count += 1
    workbook.save(out)
    return count


def write_template_xlsx(out):
    """The empty import template with a sheet explaining every column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Đảng viên"
    write_header(sheet, [c.header for c in COLUMNS])
    set_widths(sheet, [max(14, len(c.header) + 4) for c in COLUMNS])
    format_as_text(sheet, range(1, len(COLUMNS) + 1), 1001)
    guide = [[c.header, "Có" if c.required else "Không", c.help] for c in COLUMNS] + [
        [],
        ["Mỗi đảng viên một dòng. Nhập lại cùng số thẻ (hoặc số lý lịch) sẽ cập nhật, không tạo trùng."],
        ["Có lỗi ở bất kỳ dòng nào thì không dòng nào được ghi; sửa theo danh sách lỗi rồi nhập lại."],
    ]
    add_guide(workbook, ["Cột", "Bắt buộc", "Cách ghi"], guide, [20, None, 60])
    workbook.save(out)


def roster_scope_paths(org: Organization | None, paths: list[str]) -> list[str]:
    """Restrict granted PATHS to ORG's subtree when an org is chosen."""
    if org is None:
        return paths
    if not any(org.path.startswith(p) for p in paths):
        return []
    return [org.path]
