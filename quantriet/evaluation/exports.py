"""The evaluation's documents: one evaluation as the form a member (or a collective) signs — the
self-assessment with the points, the study proposal and its sources, the cell's review and the
decision — and a unit's summary of the year (biểu tổng hợp kết quả xếp loại), each as a party
document (.docx, through `core.officialdoc` and `org.letterhead`) and as a sheet (.xlsx).

Decisions where the guidance is silent or unconfirmed (docs/evaluation.md):
- The member's form is a personal document: the cell's header without a number line, titled
  "BẢN TỰ KIỂM ĐIỂM", signed by the member on the right and by the cell's secretary on behalf
  of the cell on the left; a collective's form is signed by its secretary on behalf of the collective.
- Before the decision the form shows the band the self-assessment's points would give
  ("tự xếp loại"); after it, the decided band with the decision's number and date.
- The summary is issued by the unit (type code BC): one row per unit directly below, then the
  whole; the shares are of the members rated; the collectives' own bands follow in a second
  table, and the units whose ratings do not match how they studied are listed with the reason.
"""

import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from quantriet.core import officialdoc as doc
from quantriet.core.numbers import format_decimal, format_share
from quantriet.core.sheets import set_widths, write_header, write_row
from quantriet.core.text import vn_date
from quantriet.org.letterhead import committee_name, official_header, official_signature, secretary_name
from quantriet.org.models import CELL_KINDS
from quantriet.org.selectors import org_ancestors

from . import rules
from .models import DECIDED, Evaluation, Subject
from .selectors import STUDY_BINS, SummaryRow

SUMMARY_TYPE, SUMMARY_CODE = "Biểu tổng hợp", "BC"
#: The criteria table of a form: STT, tiêu chí, tối đa, tự chấm, chi bộ đánh giá (165 mm).
FORM_HEADERS = ["STT", "Tiêu chí", "Điểm tối đa", "Tự chấm", "Chi bộ đánh giá"]
FORM_WIDTHS_MM = [12, 89, 20, 20, 24]
#: The summary table (165 mm): each band as "number (share)".
SUMMARY_HEADERS = ["STT", "Đơn vị", "Số đảng viên", "Đã xếp loại", "Xuất sắc", "Tốt", "Hoàn thành",
                   "Không hoàn thành", "Điểm học tập (%)", "Chỉ số làm kỹ"]  # fmt: skip
SUMMARY_WIDTHS_MM = [10, 35, 13, 13, 16, 16, 16, 16, 15, 15]
SUMMARY_PT = 10
#: The members of a summary are listed in its sheet up to this many (a province's are read by grassroots).
MEMBERS_SHEET_MAX = 10_000


def _points(value) -> str:
    return format_decimal(Decimal(value)) if value not in (None, "") else ""


def criteria_lines(evaluation: Evaluation) -> list[tuple[str, str, str, str, str, bool]]:
    """The form's rows: each group (bold, its points summed) then its criteria, then the total."""
    lines, number = [], 0
    own, review = evaluation.self_points, evaluation.review_points
    for group in evaluation.criteria_set.rules().groups:
        keys = [c.key for c in group.criteria]
        sums = [sum((Decimal(p[k]) for k in keys if k in p), Decimal(0)) if p else "" for p in (own, review)]
        top = sum((c.max_points for c in group.criteria), Decimal(0))
        lines.append(("", group.label, _points(top), _points(sums[0]), _points(sums[1]), True))
        for criterion in group.criteria:
            number += 1
            lines.append((str(number), criterion.label, _points(criterion.max_points), _points(own.get(criterion.key)),
                          _points(review.get(criterion.key)), False))  # fmt: skip
    totals = [_points(sum(Decimal(v) for v in p.values())) if p else "" for p in (own, review)]
    top = sum((c.max_points for c in evaluation.criteria_set.rules().criteria.values()), Decimal(0))
    lines.append(("", "Tổng cộng", _points(top), *totals, True))
    return lines


def self_band(evaluation: Evaluation) -> str:
    """The band the self-assessment's points would give ("" before any point)."""
    if not evaluation.self_points:
        return ""
    set_rules = evaluation.criteria_set.rules()
    facts = rules.Facts({k: Decimal(v) for k, v in evaluation.self_points.items()}, evaluation.disciplined)
    return set_rules.band(rules.grade(set_rules, facts).band).label


