"""The member's record printed as a party document (.docx): "BẢN TỔNG HỢP KẾT QUẢ HỌC TẬP, QUÁN TRIỆT
NGHỊ QUYẾT" of one member, for the committee's files and for the member.

Laid out through `quantriet.core.officialdoc` (Hướng dẫn 36-HD/VPTW), with the header and the
signature of the member's grassroots organisation (`quantriet.org.letterhead`); the content is the
record of `record.member_record`: I. each year's evaluation (state, total, band, the study points
proposed and given, the decision), the reasons the cell gave for changing the study points; II. the
study of each year, one table per section (plans, conferences, essays, quizzes), the commitment and
the personal action plan in a sentence.

Decisions where the reference is silent or unconfirmed:
- A compilation is not a numbered genre: the header has no number line (the committee office
  numbers it by hand if it registers it).
- The date is the day it is printed; the grassroots committee's secretary signs on its behalf.
- Recipients: the member, their cell, "Lưu hồ sơ đảng viên".
"""

import dataclasses
import io
import re

from django.utils import timezone

from quantriet.core.officialdoc import (
    OfficialHeader,
    body,
    grid,
    heading,
    new_document,
    write_header,
    write_signature,
    write_title,
)
from quantriet.core.text import fold, vn_date
from quantriet.org.letterhead import official_header, official_signature
from quantriet.org.selectors import org_ancestors

from .record import MemberRecord, YearRecord

#: Set on two balanced lines: on one it leaves a word alone on the second (16 pt bold on 165 mm).
TYPE_NAME = "Bản tổng hợp kết quả học tập,\nquán triệt nghị quyết"
#: No genre code: the header prints no number line.
TYPE_CODE = ""
_LETTERS = "a b c d đ e g h i k".split()

EVALUATION_HEADERS = ["Năm", "Trạng thái", "Tổng điểm", "Xếp loại", "Điểm học tập (đề xuất / được cho)", "Quyết định"]
EVALUATION_WIDTHS_MM = [14, 30, 18, 40, 28, 35]
PLAN_HEADERS, PLAN_WIDTHS_MM = ["STT", "Kế hoạch", "Cơ quan ban hành"], [12, 98, 55]
CONFERENCE_HEADERS, CONFERENCE_WIDTHS_MM = ["STT", "Hội nghị", "Tham dự"], [12, 98, 55]
ESSAY_HEADERS = ["STT", "Kế hoạch", "Tình trạng", "Điểm chấm", "Kết luận về tính độc lập"]
ESSAY_WIDTHS_MM = [12, 45, 22, 22, 64]
QUIZ_HEADERS, QUIZ_WIDTHS_MM = ["STT", "Bài kiểm tra", "Điểm cao nhất"], [12, 113, 40]


class _Unnumbered(OfficialHeader):
    """A header without a number line (see the module's docstring)."""

    @property
    def number_line(self) -> str:
        return ""


def file_names(record: MemberRecord) -> tuple[str, str]:
    """The transcript's Vietnamese file name, and an ASCII one for old clients."""
    member = record.member
    ascii_name = re.sub(r"[^a-z0-9]+", "-", fold(f"ban tong hop ket qua hoc tap {member.full_name} {member.pk}"))
    return f"Bản tổng hợp kết quả học tập - {member.full_name}.docx", ascii_name.strip("-") + ".docx"


def evaluation_line(evaluation) -> list:
    proposal = evaluation.study_proposal or {}
    proposed = proposal.get("points_text", "")
    study = ""
    if proposed or evaluation.study_given:
        study = f"{proposed or '—'} / {evaluation.study_given or '—'}"
    decision = ""
    if evaluation.decision_number:
        decision = f"Số {evaluation.decision_number}, ngày {vn_date(evaluation.decision_date)}"
    return [evaluation.year, evaluation.state_label, evaluation.total_text, evaluation.band_text, study, decision]


def _commitment_sentence(year: YearRecord) -> str:
    commitment = year.commitment
    if commitment is None:
        return f"Chưa có bản cam kết tu dưỡng, rèn luyện năm {year.year}."
    if not commitment["registered"]:
        return f"Bản cam kết năm {year.year} còn là bản nháp, chưa đăng ký."
    done = {"giữa năm": commitment["mid_reviewed"], "cuối năm": commitment["end_reviewed"]}
    reviews = [f"{when}: {'đã' if reviewed else 'chưa'} tự đánh giá" for when, reviewed in done.items()]
    sentence = f"Bản cam kết năm {year.year}: {commitment['state'].lower()}; {'; '.join(reviews)}."
    if commitment["copied"]:
        sentence += f" Bị gắn cờ sao chép ({commitment['copied']})."
    return sentence


