"""Question bank import from .xlsx (or .csv), through `core.sheets.read_table` (size, row and zip-bomb limits).

Every row is validated first; then every question is written, or none. Errors name the
spreadsheet row and column, in Vietnamese.
"""

from django.db import transaction
from openpyxl import Workbook

from quantriet.core import sheets
from quantriet.core.audit import audit_record
from quantriet.core.text import fold

from .models import MAX_CHOICES, Question, QuestionKind
from .services import NO_CORRECT, _create_question, question_problems

LETTERS = "ABCDEF"[:MAX_CHOICES]
QUESTION, KIND, CORRECT, EXPLANATION = "Câu hỏi", "Loại", "Đáp án đúng", "Giải thích"
CHOICE_HEADERS = [f"Đáp án {letter}" for letter in LETTERS]
HEADERS = [QUESTION, KIND, *CHOICE_HEADERS, CORRECT, EXPLANATION]
#: The columns by key (each its own title), and those that must be there.
TITLES = {title: title for title in HEADERS}
REQUIRED = [(QUESTION,), (CHOICE_HEADERS[0],), (CHOICE_HEADERS[1],), (CORRECT,)]
_KINDS = {fold(label): value for value, label in QuestionKind.choices}
KIND_LABELS = [label for _, label in QuestionKind.choices]


def _kind(number, text, letters, fail):
    if not text:
        return QuestionKind.MULTIPLE if len(letters) > 1 else QuestionKind.SINGLE
    kind = _KINDS.get(fold(text))
    if kind is None:
        fail(number, KIND, f"“{text}” không hợp lệ; ghi “{KIND_LABELS[0]}” hoặc “{KIND_LABELS[1]}”.")
    return kind


def _letters(number, text, choices, fail):
    letters = [part.strip().upper() for part in text.replace(";", ",").replace(" ", ",").split(",") if part.strip()]
    if not letters:
        fail(number, CORRECT, "chưa ghi đáp án đúng (ví dụ “B” hoặc “A,C”).")
    for letter in letters:
        if letter not in LETTERS:
            fail(number, CORRECT, f"“{letter}” không phải chữ cái đáp án ({', '.join(LETTERS)}).")
        elif not choices.get(letter):
            fail(number, CORRECT, f"đáp án {letter} được ghi là đúng nhưng ô “Đáp án {letter}” để trống.")
    return sorted(set(letters))


def _row(number, raw, existing, seen, fail):
    """One question's (kind, text, explanation, choices) or None; problems go to FAIL."""
    text = raw.get(QUESTION, "")
    choices = {letter: raw.get(f"Đáp án {letter}", "") for letter in LETTERS}
    letters = _letters(number, raw.get(CORRECT, ""), choices, fail)
    kind = _kind(number, raw.get(KIND, ""), letters, fail)
    filled = [(choices[letter], letter in letters) for letter in LETTERS if choices[letter]]
    columns = {"text": QUESTION, "choices": CHOICE_HEADERS[0], "correct": CORRECT}
    for field, message in question_problems(kind or QuestionKind.MULTIPLE, text, filled):
        if message != NO_CORRECT:  # _letters has said what is wrong with the column
            fail(number, columns[field], message[0].lower() + message[1:])
    key = fold(text)
    if key and key in existing:
        fail(number, QUESTION, "câu hỏi này đã có trong ngân hàng câu hỏi của văn bản.")
    elif key and key in seen:
        fail(number, QUESTION, f"trùng với câu hỏi ở dòng {seen[key]}.")
    seen.setdefault(key, number)
    return kind, text, raw.get(EXPLANATION, ""), filled


def validate_sheet(document, body, positions):
    # A retired question may come back as its corrected version, with the same wording.
    active = Question.objects.filter(document=document, active=True)
    return validate_rows(body, positions, {fold(t) for t in active.values_list("text", flat=True)})


def validate_rows(body, positions, existing: set[str]):
    """Every row as a question, or SheetError with every problem; EXISTING: folded texts already in the bank.

    No database access: the parsing layer that fuzz/question_bank.py exercises.
    """
    problems = sheets.Problems(HEADERS)
    seen, rows = {}, []
    for number, cells in body:
        rows.append(_row(number, sheets.row_texts(cells, positions), existing, seen, problems.add))
    problems.refuse()
    return rows


def read_bank(data: bytes, filename: str):
    """The rows of a question bank file and the position of each column, or SheetError (no database access)."""
    header, body = sheets.read_table(data, filename)
    positions = sheets.map_header(header, TITLES, REQUIRED)
    if not body:
        sheets.refuse_file("Tệp chỉ có dòng tiêu đề, không có câu hỏi nào.")
    return body, positions


def import_bank(actor, document, data: bytes, filename: str) -> int:
    """Validate the whole sheet, then add every question in one transaction; returns the count."""
    body, positions = read_bank(data, filename)
    rows = validate_sheet(document, body, positions)
    with transaction.atomic():
        for kind, text, explanation, choices in rows:
            _create_question(actor, document, kind, text, explanation, choices)
        audit_record(actor, "quiz.bank_import", document, None, {"file": filename, "questions": len(rows)})
    return len(rows)


EXAMPLE = [
    "Chỉ thị 28-CT/TU yêu cầu ai trực tiếp chủ trì và quán triệt nghị quyết tại hội nghị của chi bộ?",
    QuestionKind.SINGLE.label,
    "Phó bí thư chi bộ",
    "Bí thư chi bộ",
    "Đảng viên lớn tuổi nhất",
    "Báo cáo viên cấp tỉnh",
    "",
    "",
    "B",
    "Người đứng đầu (bí thư) phải trực tiếp chủ trì, quán triệt.",
]


def write_template(out):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Câu hỏi"
    sheets.write_header(sheet, HEADERS)
    sheets.write_row(sheet, EXAMPLE)
    sheets.set_widths(sheet, (60, 14, 28, 28, 28, 28, 28, 28, 14, 50))
    sheet.freeze_panes = "A2"
    guide = [
        [QUESTION, "Nội dung câu hỏi (bắt buộc)"],
        [KIND, f"“{KIND_LABELS[0]}” hoặc “{KIND_LABELS[1]}”; bỏ trống thì suy ra từ cột đáp án đúng"],
        ["Đáp án A … F", "Ít nhất hai đáp án (A và B)"],
        [CORRECT, "Chữ cái đáp án đúng, ví dụ “B”; nhiều đáp án ghi “A,C”"],
        [EXPLANATION, "Hiện cho người làm sau khi nộp bài"],
        [],
        ["Có lỗi ở bất kỳ dòng nào thì không câu hỏi nào được ghi; sửa theo danh sách lỗi rồi nhập lại."],
    ]
    sheets.add_guide(workbook, ["Cột", "Cách ghi"], guide, (20, 80))
    workbook.save(out)
