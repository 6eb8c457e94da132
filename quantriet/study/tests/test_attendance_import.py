"""The attendance sheet: a roster-prefilled template out; the filled sheet back in, all rows or none."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from quantriet.core.models import AuditEntry
from quantriet.org.models import Member
from quantriet.study import services
from quantriet.study.attendance_import import import_attendance
from quantriet.study.models import Attendance, AttendanceSource, AttendanceStatus

from .test_conferences_common import make_conference, make_plan, org

HEADER = ["Số thẻ đảng viên", "Họ và tên", "Tình trạng", "Lý do"]


@pytest.fixture
def conference(users):
    plan = make_plan(users["admin"])
    return make_conference(plan, org("X001"), users["admin"])


@pytest.fixture
def carded(conference):
    """Roster members with a card number, in a fixed order."""
    return list(services.conference_roster(conference).exclude(card_number=None).order_by("id"))


def csv_file(rows, header=HEADER, name="diem-danh.csv"):
    lines = [",".join(header)] + [",".join(str(c) for c in row) for row in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"), content_type="text/csv")


def upload(client, conference, file):
    return client.post(reverse("study:attendance_import", args=[conference.pk]), {"file": file})


def test_template_lists_the_roster_with_current_marks(conference, client_as, users):
    member = services.conference_roster(conference).order_by("id").first()
    services.attendance_mark(users["admin"], conference, member, AttendanceStatus.EXCUSED, "Ốm")
    response = client_as("xa1.bithu").get(reverse("study:attendance_template", args=[conference.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("STT", "Số thẻ đảng viên", "Số lý lịch", "Họ và tên", "Chi bộ", "Tình trạng", "Lý do")
    body = [r for r in rows[1:] if r[0] is not None]
    assert len(body) == services.conference_roster(conference).count()
    marked = next(r for r in body if r[3] == member.full_name and (r[1] or None) == member.card_number)
    assert marked[5:] == ("Vắng có lý do", "Ốm")


def test_a_valid_sheet_is_written_in_one_go(conference, carded, client_as, users):
    a, b, c, d = carded[:4]
    sheet = csv_file(
        [
            [a.card_number, a.full_name, "có mặt", ""],
            [b.card_number, b.full_name, "DI MUON", ""],  # no diacritics, upper case
            [c.card_number, "", "Vắng có lý do", "Đi công tác"],
            [d.card_number, d.full_name, "", ""],  # left blank: unchanged
        ]
    )
    response = upload(client_as("xa1.bithu"), conference, sheet)
    assert response.status_code == 302 and response["Location"] == reverse("study:attendance", args=[conference.pk])
    marks = dict(Attendance.objects.filter(conference=conference).values_list("member_id", "status"))
    assert marks == {a.pk: AttendanceStatus.PRESENT, b.pk: AttendanceStatus.LATE, c.pk: AttendanceStatus.EXCUSED}
    assert Attendance.objects.get(conference=conference, member=c).reason == "Đi công tác"
    assert set(Attendance.objects.filter(conference=conference).values_list("source", flat=True)) == {
        AttendanceSource.IMPORT
    }
    entry = AuditEntry.objects.get(action="attendance.import", object_id=str(conference.pk))
    assert entry.after["created"] == 3 and entry.actor == users["xa1.bithu"]


def test_every_bad_row_is_reported_and_nothing_is_written(conference, carded, client_as, users):
    a, b, c, d = carded[:4]
    services.attendance_mark(users["admin"], conference, d, AttendanceStatus.PRESENT)
    outsider = Member.objects.in_subtree(org("X002")).exclude(card_number=None).first()
    sheet = csv_file(
        [
            [a.card_number, a.full_name, "Có mặt", ""],  # row 2: fine
            ["99999999", "Không Có Ai", "Có mặt", ""],  # row 3: unknown member
            [outsider.card_number, outsider.full_name, "Có mặt", ""],  # row 4: not on the roster
            [b.card_number, b.full_name, "Nghỉ phép", ""],  # row 5: bad status
            [c.card_number, c.full_name, "vang co ly do", ""],  # row 6: excused without reason
            [a.card_number, a.full_name, "Đi muộn", ""],  # row 7: duplicate of row 2
            [d.card_number, "Tên Khác Hẳn", "Vắng không lý do", ""],  # row 8: name does not match
        ]
    )
    response = upload(client_as("xa1.bithu"), conference, sheet)
    assert response.status_code == 400
    problems = [(p.row, p.column) for p in response.context["problems"]]
    assert problems == [
        (3, "Số thẻ đảng viên"),
        (4, "Số thẻ đảng viên"),
        (5, "Tình trạng"),
        (6, "Lý do"),
        (7, "Số thẻ đảng viên"),
        (8, "Họ và tên"),
    ]
    messages = {p.row: p.message for p in response.context["problems"]}
    assert "không tìm thấy đảng viên có số thẻ “99999999”" in messages[3]
    assert "không có tên trong danh sách dự hội nghị" in messages[4] and outsider.full_name not in messages[4]
    assert "“Nghỉ phép” không hợp lệ" in messages[5]
    assert messages[6] == "vắng có lý do thì phải ghi lý do."
    assert "đã có ở dòng 2" in messages[7]
    html = response.content.decode()
    assert "không dòng nào được ghi" in html and 'id="import-errors"' in html
    # All or nothing: row 2 was fine but is not written; d keeps its earlier mark.
    assert dict(Attendance.objects.filter(conference=conference).values_list("member_id", "status")) == {
        d.pk: AttendanceStatus.PRESENT
    }
    assert not AuditEntry.objects.filter(action="attendance.import").exists()


def test_missing_columns_are_reported(conference, carded, client_as):
    sheet = csv_file([[carded[0].full_name, "Có mặt"]], header=["Họ và tên", "Trạng thái"])
    response = upload(client_as("xa1.bithu"), conference, sheet)
    assert response.status_code == 400
    problems = [(p.row, p.column) for p in response.context["problems"]]
    assert (1, "Số thẻ đảng viên") in problems and (1, "Tình trạng") in problems


def test_the_downloaded_template_filled_in_excel_goes_back_in(conference, client_as):
    client = client_as("xa1.bithu")
    template = client.get(reverse("study:attendance_template", args=[conference.pk])).getvalue()
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    statuses = ["Có mặt", "Vắng không lý do", "Về sớm"]
    filled = []
    for index, row in enumerate(sheet.iter_rows(min_row=2, max_row=4)):
        row[5].value = statuses[index]
        filled.append((row[1].value or None, row[2].value or None, statuses[index]))
    out = io.BytesIO()
    workbook.save(out)
    response = upload(client, conference, SimpleUploadedFile("diem-danh.xlsx", out.getvalue()))
    assert response.status_code == 302
    labels = dict(AttendanceStatus.choices)
    written = {
        (a.member.card_number, a.member.record_number, labels[a.status])
        for a in Attendance.objects.filter(conference=conference).select_related("member")
    }
    assert written == set(filled)


def test_probationary_members_are_found_by_record_number(conference, client_as):
    member = services.conference_roster(conference).exclude(record_number=None).first()
    # Make them a probationary member without a card: only the record number identifies them.
    Member.objects.filter(pk=member.pk).update(card_number=None, status="du_bi", official_on=None)
    row = [member.record_number.lower(), member.full_name, "Có mặt", ""]
    sheet = csv_file([row], header=["Số lý lịch", *HEADER[1:]])
    assert upload(client_as("xa1.bithu"), conference, sheet).status_code == 302
    assert Attendance.objects.get(conference=conference, member=member).status == AttendanceStatus.PRESENT


def test_reimporting_updates_and_keeps_one_row_per_member(conference, carded, users):
    a = carded[0]
    first = csv_file([[a.card_number, a.full_name, "Vắng không lý do", ""]]).read()
    second = csv_file([[a.card_number, a.full_name, "Có mặt", ""]]).read()
    import_attendance(users["admin"], conference, first, "a.csv")
    result = import_attendance(users["admin"], conference, second, "b.csv")
    assert (result.created, result.updated) == (0, 1)
    assert Attendance.objects.get(conference=conference, member=a).status == AttendanceStatus.PRESENT


def test_not_a_spreadsheet_is_refused(conference, client_as):
    response = upload(client_as("xa1.bithu"), conference, SimpleUploadedFile("a.xlsx", b"PK\x03\x04 not really"))
    assert response.status_code == 400
    assert "không phải bảng tính Excel" in response.context["problems"][0].message
    empty = Workbook()
    out = io.BytesIO()
    empty.save(out)
    response = upload(client_as("xa1.bithu"), conference, SimpleUploadedFile("a.xlsx", out.getvalue()))
    assert response.status_code == 400 and "Tệp không có dữ liệu." in response.content.decode()


def test_plain_member_cannot_import(conference, carded, client_as):
    sheet = csv_file([[carded[0].card_number, carded[0].full_name, "Có mặt", ""]])
    assert upload(client_as("dangvien1"), conference, sheet).status_code == 403
    assert upload(client_as("xa2.bithu"), conference, sheet).status_code == 404
    assert not Attendance.objects.filter(conference=conference).exists()


def test_a_sheet_does_not_overwrite_a_checkin_with_the_code(conference, client_as, users):
    me = users["dangvien1"].member
    assert services.checkin(users["dangvien1"], conference, services.codes.make_code(conference))[0] == "ok"
    me.card_number = me.card_number or "99.999999"
    me.save(update_fields=["card_number"])
    sheet = csv_file([[me.card_number, me.full_name, "Vắng có lý do", "ốm, có đơn"]])
    client = client_as("xa1.bithu")
    response = upload(client, conference, sheet)
    assert response.status_code == 302
    row = Attendance.objects.get(conference=conference, member=me)
    assert (row.status, row.reason, row.source) == (AttendanceStatus.LATE, "", AttendanceSource.QR)
    shown = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert any(m.startswith("Giữ nguyên 1 đảng viên đã tự điểm danh bằng mã") for m in shown)