def _personal_plan_sentence(year: YearRecord) -> str:
    if year.personal_plan_url:
        return "Đã có kế hoạch hành động cá nhân."
    return "Chưa có kế hoạch hành động cá nhân (đồng chí giữ chức vụ bí thư, phó bí thư trong năm)."


def _year(document, number: int, year: YearRecord) -> None:
    heading(document, f"{number}. Năm {year.year}")
    letters = iter(_LETTERS)
    sections = (
        ("Kế hoạch học tập, quán triệt", year.plans, PLAN_HEADERS, PLAN_WIDTHS_MM,
         lambda r: [r["label"] if r["label"] == r["title"] else f"{r['label']}: {r['title']}", r["issuer"]]),
        ("Dự hội nghị học tập, quán triệt", year.conferences, CONFERENCE_HEADERS, CONFERENCE_WIDTHS_MM,
         lambda r: [r["title"], r["status_text"]]),
        ("Bài thu hoạch", year.essays, ESSAY_HEADERS, ESSAY_WIDTHS_MM,
         lambda r: [r["plan_title"], r["status_text"], r["grade_text"], r["verdict_text"]]),
        ("Bài kiểm tra", year.quizzes, QUIZ_HEADERS, QUIZ_WIDTHS_MM, lambda r: [r["title"], r["best_text"]]),
    )  # fmt: skip
    for title, rows, headers, widths, line in sections:
        if rows:
            body(document, f"{next(letters)}) {title}", italic=True)
            lines = [[number, *line(row)] for number, row in enumerate(rows, start=1)]
            grid(document, headers, lines, widths, left=(1, len(headers) - 1))
    body(document, f"{next(letters)}) Bản cam kết tu dưỡng, rèn luyện", italic=True)
    body(document, _commitment_sentence(year))
    if year.head or year.personal_plan_url:
        body(document, f"{next(letters)}) Kế hoạch hành động cá nhân", italic=True)
        body(document, _personal_plan_sentence(year))


def transcript_docx(record: MemberRecord, today=None) -> bytes:
    """RECORD as a party document (.docx bytes); see the module's docstring."""
    today = today or timezone.localdate()
    member, org = record.member, record.grassroots
    ancestors = org_ancestors(org)
    document = new_document()
    header = official_header(org, ancestors, TYPE_CODE, today)
    write_header(document, _Unnumbered(**dataclasses.asdict(header)))
    span = f"{record.first_year}–{record.last_year}" if record.first_year != record.last_year else str(record.last_year)
    write_title(document, TYPE_NAME, f"của đồng chí {member.full_name}, năm {span}")
    official = f"; ngày chính thức: {vn_date(member.official_on)}" if member.official_on else " (đảng viên dự bị)"
    body(document, f"Họ và tên: {member.full_name}; ngày vào Đảng: {vn_date(member.joined_on)}{official}.")
    body(document, f"Sinh hoạt tại: {member.cell.name_with_parent}.")

    heading(document, "I. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI HẰNG NĂM")
    evaluations = record.evaluations
    if evaluations:
        grid(document, EVALUATION_HEADERS, [evaluation_line(e) for e in evaluations], EVALUATION_WIDTHS_MM,
             left=(1, 3, 5))  # fmt: skip
        for evaluation in evaluations:
            if evaluation.study_reason:
                body(document, f"Năm {evaluation.year}, chi bộ cho điểm học tập khác đề xuất của hệ thống; lý do: "
                               f"{evaluation.study_reason}")  # fmt: skip
    else:
        body(document, "Chưa có bản đánh giá, xếp loại nào.", italic=True)

    heading(document, "II. KẾT QUẢ HỌC TẬP, QUÁN TRIỆT THEO NĂM")
    for number, year in enumerate(record.years, start=1):
        _year(document, number, year)
    if record.quiet_years:
        listed = ", ".join(str(year) for year in sorted(record.quiet_years))
        body(document, f"Năm {listed}: chưa ghi nhận kết quả học tập, quán triệt nào.", italic=True)

    closing = body(document, f"Bản tổng hợp được lập từ dữ liệu ghi nhận trên hệ thống Quán Triệt đến ngày "
                             f"{vn_date(today)}./.")  # fmt: skip
    recipients = [f"- Đồng chí {member.full_name},", f"- {member.cell.name},", "- Lưu hồ sơ đảng viên."]
    write_signature(document, official_signature(org, today), recipients, keep_with=(closing,))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