def result_words(evaluation: Evaluation) -> str:
    """The result as the form states it: decided (with the decision) or as self-assessed."""
    if evaluation.state == DECIDED:
        return (f"Tổng điểm {_points(evaluation.total)}; xếp loại: {evaluation.band_label} (Quyết định số "
                f"{evaluation.decision_number} ngày {vn_date(evaluation.decision_date)}).")  # fmt: skip
    band = self_band(evaluation)
    return f"Tự xếp loại: {band} (chưa có quyết định của cấp ủy)." if band else "Chưa tự chấm điểm."


def study_lines(evaluation: Evaluation) -> list[str]:
    """The study proposal in words: its points, each part with its sources, the cell's reason when it differed."""
    proposal = evaluation.study_proposal
    if not proposal.get("parts"):
        return []
    lines = [f"Hệ thống đề xuất {proposal['points_text']}/{proposal['max_text']} điểm từ kết quả học tập ghi nhận:"]
    for part in proposal["parts"]:
        lines.append(f"- {part['label']} ({part['percent']}%): " + "; ".join(s["text"] for s in part["sources"]) + ".")
    if evaluation.study_reason:
        lines.append(f"Chi bộ điều chỉnh điểm học tập, lý do: {evaluation.study_reason}")
    return lines


def tally_words(evaluation: Evaluation) -> str:
    bands = evaluation.criteria_set.rules().bands
    found = [f"{b.label}: {evaluation.tallies[b.code]}" for b in bands if b.code in evaluation.tallies]
    return "; ".join(found) + " phiếu." if found else ""


def _member_lines(evaluation: Evaluation) -> list[str]:
    member = evaluation.member
    return [
        f"Họ và tên: {member.full_name}; ngày sinh: {vn_date(member.date_of_birth)}.",
        f"Ngày vào Đảng: {vn_date(member.joined_on)}; ngày chính thức: {vn_date(member.official_on) or '—'}.",
        f"Sinh hoạt tại: {evaluation.org.name}.",
    ]


def _recipients(org, ancestors) -> list[str]:
    """ "Nơi nhận:" of a unit's evaluation document: the committee above, and the unit's own file."""
    above = committee_name(ancestors[-1]) if ancestors else "Ban Bí thư Trung ương Đảng"
    return [f"- {above} (để báo cáo),", "- Lưu chi bộ." if org.kind in CELL_KINDS else "- Lưu Văn phòng."]


def _save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def form_docx(evaluation: Evaluation, today=None) -> bytes:
    """EVALUATION as the form its member (or collective) signs (.docx bytes); see the module's docstring."""
    today = today or timezone.localdate()
    org, member = evaluation.org, evaluation.member
    ancestors = org_ancestors(org)
    day = evaluation.decision_date or today
    document = doc.new_document()
    personal = evaluation.subject == Subject.MEMBER
    doc.write_header(document, official_header(org, ancestors, "" if personal else "BC", day))
    who = "đảng viên" if personal else "tổ chức đảng"
    doc.write_title(document, "Bản tự kiểm điểm", f"đánh giá, xếp loại chất lượng {who} năm {evaluation.year}")
    if personal:
        for line in _member_lines(evaluation):
            doc.body(document, line)
    doc.heading(document, "I. TỰ KIỂM ĐIỂM")
    for line in (evaluation.self_text or "(Chưa viết.)").splitlines():
        if line.strip():
            doc.body(document, line.strip())
    doc.heading(document, "II. CHẤM ĐIỂM THEO TIÊU CHÍ")
    lines = criteria_lines(evaluation)
    table = doc.grid(document, FORM_HEADERS, [line[:5] for line in lines], FORM_WIDTHS_MM)
    for row, line in zip(table.rows[1:], lines, strict=True):
        if line[5]:
            for cell in row.cells:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    study = study_lines(evaluation)
    if study:
        doc.heading(document, "III. ĐIỂM HỌC TẬP, QUÁN TRIỆT NGHỊ QUYẾT ĐỀ XUẤT TỪ KẾT QUẢ HỌC TẬP")
        for line in study:
            doc.body(document, line)
    doc.heading(document, f"{'IV' if study else 'III'}. NHẬN XÉT, XẾP LOẠI")
    if evaluation.review_text:
        doc.body(document, f"Nhận xét của chi bộ: {evaluation.review_text}")
    if tally_words(evaluation):
        doc.body(document, f"Kết quả biểu quyết: {tally_words(evaluation)}")
    if evaluation.disciplined:
        doc.body(document, "Bị kỷ luật trong kỳ đánh giá.")
    closing = doc.body(document, result_words(evaluation))
    if personal:
        confirm = doc.Signature("T/M CHI BỘ", "BÍ THƯ", secretary_name(org, day))
        own = doc.Signature("NGƯỜI TỰ KIỂM ĐIỂM", "(Ký, ghi rõ họ tên)", member.full_name)
        doc.write_signatures(document, confirm, own, keep_with=(closing,))
    else:
        doc.write_signature(document, official_signature(org, day), _recipients(org, ancestors), keep_with=(closing,))
    return _save(document)


