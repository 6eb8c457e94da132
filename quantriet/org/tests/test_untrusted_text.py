"""Text and values the model forbids never get in (imports, forms, API), and exports survive what is stored.

Found by probing the demo: a roster row "Nguyễn\\x00Văn" was accepted and then every member export,
the quiz results export and the attendance template answered 500; a 5,000-character ethnicity and a
birth date of 01/01/1800 were stored (SQLite does not enforce lengths).
"""

import datetime
import io

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from quantriet.core.text import UNPRINTABLE, printable, unprintable_problem
from quantriet.org.models import Member, Organization
from quantriet.quizzes.tests.common import quiz_plan
from quantriet.study.tests.test_conferences_common import make_conference, make_plan

from . import test_roster
from .test_roster import C1, C1_CELL1, H, csv_bytes, person, refused, state, where, xlsx

tree = test_roster.tree  # the fixture

NUL_NAME = "Nguyễn\x00Văn"


def test_the_rule_names_the_character_and_keeps_vietnamese_text():
    for bad in ["A\x00", "\x01", "a\x1fb", "x\x7f", "\x85", "\u202eabc", "zero\u200bwidth", "\ufeffX", "\ud800"]:
        assert UNPRINTABLE.search(bad), repr(bad)
        assert "U+" in unprintable_problem(bad)
    for good in ["Nguyễn Thị Mai", "Đắk Lắk", "dòng 1\ndòng 2\r\n\tthụt", "Ê-đê", "H'Mông", ""]:
        assert unprintable_problem(good) == ""
    assert printable("Nguyễn\x00Văn\x1b") == "NguyễnVăn"


# ---------------------------------------------------------------- imports


def test_roster_import_refuses_control_characters_naming_row_and_column(tree):
    before = state()
    rows = [person(), person(full_name=NUL_NAME, ethnicity="Kinh\x00", card_number="90000002", record_number="")]
    error = refused(csv_bytes(rows), "ds.csv")  # openpyxl cannot write a NUL; a hand-made file can
    assert where(error) == {(3, H["full_name"]), (3, H["ethnicity"])}
    assert all("U+0000" in p.message for p in error.problems)
    assert str(error.problems[0]).startswith("Dòng 3, cột “Họ và tên”")
    assert state() == before


def test_roster_import_refuses_control_characters_in_csv(tree):
    text = ";".join(H.values()) + "\r\n" + ";".join(str(v) for v in person(ethnicity="Ki\x07nh").values()) + "\r\n"
    error = refused(text.encode(), "ds.csv")
    assert where(error) == {(2, H["ethnicity"])} and "U+0007" in error.problems[0].message


def test_attendance_and_question_bank_imports_refuse_control_characters(users):
    from quantriet.core.sheets import SheetError
    from quantriet.quizzes.bank_import import import_bank
    from quantriet.study.attendance_import import import_attendance

    conference = make_conference(make_plan(users["admin"]), Organization.objects.get(code=C1), users["admin"])
    sheet = "Số thẻ đảng viên,Họ và tên,Tình trạng,Lý do\n12345678,A,Vắng có lý do,Ốm\x0b nặng\n".encode()
    with pytest.raises(SheetError) as caught:
        import_attendance(users["admin"], conference, sheet, "dd.csv")
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "Lý do")]

    quiz = quiz_plan(users["tinh.tuyengiao"])
    bank = "Câu hỏi,Đáp án A,Đáp án B,Đáp án đúng\nCâu\x00 một,Có,Không,A\n".encode()
    with pytest.raises(SheetError) as caught:
        import_bank(users["tinh.tuyengiao"], quiz.plan.documents.get(), bank, "nh.csv")
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "Câu hỏi")]


def test_roster_import_enforces_model_lengths_and_plausible_dates(tree):
    before = state()
    rows = [
        person(ethnicity="K" * 5000),
        person(card_number="90000002", record_number="", date_of_birth="01/01/1800"),
        person(card_number="90000003", record_number="", date_of_birth="01/01/1900", joined_on="01/01/1925"),
        person(card_number="90000004", record_number="", full_name="A" * 121),
    ]
    error = refused(xlsx(rows))
    problems = {(p.row, p.column): p.message for p in error.problems}
    assert "dài quá 40 ký tự" in problems[(2, H["ethnicity"])]
    assert "01/01/1800" in problems[(3, H["date_of_birth"])]
    assert "03/02/1930" in problems[(4, H["joined_on"])]
    assert "dài quá 120 ký tự" in problems[(5, H["full_name"])]
    assert state() == before


