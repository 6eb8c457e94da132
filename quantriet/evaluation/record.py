"""The member's record (issue 15, item 5): each year's evaluation with its evidence, and a transcript
of their study (plans, conferences, essays, quizzes, the yearly commitment, the personal action
plan), read once for the page (`views_record`) and the party-format .docx (`transcript`).

Years: the last `RECORD_YEARS` calendar years up to this one (none before the year the member joined
the Party), and every year with an evaluation; a year with nothing recorded is only named. Each
year's study rows are those the study proposal weighs (`evidence.member_rows`: the owning apps'
bulk selectors, asked for one member), so the record and the proposal never disagree. The number of
queries depends on the number of years (about fifteen a year), never on the number of records.
Callers check access: nothing here looks at a user.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from quantriet.core.numbers import format_decimal, format_share
from quantriet.core.text import vn_date
from quantriet.org.models import Member, Organization, attach_parent_names
from quantriet.study import selectors as study
from quantriet.study.models import AttendanceStatus

from . import evidence
from .models import Evaluation
from .services import deciding_org_of

#: How many years up to this one the transcript covers (a term of a committee is five years).
RECORD_YEARS = 5

#: How the record names a conference's attendance, and the colour of its badge.
ATTENDANCE_WORDS = {
    AttendanceStatus.PRESENT: ("Có mặt", "success"),
    AttendanceStatus.LATE: ("Đi muộn", "warning"),
    AttendanceStatus.LEFT_EARLY: ("Về sớm", "warning"),
    AttendanceStatus.EXCUSED: ("Vắng có lý do", "warning"),
    AttendanceStatus.ABSENT: ("Vắng không lý do", "danger"),
    "": ("Không có tên trong sổ điểm danh (tính vắng không lý do)", "danger"),
}
MADE_UP = "đã học bù"


@dataclass
class YearRecord:
    """One calendar year of a member's record."""

    year: int
    evaluation: Evaluation | None = None
    #: The plans that concerned the member: {"label", "title", "issuer", "url"}.
    plans: list = field(default_factory=list)
    #: The selectors' rows (see `evidence.member_rows`), each with the words the record shows.
    conferences: list = field(default_factory=list)
    essays: list = field(default_factory=list)
    quizzes: list = field(default_factory=list)
    commitment: dict | None = None
    personal_plan_url: str | None = None
    #: Led a unit (secretary, deputy) in the year: a personal action plan was asked of them.
    head: bool = False

    @property
    def empty(self) -> bool:
        studied = self.plans or self.conferences or self.essays or self.quizzes
        return not (self.evaluation or studied or self.commitment or self.personal_plan_url)


@dataclass
class MemberRecord:
    member: Member
    #: The member's grassroots organisation (whose letterhead the transcript carries).
    grassroots: Organization
    #: The years with something recorded, newest first.
    years: list[YearRecord]
    #: The years of the span with nothing recorded, newest first.
    quiet_years: list[int]
    first_year: int
    last_year: int

    @property
    def evaluations(self) -> list[Evaluation]:
        return [y.evaluation for y in self.years if y.evaluation is not None]


def span(member: Member, evaluation_years, today) -> list[int]:
    """The years the record covers, newest first (see the module's docstring)."""
    first = max(today.year - RECORD_YEARS + 1, member.joined_on.year)
    return sorted({*range(first, today.year + 1), *evaluation_years}, reverse=True)


