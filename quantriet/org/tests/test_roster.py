"""Roster import and export: real .xlsx/.csv files through the importer, the command and the pages.

Every refused import must leave the database exactly as it was and name each problem by row
and column; every accepted one must be idempotent on re-import.
"""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from quantriet.core.models import AuditEntry, Job, JobStatus
from quantriet.core.sheets import SheetError
from quantriet.core.tests.zips import rezip, set_declared_size
from quantriet.core.text import vn_date
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Gender, Member, MemberStatus, MemberTransfer, Organization, member_problems
from quantriet.org.policy import paths_where
from quantriet.org.roster import COLUMN_TITLES, COLUMNS, import_roster
from quantriet.org.tasks import ROSTER_IMPORT_KIND

HEADERS = [c.header for c in COLUMNS]
H = {c.key: c.header for c in COLUMNS}  # column key -> Vietnamese header
C1, C2 = f"{ROOT_CODE}-X001", f"{ROOT_CODE}-X002"
C1_CELL1, C1_CELL2, C2_CELL1 = f"{C1}-C01", f"{C1}-C02", f"{C2}-C01"


# ---------------------------------------------------------------- building files


def person(**values):
    """One valid row (new member, card numbers far from the demo's) with VALUES overriding."""
    row = {
        "full_name": "Nguyễn Thị Mai",
        "card_number": "90000001",
        "record_number": "900001QT",
        "date_of_birth": "15/03/1985",
        "gender": "Nữ",
        "ethnicity": "Kinh",
        "phone": "0912345678",
        "email": "mai@example.vn",
        "joined_on": "20/05/2010",
        "official_on": "20/05/2011",
        "status": "Chính thức",
        "cell_code": C1_CELL1,
    }
    row.update(values)
    return row


def row_of(member, **values):
    """The row that describes MEMBER exactly as stored, with VALUES overriding."""
    row = {
        "full_name": member.full_name,
        "card_number": member.card_number or "",
        "record_number": member.record_number or "",
        "date_of_birth": vn_date(member.date_of_birth),
        "gender": member.get_gender_display(),
        "ethnicity": member.ethnicity,
        "phone": member.phone,
        "email": member.email,
        "joined_on": vn_date(member.joined_on),
        "official_on": vn_date(member.official_on),
        "status": member.get_status_display(),
        "cell_code": member.cell.code,
    }
    row.update(values)
    return row