# ---------------------------------------------------------------- forms and API


def _member_form(member, **values):
    data = {
        "full_name": member.full_name,
        "card_number": member.card_number or "",
        "record_number": member.record_number or "",
        "date_of_birth": member.date_of_birth.strftime("%d/%m/%Y"),
        "gender": member.gender,
        "ethnicity": member.ethnicity,
        "phone": member.phone,
        "email": member.email,
        "joined_on": member.joined_on.strftime("%d/%m/%Y"),
        "official_on": member.official_on.strftime("%d/%m/%Y") if member.official_on else "",
        "status": member.status,
    }
    return data | values


@pytest.mark.parametrize(
    "values, message",
    [
        ({"full_name": "Nguyễn\x01Văn"}, "U+0001"),
        ({"full_name": NUL_NAME}, "U+0000"),
        ({"ethnicity": "Kinh\u202e"}, "U+202E"),
        ({"date_of_birth": "01/01/1800"}, "01/01/1800"),
        ({"joined_on": "02/02/1930"}, "03/02/1930"),
    ],
)
def test_member_form_refuses_what_the_import_refuses(client_as, users, values, message):
    member = users["dangvien1"].member
    stored = Member.objects.filter(pk=member.pk).values().get()
    response = client_as("xa1.bithu").post(reverse("org:member_edit", args=[member.pk]), _member_form(member, **values))
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert "Null characters" not in page and page.count("U+0000") <= 1  # Django's message, said once in Vietnamese
    assert Member.objects.filter(pk=member.pk).values().get() == stored


def test_model_clean_applies_the_lengths_of_the_fields(users):
    member = users["dangvien1"].member
    member.ethnicity = "K" * 41
    member.date_of_birth = datetime.date(1800, 1, 1)
    errors = {}
    try:
        member.clean()
    except Exception as error:  # ValidationError
        errors = error.message_dict
    assert "Dài quá 40 ký tự" in errors["ethnicity"][0] and "01/01/1800" in errors["date_of_birth"][0]


def test_a_text_form_field_of_another_app_refuses_control_characters(users):
    from quantriet.quizzes.forms import QuestionForm

    form = QuestionForm(data={"text": "Câu\x00 hỏi"})
    assert not form.is_valid() and "U+0000" in str(form.errors["text"])


def test_api_refuses_control_characters_with_a_422_naming_the_field(api, users):
    response = api("dangvien1").post(
        "/api/v1/auth/token", {"username": "dangvien1\x00", "password": "x"}, content_type="application/json"
    )
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"].endswith("username") and "U+0000" in body["errors"][0]["message"]


# ---------------------------------------------------------------- exports survive what is stored


def _opens(response):
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(response.getvalue()))


def test_every_export_survives_control_characters_already_stored(tree, client_as, users):
    member = Member.objects.filter(cell__code=C1_CELL1).order_by("id").first()
    junk = "\x00" if connection.vendor == "sqlite" else "\x01"  # PostgreSQL text cannot hold a NUL at all
    Member.objects.filter(pk=member.pk).update(full_name=f"Nguyễn{junk}Văn\x1b", ethnicity=f"Kinh{junk}")
    province = Organization.objects.get(path=tree["all"][0])
    for persona, org in [("xa1.bithu", tree[C1]), ("tinh.tuyengiao", province), ("admin", tree[C1_CELL1])]:
        workbook = _opens(client_as(persona).get(reverse("org:export", args=[org.pk])))
        names = [row[0] for row in workbook.worksheets[0].iter_rows(values_only=True)]
        assert "NguyễnVăn" in names

    conference = make_conference(make_plan(users["admin"]), tree[C1], users["admin"])
    workbook = _opens(client_as("xa1.bithu").get(reverse("study:attendance_template", args=[conference.pk])))
    assert "NguyễnVăn" in [row[3] for row in workbook.worksheets[0].iter_rows(values_only=True)]

    quiz = quiz_plan(users["tinh.tuyengiao"])
    _opens(client_as("xa1.bithu").get(reverse("quizzes:results_xlsx", args=[quiz.plan_id])))
    _opens(client_as("tinh.tuyengiao").get(reverse("analytics:export_xlsx", args=[quiz.plan_id])))
