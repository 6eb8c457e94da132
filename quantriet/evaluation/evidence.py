"""The study criterion from evidence (issue 15, item 2): for many members and a calendar year, the
records of `evaluation.study` gathered from the apps that own them, and the points they propose.

Each owning app answers for many members at once through its `selectors.py` (study: conferences
expected, attended, excused, made up; essays: asked, submitted, graded, judged a copy; quizzes:
asked, best score; plans: the yearly commitment, the personal action plan; org: who led a unit
in the year). Member ids are read CHUNK at a time, so the number of queries depends on the number
of chunks, never on the number of members (13 to 15 per chunk), and no IN list outgrows
SQLite's parameter limit. Callers check access: nothing here looks at a user.
"""

from collections.abc import Iterable, Iterator
from decimal import Decimal

from quantriet.analytics.selectors import year_indices
from quantriet.core.bulk import chunks
from quantriet.core.links import page_urls
from quantriet.core.text import vn_date
from quantriet.essays import selectors as essays
from quantriet.org import selectors as org
from quantriet.plans import selectors as plans
from quantriet.quizzes import selectors as quizzes
from quantriet.study import selectors as study
from quantriet.study.models import AttendanceStatus

from .study import (
    ATTENDED,
    EXCUSED,
    LATE,
    LEFT_EARLY,
    UNEXCUSED,
    WEIGHTS,
    CommitmentRecord,
    ConferenceRecord,
    EssayRecord,
    Proposal,
    QuizRecord,
    StudyRecords,
    UnitIndex,
    propose,
    propose_collective,
)

#: Member ids per round of queries.
CHUNK = 5000

#: Attendance as the study records name it; no row at all is an absence without excuse.
STATUS = {
    AttendanceStatus.PRESENT: ATTENDED,
    AttendanceStatus.LATE: LATE,
    AttendanceStatus.LEFT_EARLY: LEFT_EARLY,
    AttendanceStatus.EXCUSED: EXCUSED,
    AttendanceStatus.ABSENT: UNEXCUSED,
    "": UNEXCUSED,
}


def member_rows(member_ids: Iterable[int], year: int, chunk: int = CHUNK) -> Iterator[dict[int, dict]]:
    """The owning apps' rows of YEAR for MEMBER_IDS, CHUNK members at a time: per chunk, {member id:
    {"cell": cell id, "conferences", "essays", "quizzes": the selectors' rows, "commitment": the
    commitment's row or None, "personal_plan_url": its page or None, "head": led a unit in YEAR}}
    (ids of no member are left out). The member's record reads them whole; `study_records` keeps
    what the proposal weighs."""
    for ids in chunks(member_ids, chunk):
        cells = study.member_cells(ids)
        ids = [pk for pk in ids if pk in cells]
        attendance = study.member_attendance_in(ids, year, cells)
        written = essays.member_essays_in(ids, year, cells)
        taken = quizzes.member_quizzes_in(ids, year, cells)
        commitments = plans.member_commitments_in(ids, year)
        personal = plans.member_personal_plans_in(ids, year)
        heads = org.heads_in(ids, year)
        yield {
            pk: {
                "cell": cells[pk],
                "conferences": attendance[pk],
                "essays": written[pk],
                "quizzes": taken[pk],
                "commitment": commitments.get(pk),
                "personal_plan_url": personal.get(pk),
                "head": pk in heads,
            }
            for pk in ids
        }


def records_of(rows: dict) -> StudyRecords:
    """The study records of one member's ROWS (`member_rows`)."""
    commitment = rows["commitment"]
    return StudyRecords(
        conferences=tuple(
            ConferenceRecord(r["title"], STATUS[r["status"]], r["made_up"], r["url"]) for r in rows["conferences"]
        ),
        essays=tuple(
            EssayRecord(
                r["plan_title"], r["submitted"], r["grade"], r["copied"], r["url"], r["due"], vn_date(r["deadline"])
            )
            for r in rows["essays"]
        ),
        quizzes=tuple(
            QuizRecord(r["title"], r["best"], r["url"], r["due"], vn_date(r["deadline"])) for r in rows["quizzes"]
        ),
        commitment=CommitmentRecord(**commitment) if commitment else None,
        head=rows["head"],
        personal_plan_url=rows["personal_plan_url"],
    )


def study_records(member_ids: Iterable[int], year: int, chunk: int = CHUNK) -> dict[int, StudyRecords]:
    """{member id: StudyRecords} of YEAR for each of MEMBER_IDS (ids of no member are left out)."""
    found = {}
    for rows in member_rows(member_ids, year, chunk):
        found.update((pk, records_of(found_rows)) for pk, found_rows in rows.items())
    return found


def propose_for(
    member_ids: Iterable[int], year: int, max_points: Decimal, weights: dict[str, float] = WEIGHTS
) -> dict[int, Proposal]:
    """{member id: the points proposed for the study criterion out of MAX_POINTS, with their sources}."""
    return {pk: propose(records, max_points, weights) for pk, records in study_records(member_ids, year).items()}


def collective_proposal(org_id: int, year: int, max_points: Decimal) -> Proposal | None:
    """A collective's study criterion from its fidelity index over the plans of YEAR (None: not judged)."""
    dashboard = page_urls("analytics:dashboard")
    indices = [
        UnitIndex(row["plan_title"], row["index"], row["lam_luot"], dashboard(row["plan_id"], f"org={org_id}"))
        for row in year_indices([org_id], year).get(org_id, [])
    ]
    return propose_collective(indices, max_points)