def member_record(member: Member, today=None) -> MemberRecord:
    """MEMBER's record up to TODAY's year (MEMBER with its cell)."""
    today = today or timezone.localdate()
    attach_parent_names([member.cell])
    evaluations = {e.year: e for e in _evaluations(member)}
    years = span(member, evaluations, today)
    found, concerned = [], {}  # concerned: year -> (plans of the member's records, plans due of the cell)
    for year in years:
        rows = next(evidence.member_rows([member.pk], year), {}).get(member.pk)
        record = YearRecord(year, evaluations.get(year))
        if rows is not None:
            record.conferences = [_conference(r) for r in rows["conferences"]]
            record.essays = [_essay(r) for r in rows["essays"]]
            record.quizzes = [_quiz(r) for r in rows["quizzes"]]
            record.commitment = rows["commitment"]
            record.personal_plan_url, record.head = rows["personal_plan_url"], rows["head"]
            studied = {r["plan_id"] for r in (*rows["conferences"], *rows["essays"], *rows["quizzes"])}
            due = {plan_id for _cell, plan_id, _deadline in study.cell_plans_due_in([rows["cell"]], year)}
            concerned[year] = (studied, due)
        found.append(record)
    ids = {pk for studied, due in concerned.values() for pk in studied | due}
    named = study.plans_named(ids) if ids else {}
    for record in found:
        studied, due = concerned.get(record.year, (set(), set()))
        # A plan the cell had to carry out concerns the member when its audience is every member; one
        # for the key cadres only, when the member's own records show it.
        kept = sorted(pk for pk in studied | due if pk in named and (pk in studied or named[pk]["for_members"]))
        record.plans = [named[pk] for pk in kept]
    return MemberRecord(
        member=member,
        grassroots=deciding_org_of(member.cell),
        years=[record for record in found if not record.empty],
        quiet_years=[record.year for record in found if record.empty],
        first_year=years[-1],
        last_year=years[0],
    )


def _evaluations(member: Member) -> list[Evaluation]:
    """MEMBER's evaluations, each with `band_text`, `total_text` and the study criterion's points:
    `study_key`, `study_given` (the cell's, else the member's own) — a fixed number of queries."""
    evaluations = list(
        Evaluation.objects.filter(member=member)
        .select_related("criteria_set")
        .prefetch_related("criteria_set__bands", "criteria_set__groups__criteria")
        .order_by("-year")
    )
    for evaluation in evaluations:
        criteria_set = evaluation.criteria_set
        bands = {band.code: band.label for band in criteria_set.bands.all()}
        evaluation.band_text = bands.get(evaluation.band, "") if evaluation.band else ""
        evaluation.total_text = format_decimal(evaluation.total) if evaluation.total is not None else ""
        study_criterion = next((c for g in criteria_set.groups.all() for c in g.criteria.all() if c.study), None)
        evaluation.study_max = format_decimal(study_criterion.max_points) if study_criterion else ""
        given = None
        if study_criterion is not None:
            given = (evaluation.review_points or evaluation.self_points).get(study_criterion.key)
        evaluation.study_given = format_decimal(Decimal(given)) if given not in (None, "") else ""
    return evaluations


def _conference(row: dict) -> dict:
    words, tone = ATTENDANCE_WORDS[row["status"]]
    if row["made_up"]:
        words, tone = f"{words}, {MADE_UP}", "success" if row["status"] == AttendanceStatus.EXCUSED else "warning"
    return {**row, "status_text": words, "tone": tone}


def _essay(row: dict) -> dict:
    if not row["submitted"]:
        waiting = f"Chưa nộp (hạn {vn_date(row['deadline'])})" if not row["due"] else "Chưa nộp"
        return {**row, "status_text": waiting, "grade_text": "", "verdict_text": "",
                "tone": "danger" if row["due"] else "secondary"}  # fmt: skip
    grade = format_share(row["grade"]) or "Chưa chấm"
    if row["copied"]:
        verdict, tone = f"Bị kết luận sao chép: {row['copied']}", "danger"
    else:
        verdict, tone = row["verdict"] or "Chưa kiểm tra tính độc lập", "success"
    return {**row, "status_text": "Đã nộp", "grade_text": grade, "verdict_text": verdict, "tone": tone}


def _quiz(row: dict) -> dict:
    best = format_share(row["best"])
    if best:
        return {**row, "best_text": best, "tone": "success"}
    if not row["due"]:
        return {**row, "best_text": f"Chưa làm bài (hạn {vn_date(row['deadline'])})", "tone": "secondary"}
    return {**row, "best_text": "Chưa làm bài", "tone": "danger"}