def xlsx(rows, headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([None if row.get(c.key) in ("", None) else row[c.key] for c in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows, delimiter=";", bom=False):
    lines = [delimiter.join(HEADERS)] + [delimiter.join(str(row.get(c.key, "")) for c in COLUMNS) for row in rows]
    return (("\ufeff" if bom else "") + "\r\n".join(lines) + "\r\n").encode("utf-8")


def refused(data, filename="ds.xlsx", paths=None):
    """The SheetError raised by importing DATA (with the whole province in scope by default)."""
    paths = paths if paths is not None else [Organization.objects.get(code=ROOT_CODE).path]
    with pytest.raises(SheetError) as caught:
        import_roster(None, data, filename, paths)
    return caught.value


def where(error):
    """{(row, column header)} of every problem in ERROR."""
    return {(p.row, p.column) for p in error.problems}


def state():
    """A fingerprint of everything an import may write."""
    return {
        "members": Member.objects.count(),
        "transfers": MemberTransfer.objects.count(),
        "audit": AuditEntry.objects.count(),
        "last_member": Member.objects.order_by("-id").values_list("id", flat=True).first(),
    }


def fields(member):
    return Member.objects.filter(pk=member.pk).values().get()


# ---------------------------------------------------------------- fixtures


@pytest.fixture
def tree(db):
    orgs = {o.code: o for o in Organization.objects.filter(code__in=[ROOT_CODE, C1, C2, C1_CELL1, C1_CELL2, C2_CELL1])}
    orgs["all"] = [orgs[ROOT_CODE].path]
    return orgs


@pytest.fixture
def sample(tree):
    """An existing full member with a card in the first cell of commune 1."""
    return (
        Member.objects.filter(cell__code=C1_CELL1, card_number__isnull=False, status=MemberStatus.FULL)
        .select_related("cell")
        .order_by("id")
        .first()
    )


@pytest.fixture
def outside(tree):
    """An existing member of commune 2."""
    return Member.objects.in_subtree(tree[C2]).filter(card_number__isnull=False).select_related("cell").first()


# ---------------------------------------------------------------- valid files


def test_valid_xlsx_creates_members_with_their_fields(tree):
    before = Member.objects.count()
    rows = [
        person(date_of_birth=datetime.date(1985, 3, 15)),  # a real date cell, as Excel stores it
        person(
            full_name="Trần Văn Bình",
            card_number="",
            record_number="900002qt",
            date_of_birth="02/09/1995",
            gender="nam",
            ethnicity="",
            phone="+84 912 345 679",
            email="BINH@Example.VN",
            joined_on="03/02/2026",
            official_on="",
            status="dự bị",
            cell_code=C1_CELL2,
        ),
    ]
    result = import_roster(None, xlsx(rows), "ds.xlsx", tree["all"])

    assert (result.rows, result.created, result.updated, result.unchanged, result.transferred) == (2, 2, 0, 0, 0)
    assert Member.objects.count() == before + 2
    mai = Member.objects.get(card_number="90000001")
    assert mai.full_name == "Nguyễn Thị Mai"
    assert mai.full_name_folded == "nguyen thi mai"
    assert mai.record_number == "900001QT"
    assert mai.date_of_birth == datetime.date(1985, 3, 15)
    assert mai.gender == Gender.FEMALE
    assert (mai.joined_on, mai.official_on) == (datetime.date(2010, 5, 20), datetime.date(2011, 5, 20))
    assert mai.status == MemberStatus.FULL
    assert mai.cell == tree[C1_CELL1]
    binh = Member.objects.get(record_number="900002QT")  # upper-cased
    assert binh.card_number is None
    assert binh.gender == Gender.MALE
    assert binh.ethnicity == "Kinh"  # blank means Kinh
    assert binh.phone == "0912345679"  # +84 and spaces normalised
    assert binh.email == "binh@example.vn"
    assert binh.official_on is None
    assert binh.status == MemberStatus.PROBATIONARY
    assert binh.cell == tree[C1_CELL2]
    created = AuditEntry.objects.filter(action="member.import_create", object_id__in=[str(mai.pk), str(binh.pk)])
    assert created.count() == 2
    summary = AuditEntry.objects.filter(action="member.import").latest("id")
    assert summary.after["created"] == 2


def test_reimporting_the_same_file_creates_no_duplicates(tree):
    data = xlsx([person(), person(card_number="", record_number="900002QT", official_on="", status="Dự bị")])
    import_roster(None, data, "ds.xlsx", tree["all"])
    count, audit = Member.objects.count(), AuditEntry.objects.filter(action="member.import_update").count()

    again = import_roster(None, data, "ds.xlsx", tree["all"])

    assert (again.created, again.updated, again.unchanged, again.transferred) == (0, 0, 2, 0)
    assert Member.objects.count() == count
    assert Member.objects.filter(card_number="90000001").count() == 1
    assert Member.objects.filter(record_number="900002QT").count() == 1
    assert AuditEntry.objects.filter(action="member.import_update").count() == audit


def test_reimport_with_a_changed_phone_updates_and_audits(tree, sample):
    old_phone, old_updated = sample.phone, sample.updated_at
    count = Member.objects.count()

    result = import_roster(None, xlsx([row_of(sample, phone="0987654321")]), "ds.xlsx", tree["all"])

    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    assert Member.objects.count() == count
    sample.refresh_from_db()
    assert sample.phone == "0987654321"
    assert sample.updated_at > old_updated
    entry = AuditEntry.objects.filter(action="member.import_update", object_id=str(sample.pk)).get()
    assert entry.object_type == "org.member"
    assert entry.before == {"phone": old_phone}
    assert entry.after == {"phone": "0987654321"}


def test_reimport_with_another_cell_moves_the_member_and_records_a_transfer(tree, sample):
    result = import_roster(None, xlsx([row_of(sample, cell_code=C1_CELL2)]), "chuyen.xlsx", tree["all"])

    assert (result.updated, result.transferred) == (1, 1)
    sample.refresh_from_db()
    assert sample.cell == tree[C1_CELL2]
    transfer = MemberTransfer.objects.get(member=sample)
    assert (transfer.from_cell, transfer.to_cell) == (tree[C1_CELL1], tree[C1_CELL2])
    assert "chuyen.xlsx" in transfer.note
    entry = AuditEntry.objects.get(action="member.import_update", object_id=str(sample.pk))
    assert entry.before == {"cell": tree[C1_CELL1].pk}
    assert entry.after == {"cell": tree[C1_CELL2].pk}


def test_probationary_member_without_card_is_matched_by_record_number(tree):
    row = person(card_number="", record_number="900003QT", official_on="", status="Dự bị", phone="")
    import_roster(None, xlsx([row]), "ds.xlsx", tree["all"])
    result = import_roster(None, xlsx([{**row, "phone": "0911111111"}]), "ds.xlsx", tree["all"])
    assert (result.created, result.updated) == (0, 1)
    assert Member.objects.get(record_number="900003QT").phone == "0911111111"


def test_headers_match_without_case_or_diacritics_and_in_any_order(tree):
    order = list(reversed(COLUMNS))
    workbook = Workbook()
    workbook.active.append(["HO VA TEN" if c.key == "full_name" else c.header.upper() for c in order])
    workbook.active.append([person()[c.key] for c in order])
    out = io.BytesIO()
    workbook.save(out)
    assert import_roster(None, out.getvalue(), "ds.xlsx", tree["all"]).created == 1
    assert Member.objects.get(card_number="90000001").full_name == "Nguyễn Thị Mai"


@pytest.mark.parametrize("bom", [False, True], ids=["utf8", "utf8-bom"])
@pytest.mark.parametrize("delimiter", [";", ","])
def test_csv_imports(tree, bom, delimiter):
    rows = [person(), person(full_name="Lê Văn Cường", card_number="90000002", record_number="900002QT")]
    result = import_roster(None, csv_bytes(rows, delimiter, bom), "ds.csv", tree["all"])
    assert result.created == 2
    first = Member.objects.get(card_number="90000001")
    assert first.full_name == "Nguyễn Thị Mai"  # no BOM glued to the first header or value
    assert first.cell == tree[C1_CELL1]
    assert Member.objects.get(card_number="90000002").full_name == "Lê Văn Cường"


def test_csv_that_is_not_utf8_is_refused_in_vietnamese(tree):
    data = csv_bytes([person()]).decode("utf-8").encode("cp1258", errors="replace")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    before = state()
    error = refused(data, "ds.csv")
    assert [(p.row, p.column) for p in error.problems] == [(0, "")]
    assert "UTF-8" in error.problems[0].message
    assert "bảng mã" in error.problems[0].message
    assert state() == before


# ---------------------------------------------------------------- bad files


def test_bad_rows_are_all_listed_and_nothing_is_written(tree, sample):
    future = vn_date(timezone.localdate() + datetime.timedelta(days=400))
    rows = [
        person(),  # 2: valid new member
        row_of(sample, phone="0900000000"),  # 3: valid update
        person(card_number="1234567", record_number="900004QT"),  # 4
        person(card_number="12A45678", record_number="900005QT"),  # 5
        person(),  # 6: the same card and record as row 2
        person(card_number="90000007", record_number="900007QT", date_of_birth=future),
        person(card_number="90000008", record_number="900008QT", date_of_birth="01/01/2000", joined_on="01/06/2017"),
        person(card_number="90000009", record_number="900009QT", joined_on="01/01/2015", official_on="01/01/2014"),
        person(card_number="90000010", record_number="900010QT", date_of_birth="31/02/1980"),  # 10
        person(card_number="90000011", record_number="900011QT", cell_code=""),  # 11
        person(card_number="90000012", record_number="900012QT", cell_code=f"{ROOT_CODE}-X999-C99"),  # 12
        person(card_number="90000013", record_number="900013QT", cell_code=C1),  # 13: a committee
        person(card_number="123", record_number="900014QT", date_of_birth="01/01/2000", joined_on="01/06/2017"),
        person(card_number="90000015", record_number="900015QT", gender="Khác", phone="12345", email="khong-phai"),
    ]
    before, sample_before = state(), fields(sample)

    error = refused(xlsx(rows))

    card, dob, joined, official = H["card_number"], H["date_of_birth"], H["joined_on"], H["official_on"]
    cell = H["cell_code"]
    expected = {
        (4, card),
        (5, card),
        (6, card),
        (6, H["record_number"]),
        (7, dob),
        (8, joined),
        (9, official),
        (10, dob),
        (11, cell),
        (12, cell),
        (13, cell),
        (14, card),
        (14, joined),  # a row's date problems are listed even when another column is wrong too
        (15, H["gender"]),
        (15, H["phone"]),
        (15, H["email"]),
    }
    assert expected <= where(error)
    assert {p.row for p in error.problems} == {4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
    text = str(error)
    for row, column in expected:
        assert f"Dòng {row}, cột “{column}”" in text
    messages = {(p.row, p.column): p.message for p in error.problems}
    assert "8 chữ số" in messages[(4, card)]
    assert "dòng 2" in messages[(6, card)]
    assert "tương lai" in messages[(7, dob)]
    assert "18 tuổi" in messages[(8, joined)]
    assert "sau ngày vào Đảng" in messages[(9, official)]
    assert "31/02/1980" in messages[(10, dob)]
    assert "để trống" in messages[(11, cell)]
    assert "X999" in messages[(12, cell)]
    assert "không phải chi bộ" in messages[(13, cell)]
    assert [p.row for p in error.problems] == sorted(p.row for p in error.problems)

    assert state() == before
    assert fields(sample) == sample_before
    assert not Member.objects.filter(card_number="90000001").exists()


def test_wrong_headers_are_named(tree):
    headers = [h for h in HEADERS if h != H["cell_code"]] + ["Quê quán"]
    headers[headers.index(H["phone"])] = "Điện thoại"
    before = state()
    error = refused(xlsx([person()], headers=headers))
    assert {(1, H["cell_code"]), (1, H["phone"]), (1, "Quê quán"), (1, "Điện thoại")} <= where(error)
    assert all(p.row == 1 for p in error.problems)
    assert H["cell_code"] in str(error)
    assert state() == before


def test_file_with_only_a_header_is_refused(tree):
    assert "không có đảng viên" in str(refused(xlsx([])))


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        ("Họ và tên;Số thẻ\nAn;12345678\n".encode(), "ds.xlsx", "không phải bảng tính Excel"),
        (b"", "ds.xlsx", "không phải bảng tính Excel"),
        (b"PK\x03\x04 not really a zip", "ds.xlsx", "không phải bảng tính Excel"),
        (b"%PDF-1.4 whatever", "ds.pdf", "Chỉ nhận tệp .xlsx hoặc .csv"),
    ],
    ids=["text-renamed-xlsx", "empty", "broken-zip", "pdf"],
)
def test_files_that_are_not_rosters_are_refused(tree, data, filename, message):
    before = state()
    error = refused(data, filename)
    assert [p.row for p in error.problems] == [0]
    assert message in str(error)
    assert state() == before


def test_zip_that_is_not_a_workbook_is_refused(tree):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    assert "không phải bảng tính Excel" in str(refused(out.getvalue()))


def test_workbook_with_a_corrupt_sheet_is_refused_not_crashing(tree):
    data = rezip(xlsx([person()]), replace={"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row><c><v>1</x>"})
    before = state()
    assert "không phải bảng tính Excel" in str(refused(data))
    assert state() == before


def test_zip_bomb_by_ratio_is_refused(tree):
    data = rezip(xlsx([person()]), add={"xl/media/padding.bin": b"\0" * (8 * 1024 * 1024)})
    assert len(data) < 100_000  # 8 MB of zeros squeezed into a few kilobytes
    before = state()
    error = refused(data)
    assert "Tệp nén bất thường" in str(error)
    assert state() == before


def test_zip_declaring_a_huge_unpacked_size_is_refused_before_unpacking(tree):
    data = set_declared_size(xlsx([person()]), "xl/worksheets/sheet1.xml", 3 * 1024**3)
    assert "Tệp nén bất thường" in str(refused(data))


def test_zip_understating_its_unpacked_size_is_refused(tree):
    data = set_declared_size(xlsx([person()]), "xl/worksheets/sheet1.xml", 10)
    before = state()
    assert [p.row for p in refused(data).problems] == [0]
    assert state() == before


# ---------------------------------------------------------------- scope


def test_rows_for_cells_outside_the_scope_are_refused(tree, users):
    paths = paths_where(users["xa1.bithu"], "roster.import")
    assert paths == [tree[C1].path]
    rows = [person(), person(card_number="90000002", record_number="900002QT", cell_code=C2_CELL1)]
    before = state()
    error = refused(xlsx(rows), paths=paths)
    assert where(error) == {(3, H["cell_code"])}
    assert "phạm vi" in error.problems[0].message
    assert state() == before


def test_card_of_a_member_outside_the_scope_is_refused(tree, users, outside):
    paths = paths_where(users["xa1.bithu"], "roster.import")
    outside_before = fields(outside)
    before = state()
    error = refused(xlsx([row_of(outside, cell_code=C1_CELL1)]), paths=paths)
    assert where(error) == {(2, H["card_number"])}
    assert "ngoài phạm vi" in error.problems[0].message
    assert state() == before
    assert fields(outside) == outside_before


def test_no_scope_at_all_is_refused(tree):
    assert "không được giao" in str(refused(xlsx([person()]), paths=[]))


# ---------------------------------------------------------------- the management command


def test_command_imports_and_prints_counts(tree, tmp_path, sample):
    path = tmp_path / "ds.xlsx"
    neighbour = sample.cell.members.exclude(pk=sample.pk).first()
    path.write_bytes(xlsx([person(), row_of(sample, phone="0900000001"), row_of(neighbour)]))
    out = io.StringIO()
    call_command("import_members", str(path), "--quiet", stdout=out)
    assert "Đã nhập 3 dòng: thêm mới 1, cập nhật 1, không đổi 1, chuyển chi bộ 0." in out.getvalue()
    assert Member.objects.filter(card_number="90000001").exists()


def test_command_refuses_a_bad_file_and_changes_nothing(tree, tmp_path):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(xlsx([person(), person(card_number="1234567", record_number="900002QT")]))
    before = state()
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("import_members", str(path), "--quiet", stderr=err)
    assert f"Dòng 3, cột “{H['card_number']}”" in err.getvalue()
    assert state() == before


def test_command_exits_non_zero_on_a_bad_file(tree, tmp_path, capsys, monkeypatch):
    path = tmp_path / "ds.csv"
    path.write_bytes(csv_bytes([person(cell_code="KHONG-CO")]))
    monkeypatch.setattr(connections, "close_all", lambda: None)  # keep the test's transaction open
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", "import_members", str(path), "--quiet", "--skip-checks"]).execute()
    assert exit_.value.code == 1
    assert "KHONG-CO" in capsys.readouterr().err


def test_command_with_org_refuses_rows_of_other_communes(tree, tmp_path):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(xlsx([person(), person(card_number="90000002", record_number="900002QT", cell_code=C2_CELL1)]))
    before = state()
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_members", str(path), "--org", C1, "--quiet", stderr=err)
    assert f"Dòng 3, cột “{H['cell_code']}”" in err.getvalue()
    assert state() == before
    out = io.StringIO()
    call_command("import_members", str(path), "--org", ROOT_CODE, "--quiet", stdout=out)
    assert "thêm mới 2" in out.getvalue()


def test_command_with_unknown_org_or_missing_file(tree, tmp_path):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(xlsx([person()]))
    with pytest.raises(CommandError, match="KHONG-CO"):
        call_command("import_members", str(path), "--org", "KHONG-CO", "--quiet")
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("import_members", str(tmp_path / "khong-co.xlsx"), "--quiet")


# ---------------------------------------------------------------- export and template


def _export(client, org):
    response = client.get(reverse("org:export", args=[org.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert f"dang-vien-{org.code}-" in response["Content-Disposition"]
    return response.getvalue()


def test_export_contains_exactly_the_subtree(tree, client_as):
    data = _export(client_as("xa1.bithu"), tree[C1])
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][: len(HEADERS)]) == HEADERS
    card, record, cell = (HEADERS.index(H[k]) for k in ("card_number", "record_number", "cell_code"))
    exported = sorted((r[card] or "", r[record] or "") for r in rows[1:])
    in_subtree = Member.objects.filter(cell__path__startswith=tree[C1].path)
    expected = sorted((m.card_number or "", m.record_number or "") for m in in_subtree)
    assert exported == expected
    assert len(exported) > 0
    assert all(r[cell].startswith(f"{C1}-") for r in rows[1:])
    assert not Member.objects.in_subtree(tree[C2]).filter(card_number__in=[c for c, _ in exported if c]).exists()


def test_export_neutralises_formulas(tree, client_as):
    cell = tree[C1_CELL1]
    common = {"date_of_birth": datetime.date(1980, 1, 1), "gender": Gender.MALE, "cell": cell}
    common |= {"joined_on": datetime.date(2005, 1, 1), "status": MemberStatus.PROBATIONARY}
    nasty = [
        Member.objects.create(full_name='=HYPERLINK("http://x.example","Bấm")', record_number="900001QT", **common),
        Member.objects.create(full_name="+SUM(1,2)", phone="+84912345678", record_number="900002QT", **common),
        Member.objects.create(full_name="@SUM(1,2)", email="-2+3@example.vn", record_number="900003QT", **common),
        Member.objects.create(full_name="-1+1", phone="-09", email="=1@example.vn", record_number="900004QT", **common),
    ]
    data = _export(client_as("xa1.bithu"), tree[C1])

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]  # not data_only: formulas would show as such
    record = HEADERS.index(H["record_number"])
    by_record = {row[record].value: row for row in sheet.iter_rows(min_row=2)}
    checked = 0
    for member in nasty:
        row = by_record[member.record_number]
        for key in ("full_name", "phone", "email"):
            value = getattr(member, key)
            cell_ = row[HEADERS.index(H[key])]
            if value and value[0] in "=+-@":
                assert cell_.data_type == "s"
                assert cell_.value == "'" + value
                checked += 1
    assert checked == 8


def test_export_reimports_unchanged(tree, client_as, users):
    cell = tree[C1_CELL2]
    Member.objects.create(
        full_name="=Lê Thị Hoa",
        email="-hoa@example.vn",
        card_number="90000099",
        record_number="900099QT",
        date_of_birth=datetime.date(1980, 1, 1),
        gender=Gender.FEMALE,
        joined_on=datetime.date(2005, 1, 1),
        official_on=datetime.date(2006, 1, 1),
        status=MemberStatus.FULL,
        cell=cell,
    )
    Member.objects.create(
        full_name="'Tên có nháy",
        record_number="900098QT",
        date_of_birth=datetime.date(1990, 1, 1),
        gender=Gender.MALE,
        joined_on=datetime.date(2026, 1, 1),
        status=MemberStatus.PROBATIONARY,
        cell=cell,
    )
    data = _export(client_as("xa1.bithu"), tree[C1])
    total = Member.objects.in_subtree(tree[C1]).count()
    before = state()

    result = import_roster(users["xa1.bithu"], data, "export.xlsx", paths_where(users["xa1.bithu"], "roster.import"))

    assert (result.rows, result.unchanged) == (total, total)
    assert (result.created, result.updated, result.transferred) == (0, 0, 0)
    assert Member.objects.count() == before["members"]
    assert Member.objects.get(record_number="900098QT").full_name == "'Tên có nháy"


def test_template_header_row_is_the_column_set(client_as):
    response = client_as("xa1.bithu").get(reverse("org:roster_template"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    header = [c.value for c in workbook.worksheets[0][1]]
    assert header == HEADERS
    guide = [row[0] for row in workbook["Hướng dẫn"].iter_rows(min_row=2, max_row=len(COLUMNS) + 1, values_only=True)]
    assert guide == HEADERS
    assert COLUMN_TITLES["card_number"] == "Số thẻ đảng viên"


def test_filled_template_imports(tree, client_as):
    data = client_as("xa1.bithu").get(reverse("org:roster_template")).getvalue()
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    for index, column in enumerate(COLUMNS, start=1):
        sheet.cell(row=2, column=index, value=person()[column.key] or None)
    out = io.BytesIO()
    workbook.save(out)
    assert import_roster(None, out.getvalue(), "mau.xlsx", tree["all"]).created == 1


# ---------------------------------------------------------------- the upload pages


def _upload(client, data, filename="ds.xlsx", org=""):
    return client.post(
        reverse("org:roster_import"), {"file": SimpleUploadedFile(filename, data), "org": org and org.pk}
    )


def test_upload_of_a_good_file_completes(tree, client_as, users):
    client = client_as("xa1.bithu")
    response = _upload(client, xlsx([person(), person(card_number="90000002", record_number="900002QT")]))
    job = Job.objects.get(kind=ROSTER_IMPORT_KIND, created_by=users["xa1.bithu"], payload_name="ds.xlsx")
    assert response.status_code == 302
    assert response["Location"] == reverse("org:roster_job", args=[job.pk])

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hoàn tất" in html
    assert "thêm mới 2" in html
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.result["counts"]["created"] == 2
    assert bytes(job.payload) == b""  # the upload is not kept once processed
    member = Member.objects.get(card_number="90000001")
    assert (
        AuditEntry.objects.filter(action="member.import_create", object_id=str(member.pk)).get().actor
        == (users["xa1.bithu"])
    )


def test_upload_of_a_bad_file_shows_every_error(tree, client_as, users):
    client = client_as("xa1.bithu")
    rows = [person(), person(card_number="1234567", record_number="900002QT"), person(cell_code=C2_CELL1)]
    imports = AuditEntry.objects.filter(action__startswith="member.import_c") | AuditEntry.objects.filter(
        action__in=["member.import", "member.import_update"]
    )
    before, imports_before = state(), imports.count()
    response = _upload(client, xlsx(rows))
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Bị từ chối" in html
    assert 'id="import-errors"' in html
    assert f"<td>3</td><td>{H['card_number']}</td>" in html
    assert f"<td>4</td><td>{H['cell_code']}</td>" in html
    assert f"<td>4</td><td>{H['card_number']}</td>" in html  # same card as row 2
    job = Job.objects.get(kind=ROSTER_IMPORT_KIND, created_by=users["xa1.bithu"])
    assert job.status == JobStatus.FAILED
    problems = job.result["problems"]
    assert {(p["row"], p["column"]) for p in problems} >= {(3, H["card_number"]), (4, H["cell_code"])}
    after = state()
    assert (after["members"], after["transfers"]) == (before["members"], before["transfers"])
    assert imports.count() == imports_before


def test_upload_limited_to_an_org_refuses_rows_elsewhere(tree, client_as, users):
    client = client_as("admin")
    response = _upload(client, xlsx([person(cell_code=C2_CELL1)]), org=tree[C1])
    assert "Bị từ chối" in client.get(response["Location"]).content.decode()
    assert not Member.objects.filter(card_number="90000001").exists()


def test_upload_cannot_choose_an_org_outside_the_grant(tree, client_as):
    response = _upload(client_as("xa1.bithu"), xlsx([person(cell_code=C2_CELL1)]), org=tree[C2])
    assert response.status_code == 200  # the form is shown again with its error
    assert not Job.objects.filter(kind=ROSTER_IMPORT_KIND).exists()


def test_upload_of_a_renamed_text_file_fails_in_the_job(tree, client_as):
    client = client_as("xa1.bithu")
    response = _upload(client, b"Ho va ten;So the\nAn;1\n", filename="ds.xlsx")
    html = client.get(response["Location"]).content.decode()
    assert "Bị từ chối" in html
    assert "không phải bảng tính Excel" in html


def test_job_page_of_another_user_is_404(tree, client_as):
    response = _upload(client_as("xa1.bithu"), xlsx([person()]))
    job_url = response["Location"]
    job = Job.objects.get(kind=ROSTER_IMPORT_KIND)
    other = client_as("xa2.bithu")
    assert other.get(job_url).status_code == 404
    assert other.get(reverse("org:roster_job_status", args=[job.pk])).status_code == 404
    assert client_as("admin").get(job_url).status_code == 404  # jobs are private even to the admin


def test_propaganda_role_cannot_import(tree, client_as):
    client = client_as("tinh.tuyengiao")
    assert client.get(reverse("org:roster_import")).status_code == 403
    response = _upload(client, xlsx([person()]))
    assert response.status_code == 403
    assert not Job.objects.filter(kind=ROSTER_IMPORT_KIND).exists()
    assert not Member.objects.filter(card_number="90000001").exists()


def test_anonymous_is_sent_to_login(tree, client_as):
    client = client_as(None)
    for response in (client.get(reverse("org:roster_import")), _upload(client, xlsx([person()]))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not Job.objects.filter(kind=ROSTER_IMPORT_KIND).exists()


def test_import_page_lists_own_jobs(tree, client_as):
    client = client_as("xa1.bithu")
    _upload(client, xlsx([person()]), filename="cua-toi.xlsx")
    _upload(client_as("xa2.bithu"), xlsx([person(cell_code=f"{C2}-C01")]), filename="cua-nguoi-khac.xlsx")
    html = client.get(reverse("org:roster_import")).content.decode()
    assert "cua-toi.xlsx" in html
    assert "cua-nguoi-khac.xlsx" not in html


def test_conflict_message_names_no_member_outside_scope(users):
    """Card of an in-scope member with the record number of an out-of-scope one: no name leaks."""
    inside = users["dangvien1"].member
    outside = Member.objects.in_subtree(Organization.objects.get(code=C2)).exclude(record_number=None).first()
    data = xlsx([row_of(inside, record_number=outside.record_number)])
    with pytest.raises(SheetError) as error:
        import_roster(None, data, "x.xlsx", [Organization.objects.get(code=C1).path])
    text = str(error.value)
    assert "ngoài phạm vi" in text and outside.full_name not in text


def test_worker_crash_ends_the_job(client_as, users, monkeypatch):
    from quantriet.org import tasks

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(tasks, "import_roster", crash)
    job = tasks.roster_import_start(users["xa1.bithu"], None, "a.xlsx", b"PK")
    job.refresh_from_db()
    assert job.status == "failed" and "Lỗi hệ thống" in job.error and bytes(job.payload) == b""
    with pytest.raises(RuntimeError):  # the crash reaches the task backend too, which records the traceback
        tasks.run_roster_import.call(Job.objects.create(kind=ROSTER_IMPORT_KIND, label="a", payload=b"PK").pk)
    page = client_as("xa1.bithu").get(reverse("org:roster_job", args=[job.pk])).content.decode()
    assert "Bị từ chối" in page and "Lỗi hệ thống" in page and "Không dòng nào được ghi" in page


def test_fuzz_found_a_birth_year_near_9999_crashed_the_row_check(tree):
    """fuzz/roster.py: a birth date in year 9990 with a join date raised ValueError ("year 10008 is out of
    range") while checking the joining age, instead of naming the row's problem; the member form too."""
    before = state()
    error = refused(xlsx([person(date_of_birth="01/01/9990")]))
    assert (2, H["date_of_birth"]) in where(error)
    assert any("ngày sinh ở tương lai" in p.message for p in error.problems)
    assert state() == before
    assert ("date_of_birth", "Ngày sinh ở tương lai.") in member_problems(
        {"date_of_birth": datetime.date(9999, 12, 31), "joined_on": datetime.date(2010, 5, 20), "card_number": "1"}
    )
