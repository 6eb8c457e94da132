"""Grades to .xlsx and essays to one merged .docx per organisation (both open in LibreOffice)."""

from django.utils import timezone
from openpyxl import Workbook

from quantriet.core.sheets import write_header, write_row
from quantriet.core.text import printable, vn_date

from .services import vn_points

#: A merged .docx beyond this many essays is refused: pick a smaller organisation.
MAX_DOCX_ESSAYS = 2000

FIXED_HEADERS = ["Họ và tên", "Số thẻ đảng viên", "Chi bộ", "Ngày nộp", "Nộp muộn"]
TAIL_HEADERS = ["Tổng điểm", "Xếp loại", "Nhận xét"]


def export_rows(essays):
    """ESSAYS with what both exports print, in the order of the tree and the names."""
    return (
        essays.select_related("member", "cell", "grade")
        .prefetch_related("grade__scores")
        .order_by("cell__path", "member__name_key", "id")
    )


def _submitted_on(essay) -> str:
    return vn_date(timezone.localtime(essay.submitted_at).date())


def _grade_cells(essay, criteria) -> list:
    grade = getattr(essay, "grade", None)
    if grade is None:
        return [None] * len(criteria) + [None, "Chưa chấm", ""]
    scores = {s.criterion_id: s.points for s in grade.scores.all()}
    points = [float(scores[c.pk]) if c.pk in scores else None for c in criteria]
    return points + [float(grade.total), grade.band, grade.comment]


def write_grades_xlsx(rubric, essays, out) -> int:
    """One row per essay: the member, the submission, the points per criterion, the total, band and comment."""
    criteria = list(rubric.criteria.all())
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Kết quả chấm")
    headers = FIXED_HEADERS + [f"{c.name} (tối đa {vn_points(c.max_points)})" for c in criteria] + TAIL_HEADERS
    write_header(sheet, headers)
    count = 0
    for essay in export_rows(essays).iterator(chunk_size=1000):
        member = essay.member
        row = [member.full_name, member.card_number or "", essay.cell.name, _submitted_on(essay)]
        row.append("Có" if essay.late else "")
        write_row(sheet, row + _grade_cells(essay, criteria))
        count += 1
    workbook.save(out)
    return count


def _title_page(document, plan, org, count):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for text, bold in [("ĐẢNG CỘNG SẢN VIỆT NAM", True), (org.name.upper(), False)]:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(printable(text)).bold = bold
    heading = document.add_heading(printable(f"BÀI THU HOẠCH — {org.name}"), level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    symbol = f" (số {plan.symbol})" if plan.symbol else ""
    for line in [f"Theo {plan.title}{symbol}", f"Số bài: {count}"]:
        document.add_paragraph(printable(line)).alignment = WD_ALIGN_PARAGRAPH.CENTER
    today = vn_date(timezone.localdate())
    document.add_paragraph(f"Tổng hợp ngày {today}").alignment = WD_ALIGN_PARAGRAPH.CENTER


def _essay_pages(document, essay):
    """Stored text goes through `printable`: what predates the entrances' refusal of control
    characters would otherwise make Word's XML, and so the whole export, fail."""
    document.add_page_break()
    document.add_heading(printable(essay.member.full_name), level=1)
    late = " (nộp muộn)" if essay.late else ""
    document.add_paragraph(printable(f"Chi bộ: {essay.cell.name}"))
    document.add_paragraph(f"Ngày nộp: {_submitted_on(essay)}{late}")
    grade = getattr(essay, "grade", None)
    if grade is None:
        document.add_paragraph("Kết quả chấm: chưa chấm")
    else:
        document.add_paragraph(f"Kết quả chấm: {vn_points(grade.total)} điểm — {grade.band}")
        if grade.comment:
            document.add_paragraph(printable(f"Nhận xét: {grade.comment}"))
    for paragraph in printable(essay.text).split("\n"):
        if paragraph.strip():
            document.add_paragraph(paragraph)


def write_essays_docx(plan, org, essays, out) -> int:
    """A title page, then each essay on its own page(s): name, cell, date, grade, text."""
    import docx

    rows = export_rows(essays)
    count = rows.count()
    document = docx.Document()
    _title_page(document, plan, org, count)
    for essay in rows.iterator(chunk_size=500):
        _essay_pages(document, essay)
    document.save(out)
    return count
