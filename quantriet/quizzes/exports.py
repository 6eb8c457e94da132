"""Quiz results to .xlsx (opens in LibreOffice): the results page of one organisation as two sheets.

Every text cell goes through ``core.sheets.neutralise`` (a name starting with "=" is not run as a formula).
"""

import re
import unicodedata

from django.utils import timezone
from openpyxl import Workbook

from quantriet.core.sheets import write_header, write_row
from quantriet.core.text import vn_date

from . import results

MEMBER_SHEET = "Đảng viên"
CHILD_SHEET = "Theo tổ chức trực thuộc"
MEMBER_HEADERS = [
    "Chi bộ",
    "Họ và tên",
    "Số thẻ đảng viên",
    "Số lần làm",
    "Điểm cao nhất (%)",
    "Kết quả",
    "Nộp lần cuối",
]
CHILD_HEADERS = [
    "Tổ chức",
    "Phải làm",
    "Đã làm",
    "Đạt",
    "Tỷ lệ đạt (% số phải làm)",
    "Điểm trung bình (%)",
    "Tỷ lệ đạt (% số đã làm bài)",
]
TOTAL_LABEL = "Tổng cộng"
D_STROKE = str.maketrans({"đ": "d", "Đ": "D"})  # not a combining mark: NFKD keeps it


def ascii_code(org) -> str:
    """ORG's code for a file name, as the other exports name theirs ("TVL-X001" stays as it is).

    A code is free text, so diacritics are dropped and anything but ASCII letters, digits, dots,
    dashes and underscores becomes a dash; the organisation's number if nothing is left.
    """
    code = unicodedata.normalize("NFKD", org.code.translate(D_STROKE)).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9._-]+", "-", code).strip("-.") or str(org.pk)


def results_filename(quiz, org) -> str:
    """The export's file name: the plan's number and the organisation's code, like the essays' export."""
    return f"ket-qua-kiem-tra-{quiz.plan_id}-{ascii_code(org)}.xlsx"


def _verdict(member) -> str:
    if member.has_passed:
        return "Đạt"
    return "Chưa đạt" if member.attempt_count else "Chưa làm"


def _number(value):
    return None if value is None else float(value)


def member_row(member) -> list:
    last = member.last_submitted_at
    return [
        member.cell.name,
        member.full_name,
        member.card_number or "",
        member.attempt_count,
        _number(member.best_score),
        _verdict(member),
        vn_date(timezone.localtime(last).date()) if last else "",
    ]


def summary_row(label, summary) -> list:
    mean = summary["mean"]
    return [
        label,
        summary["takers"],
        summary["took"],
        summary["passed"],
        summary["pass_rate"],
        None if mean is None else round(float(mean), 1),
        summary["pass_rate_of_took"],
    ]


def write_results_xlsx(quiz, org, visible, out) -> int:
    """The members of ORG required to take QUIZ, then the summaries of ORG's children (among VISIBLE) and
    ORG's total; returns the number of member rows."""
    workbook = Workbook(write_only=True)
    members = workbook.create_sheet(MEMBER_SHEET)
    write_header(members, MEMBER_HEADERS)
    count = 0
    for member in results.member_results(quiz, org).iterator(chunk_size=1000):
        write_row(members, member_row(member))
        count += 1
    children = workbook.create_sheet(CHILD_SHEET)
    write_header(children, CHILD_HEADERS)
    for summary in results.child_summaries(quiz, org, visible):
        write_row(children, summary_row(summary["org"].name, summary))
    write_row(children, summary_row(f"{TOTAL_LABEL} — {org.name}", results.org_summary(quiz, org)))
    workbook.save(out)
    return count
