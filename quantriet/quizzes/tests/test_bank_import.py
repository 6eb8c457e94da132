"""Question bank import: every row validated first, then all questions written or none."""

import pytest

from quantriet.core.sheets import SheetError
from quantriet.quizzes.bank_import import import_bank, write_template
from quantriet.quizzes.models import Question, QuestionKind
from quantriet.study.tests.test_conferences_common import make_plan

from .common import xlsx

GOOD = [
    [
        "Ai chủ trì hội nghị quán triệt ở chi bộ?",
        "Một đáp án",
        "Phó bí thư",
        "Bí thư chi bộ",
        "",
        "",
        "",
        "",
        "B",
        "Bí thư chủ trì.",
    ],
    [
        "Những việc nào là biểu hiện “làm lướt”?",
        "Nhiều đáp án",
        "Tổ chức trễ hạn",
        "Liên hệ thực tiễn",
        "Chép bài mẫu",
        "",
        "",
        "",
        "A,C",
        "",
    ],
    ["Đảng viên viết thu hoạch sau học tập?", "", "Đúng", "Sai", "", "", "", "", "A", ""],
]


@pytest.fixture
def document(users):
    return make_plan(users["admin"], number="841").documents.get()


def test_good_file_adds_every_question(document, users):
    assert import_bank(users["tinh.tuyengiao"], document, xlsx(GOOD), "cau-hoi.xlsx") == 3
    single, multiple, inferred = Question.objects.filter(document=document).order_by("id")
    assert single.kind == QuestionKind.SINGLE and [c.correct for c in single.choices.all()] == [False, True]
    assert multiple.kind == QuestionKind.MULTIPLE
    assert [c.text for c in multiple.choices.filter(correct=True)] == ["Tổ chức trễ hạn", "Chép bài mẫu"]
    assert inferred.kind == QuestionKind.SINGLE and single.explanation == "Bí thư chủ trì."


def test_one_bad_row_writes_nothing_and_names_rows_and_columns(document, users):
    rows = GOOD + [
        ["", "Một đáp án", "X", "Y", "", "", "", "", "A", ""],  # row 5: no question
        ["Câu một đáp án mà hai đúng?", "Một đáp án", "X", "Y", "", "", "", "", "A,B", ""],  # row 6
        ["Đáp án đúng trỏ vào ô trống?", "Một đáp án", "X", "Y", "", "", "", "", "D", ""],  # row 7
        ["Loại lạ?", "Tự luận", "X", "Y", "", "", "", "", "A", ""],  # row 8
        ["Ai chủ trì hội nghị quán triệt ở chi bộ?", "", "X", "Y", "", "", "", "", "A", ""],  # row 9: duplicate of 2
    ]
    with pytest.raises(SheetError) as error:
        import_bank(users["tinh.tuyengiao"], document, xlsx(rows), "cau-hoi.xlsx")
    found = {(p.row, p.column) for p in error.value.problems}
    assert {(5, "Câu hỏi"), (6, "Đáp án đúng"), (7, "Đáp án đúng"), (8, "Loại"), (9, "Câu hỏi")} <= found
    assert all(p.row >= 5 for p in error.value.problems)
    assert "Dòng 7, cột “Đáp án đúng”" in str(error.value)
    assert not Question.objects.filter(document=document).exists()


def test_missing_header_and_non_spreadsheet_are_refused(document, users):
    with pytest.raises(SheetError) as error:
        import_bank(users["admin"], document, xlsx(GOOD, headers=["Câu hỏi", "Đáp án A"]), "x.xlsx")
    assert {(1, "Đáp án B"), (1, "Đáp án đúng")} <= {(p.row, p.column) for p in error.value.problems}
    with pytest.raises(SheetError):
        import_bank(users["admin"], document, b"not a spreadsheet", "x.pdf")
    assert not Question.objects.filter(document=document).exists()


def test_reimport_refuses_questions_already_in_the_bank(document, users):
    import_bank(users["admin"], document, xlsx(GOOD), "a.xlsx")
    with pytest.raises(SheetError) as error:
        import_bank(users["admin"], document, xlsx(GOOD[:1]), "a.xlsx")
    assert error.value.problems[0].row == 2 and "đã có" in error.value.problems[0].message
    assert Question.objects.filter(document=document).count() == 3


def test_the_template_imports_as_is(document, users, tmp_path):
    path = tmp_path / "mau.xlsx"
    with open(path, "wb") as out:
        write_template(out)
    assert import_bank(users["admin"], document, path.read_bytes(), "mau.xlsx") == 1


def test_import_through_the_page_shows_the_errors(document, client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    bad = xlsx([["", "", "X", "Y", "", "", "", "", "A", ""]])
    response = client_as("tinh.tuyengiao").post(
        reverse("quizzes:bank_import", args=[document.pk]), {"file": SimpleUploadedFile("b.xlsx", bad)}
    )
    assert response.status_code == 400
    assert "Dòng 2, cột “Câu hỏi”" in response.content.decode()