def _workbook(title: str):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    return workbook, sheet


def _save_book(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def form_xlsx(evaluation: Evaluation) -> bytes:
    """EVALUATION's points by criterion (self and the cell's), with the study proposal and the result."""
    workbook, sheet = _workbook("Phiếu đánh giá")
    who = evaluation.member.full_name if evaluation.member_id else evaluation.org.name
    for label, value in (("Đối tượng", who), ("Tổ chức", evaluation.org.name), ("Năm", evaluation.year),
                         ("Trạng thái", evaluation.state_label)):  # fmt: skip
        write_row(sheet, [label, value])
    write_row(sheet, [])
    write_header(sheet, FORM_HEADERS)
    for line in criteria_lines(evaluation):
        write_row(sheet, [line[0], line[1], *(_number(value) for value in line[2:5])])
        if line[5]:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    write_row(sheet, [])
    for line in [*study_lines(evaluation), tally_words(evaluation), result_words(evaluation)]:
        if line:
            write_row(sheet, ["", line])
    set_widths(sheet, [8, 70, 12, 12, 16])
    return _save_book(workbook)


def _number(text: str):
    """A point as typed for the form ("8,5") back to a number for the sheet (8.5); blank stays blank."""
    return float(text.replace(",", ".")) if text else None


def summary_line(number, row: SummaryRow) -> list[str]:
    bands = [f"{row.bands[code]} ({format_share(row.share(code))})" if row.evaluated else "0"
             for code in rules.BAND_CODES]  # fmt: skip
    fidelity = "" if row.fidelity is None else str(round(row.fidelity))
    return [number, row.org.name, row.members, row.evaluated, *bands, format_share(row.study_mean), fidelity]


def summary_docx(org, year: int, rows: list[SummaryRow], band_labels: dict[str, str], today=None) -> bytes:
    """ROWS (the unit first, then each unit below: `selectors.evaluation_summary`) as the unit's biểu
    tổng hợp kết quả xếp loại of YEAR, a party document issued by ORG."""
    today = today or timezone.localdate()
    ancestors = org_ancestors(org)
    document = doc.new_document()
    doc.write_header(document, official_header(org, ancestors, SUMMARY_CODE, today))
    doc.write_title(document, SUMMARY_TYPE, f"kết quả đánh giá, xếp loại chất lượng đảng viên năm {year}")
    whole, *children = rows
    study = format_share(whole.study_mean) or "—"
    doc.body(document, f"Toàn {org.name}: {whole.members} đảng viên, {whole.evaluated} đảng viên đã được quyết định "
                       f"xếp loại; điểm học tập, quán triệt nghị quyết bình quân {study} điểm tối đa.")  # fmt: skip
    lines = [summary_line(str(n), row) for n, row in enumerate(children, start=1)]
    lines.append(summary_line("", whole)[:1] + ["Tổng cộng"] + summary_line("", whole)[2:])
    doc.grid(document, SUMMARY_HEADERS, lines, SUMMARY_WIDTHS_MM, size=SUMMARY_PT)
    collectives = [row for row in children if row.own_band]
    if collectives:
        doc.heading(document, "Xếp loại tổ chức đảng trực thuộc")
        doc.grid(document, ["STT", "Tổ chức đảng", "Xếp loại"],
                 [[str(n), row.org.name, band_labels[row.own_band]] for n, row in enumerate(collectives, start=1)],
                 [12, 93, 60])  # fmt: skip
    standing_out = [row for row in children if row.stands_out]
    doc.heading(document, "Đơn vị cần xem lại (xếp loại chưa tương xứng với kết quả học tập)")
    if standing_out:
        for row in standing_out:
            doc.body(document, f"- {row.org.name}: {'; '.join(row.stands_out)}.")
    else:
        doc.body(document, "Không có đơn vị nào.")
    doc.body(document, "Ghi chú: điểm học tập là bình quân điểm tiêu chí học tập, quán triệt nghị quyết chi bộ cho, "
                       "tính theo phần trăm điểm tối đa; chỉ số làm kỹ là bình quân của đơn vị trên các kế hoạch học "
                       f"tập ban hành năm {year}.", italic=True)  # fmt: skip
    closing = doc.body(document, f"Trên đây là kết quả đánh giá, xếp loại chất lượng đảng viên năm {year} của "
                                 f"{org.name}./.")  # fmt: skip
    doc.write_signature(document, official_signature(org, today), _recipients(org, ancestors), keep_with=(closing,))
    return _save(document)


SUMMARY_SHEET_HEADERS = [
    "Mã đơn vị", "Đơn vị", "Số đảng viên", "Đã xếp loại",
    "Hoàn thành xuất sắc", "Tỷ lệ xuất sắc (%)", "Hoàn thành tốt", "Tỷ lệ tốt (%)",
    "Hoàn thành", "Tỷ lệ hoàn thành (%)", "Không hoàn thành", "Tỷ lệ không hoàn thành (%)",
    "Tập thể xếp loại", "Điểm học tập bình quân (%)", *(f"Điểm học tập {label.lower()}" for _, label, *_ in STUDY_BINS),
    "Đề xuất từ kết quả học tập bình quân (%)", "Chỉ số làm kỹ", "Cần xem lại",
]  # fmt: skip
MEMBER_SHEET_HEADERS = ["Họ và tên", "Chi bộ", "Trạng thái", "Tổng điểm", "Xếp loại", "Điểm học tập (%)",
                        "Đề xuất (%)", "Số quyết định", "Ngày quyết định"]  # fmt: skip


def _pct(share: float | None):
    return None if share is None else round(100 * share, 1)


def summary_sheet_line(row: SummaryRow, band_labels: dict[str, str]) -> list:
    bands = []
    for code in rules.BAND_CODES:
        bands += [row.bands[code], _pct(row.share(code))]
    proposed = row.study_proposed_mean
    fidelity = None if row.fidelity is None else round(row.fidelity, 1)
    return [row.org.code, row.org.name, row.members, row.evaluated, *bands, band_labels.get(row.own_band, ""),
            _pct(row.study_mean), *(row.study_bins[key] for key, *_ in STUDY_BINS), _pct(proposed), fidelity,
            "; ".join(row.stands_out)]  # fmt: skip


def summary_xlsx(rows: list[SummaryRow], band_labels: dict[str, str], members=None) -> bytes:
    """ROWS as a sheet (the unit, then each unit below), and MEMBERS (decided evaluations with their
    member and cell) on a second sheet when given."""
    workbook, sheet = _workbook("Tổng hợp xếp loại")
    write_header(sheet, SUMMARY_SHEET_HEADERS)
    for row in rows:
        write_row(sheet, summary_sheet_line(row, band_labels))
    set_widths(sheet, [14, 36] + [12] * (len(SUMMARY_SHEET_HEADERS) - 3) + [48])
    sheet.freeze_panes = "C2"
    if members is not None:
        listed = workbook.create_sheet("Đảng viên")
        write_header(listed, MEMBER_SHEET_HEADERS)
        for evaluation in members:
            write_row(listed, [evaluation.member.full_name, evaluation.org.name, evaluation.state_label,
                               _number(_points(evaluation.total)), band_labels.get(evaluation.band, ""),
                               _pct(evaluation.study_share), _pct(evaluation.study_proposed_share),
                               evaluation.decision_number, vn_date(evaluation.decision_date)])  # fmt: skip
        set_widths(listed, [28, 30, 16, 10, 28, 12, 12, 16, 14])
        listed.freeze_panes = "B2"
    return _save_book(workbook)
