"""Question bank import from .xlsx (or .csv), through the roster reader (size and zip-bomb limits).

Every row is validated first; then every question is written, or none. Errors name the
spreadsheet row and column, in Vietnamese.
"""

from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Font

from quantriet.core.audit import audit_record
from quantriet.core.text import fold
from quantriet.org.roster import Problem, RosterError, cell_text, neutralise, read_table

from .models import MAX_CHOICES, Question, QuestionKind
from .services import NO_CORRECT, _create_question, question_problems

LETTERS = "ABCDEF"[:MAX_CHOICES]
QUESTION, KIND, CORRECT, EXPLANATION = "Câu hỏi", "Loại", "Đáp án đúng", "Giải thích"
CHOICE_HEADERS = [f"Đáp án {letter}" for letter in LETTERS]
HEADERS = [QUESTION, KIND, *CHOICE_HEADERS, CORRECT, EXPLANATION]
REQUIRED = [QUESTION, CHOICE_HEADERS[0], CHOICE_HEADERS[1], CORRECT]
_KINDS = {fold(label): value for value, label in QuestionKind.choices}
KIND_LABELS = [label for _, label in QuestionKind.choices]


def map_header(header):
    by_folded = {fold(h): h for h in HEADERS}
    positions, problems = {}, []
    for index, title in enumerate(header):
        name = by_folded.get(fold(title))
        if name is None:
            continue
        if name in positions:
            problems.append(Problem(1, name, "cột này xuất hiện hai lần trong dòng tiêu đề."))
        else:
            positions[name] = index
    problems += [Problem(1, h, "thiếu cột này trong dòng tiêu đề.") for h in REQUIRED if h not in positions]
    if problems:
        problems.append(Problem(1, "", "Hãy dùng dòng tiêu đề của tệp mẫu: " + ", ".join(HEADERS)))
        raise RosterError(problems)
    return positions


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
    problems = []

    def fail(number, column, message):
        problems.append(Problem(number, column, message))

    # A retired question may come back as its corrected version, with the same wording.
    active = Question.objects.filter(document=document, active=True)
    existing = {fold(t) for t in active.values_list("text", flat=True)}
    seen, rows = {}, []
    for number, cells in body:
        raw = {name: cell_text(cells[i]) if i < len(cells) else "" for name, i in positions.items()}
        rows.append(_row(number, raw, existing, seen, fail))
    if problems:
        order = {h: i for i, h in enumerate(HEADERS)}
        problems.sort(key=lambda p: (p.row, order.get(p.column, len(order))))
        raise RosterError(problems)
    return rows


def import_bank(actor, document, data: bytes, filename: str) -> int:
    """Validate the whole sheet, then add every question in one transaction; returns the count."""
    header, body = read_table(data, filename)
    positions = map_header(header)
    if not body:
        raise RosterError([Problem(0, "", "Tệp chỉ có dòng tiêu đề, không có câu hỏi nào.")])
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
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append([neutralise(v) for v in EXAMPLE])
    for column, width in zip("ABCDEFGHIJ", (60, 14, 28, 28, 28, 28, 28, 28, 14, 50), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Cách ghi"])
    guide.append([QUESTION, "Nội dung câu hỏi (bắt buộc)"])
    guide.append([KIND, f"“{KIND_LABELS[0]}” hoặc “{KIND_LABELS[1]}”; bỏ trống thì suy ra từ cột đáp án đúng"])
    guide.append(["Đáp án A … F", "Ít nhất hai đáp án (A và B)"])
    guide.append([CORRECT, "Chữ cái đáp án đúng, ví dụ “B”; nhiều đáp án ghi “A,C”"])
    guide.append([EXPLANATION, "Hiện cho người làm sau khi nộp bài"])
    guide.append([])
    guide.append(["Có lỗi ở bất kỳ dòng nào thì không câu hỏi nào được ghi; sửa theo danh sách lỗi rồi nhập lại."])
    guide.column_dimensions["A"].width = 20
    guide.column_dimensions["B"].width = 80
    workbook.save(out)
