"""The study criterion proposed from evidence (Chỉ thị 28, point 4: study results and attitude count
in the yearly evaluation): for one member and period, points out of the criterion's maximum from
what the records show, each part with its sources, so the evaluator and the member see why.

Pure functions over plain records (the evaluation app's selectors gather them from study, essays,
quizzes and plans). Parts and their default weights (`WEIGHTS`, to confirm: docs/evaluation.md):

- conferences (0.4): each conference the member had to attend — attended 1, late or left early
  0.75, absent with an excuse and made up 1, absent with an excuse 0.5, absent without one and made
  up 0.5, absent without one 0;
- essays (0.3): each essay the member had to write — not submitted 0; judged a copy (of a sample,
  of another member, of the resolution) 0, and the proposal says so; otherwise half for submitting
  and half for its grade (an essay not yet graded counts a middling 50 %);
- quizzes (0.1): each quiz the member had to take — the best score's share, 0 if not taken;
- the yearly commitment (0.1): registered 0.5, each self-review (mid-year, year-end) 0.25; a
  commitment flagged as copied 0;
- the personal action plan (0.1), for heads only: written 1, not written 0.

A part with nothing required of the member (no quiz in the year) drops out and the weights of the
others are renormalised, as the fidelity index does: nobody loses points for what was not asked.
An essay not yet submitted, or a quiz not yet taken, before its deadline (the deadline day
included) is shown but not counted: the member may still do it, and is not marked down for it
before it is due — as the fidelity index does not judge a unit before its deadline.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

WEIGHTS = {"conferences": 0.4, "essays": 0.3, "quizzes": 0.1, "commitment": 0.1, "personal_plan": 0.1}
LABELS = {
    "conferences": "Dự hội nghị học tập, quán triệt",
    "essays": "Bài thu hoạch",
    "quizzes": "Bài kiểm tra",
    "commitment": "Bản cam kết tu dưỡng, rèn luyện",
    "personal_plan": "Kế hoạch hành động cá nhân",
}
ATTENDED, LATE, LEFT_EARLY, EXCUSED, UNEXCUSED = "attended", "late", "left_early", "excused", "unexcused"
#: A graded essay's grade is unknown yet: it counts this share.
UNGRADED_SHARE = 0.5


@dataclass(frozen=True)
class Source:
    """One record behind a part: what it says, and where to read it (a page of the system)."""

    text: str
    url: str = ""
    #: 0–1; None: shown but not counted (not due yet).
    score: float | None = 0.0


@dataclass(frozen=True)
class ConferenceRecord:
    title: str
    status: str
    made_up: bool = False
    url: str = ""


@dataclass(frozen=True)
class EssayRecord:
    plan_title: str
    submitted: bool
    #: The grade as a share of the rubric's maximum (0–1), None: not graded.
    grade: float | None = None
    #: The verdict's words when it holds the essay a copy ("Chép bài mẫu trên mạng"), else "".
    copied: str = ""
    url: str = ""
    #: The deadline has passed (a missing essay counts); before it the member may still submit.
    due: bool = True
    deadline_text: str = ""


@dataclass(frozen=True)
class QuizRecord:
    title: str
    #: The best attempt's share of the maximum (0–1), None: not taken.
    best: float | None
    url: str = ""
    #: The deadline has passed (a quiz not taken counts); before it the member may still take it.
    due: bool = True
    deadline_text: str = ""


@dataclass(frozen=True)
class CommitmentRecord:
    registered: bool
    mid_reviewed: bool = False
    end_reviewed: bool = False
    #: The copy check's words when the commitment is flagged ("chép bản mẫu trên mạng"), else "".
    copied: str = ""
    url: str = ""
    #: Its state as its page names it ("Đã nhận xét"): the member's record shows it, the proposal does not weigh it.
    state: str = field(default="", compare=False)


@dataclass(frozen=True)
class StudyRecords:
    conferences: tuple[ConferenceRecord, ...] = ()
    essays: tuple[EssayRecord, ...] = ()
    quizzes: tuple[QuizRecord, ...] = ()
    commitment: CommitmentRecord | None = None
    #: Whether the member heads a unit (a personal action plan is required), and their plan's page
    #: ("" when they wrote none).
    head: bool = False
    personal_plan_url: str | None = None


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    #: 0–1, None when nothing was required of the member (the part drops out).
    score: float | None
    weight: float
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Proposal:
    points: Decimal
    max_points: Decimal
    parts: tuple[Part, ...] = field(default=())

    @property
    def lowered_by_copying(self) -> list[str]:
        """The sources that cost the member points because they were judged copies (what the member reads)."""
        return [s.text for part in self.parts for s in part.sources if "sao chép" in s.text]


_CONFERENCE_SCORES = {ATTENDED: 1.0, LATE: 0.75, LEFT_EARLY: 0.75}
_STATUS_WORDS = {ATTENDED: "có mặt", LATE: "đi muộn", LEFT_EARLY: "về sớm", EXCUSED: "vắng có lý do",
                 UNEXCUSED: "vắng không lý do"}  # fmt: skip


def _conference(record: ConferenceRecord) -> Source:
    if record.status in _CONFERENCE_SCORES:
        score = _CONFERENCE_SCORES[record.status]
    elif record.status == EXCUSED:
        score = 1.0 if record.made_up else 0.5
    else:
        score = 0.5 if record.made_up else 0.0
    words = _STATUS_WORDS.get(record.status, record.status) + (", đã học bù" if record.made_up else "")
    return Source(f"{record.title}: {words}", record.url, score)


def _essay(record: EssayRecord) -> Source:
    if not record.submitted and not record.due:
        return Source(f"{record.plan_title}: chưa đến hạn nộp bài thu hoạch ({record.deadline_text}), chưa tính",
                      record.url, None)  # fmt: skip
    if not record.submitted:
        return Source(f"{record.plan_title}: chưa nộp bài thu hoạch", record.url, 0.0)
    if record.copied:
        return Source(f"{record.plan_title}: bài thu hoạch bị kết luận sao chép ({record.copied}), không tính điểm",
                      record.url, 0.0)  # fmt: skip
    if record.grade is None:
        return Source(f"{record.plan_title}: đã nộp, chưa chấm (tạm tính điểm chấm 50%)", record.url,
                      0.5 + 0.5 * UNGRADED_SHARE)  # fmt: skip
    percent = round(100 * record.grade)
    return Source(f"{record.plan_title}: đã nộp, điểm chấm {percent}%", record.url, 0.5 + 0.5 * record.grade)


def _quiz(record: QuizRecord) -> Source:
    if record.best is None and not record.due:
        return Source(f"{record.title}: chưa đến hạn làm bài ({record.deadline_text}), chưa tính", record.url, None)
    if record.best is None:
        return Source(f"{record.title}: chưa làm bài kiểm tra", record.url, 0.0)
    return Source(f"{record.title}: điểm cao nhất {round(100 * record.best)}%", record.url, record.best)


def _commitment(record: CommitmentRecord | None) -> tuple[Source, ...]:
    if record is None or not record.registered:
        return (Source("Chưa đăng ký bản cam kết năm", record.url if record else "", 0.0),)
    if record.copied:
        return (Source(f"Bản cam kết bị gắn cờ sao chép ({record.copied}), không tính điểm", record.url, 0.0),)
    score = 0.5 + 0.25 * record.mid_reviewed + 0.25 * record.end_reviewed
    reviews = [name for name, done in (("giữa năm", record.mid_reviewed), ("cuối năm", record.end_reviewed)) if done]
    said = f"tự đánh giá {' và '.join(reviews)}" if reviews else "chưa tự đánh giá"
    return (Source(f"Đã đăng ký bản cam kết, {said}", record.url, score),)


def _mean(sources: tuple[Source, ...]) -> float | None:
    """The mean of the sources counted (None when none is: the part drops out)."""
    counted = [s.score for s in sources if s.score is not None]
    return sum(counted) / len(counted) if counted else None


def parts(records: StudyRecords, weights: dict[str, float] = WEIGHTS) -> list[Part]:
    """Each part's score with the sources behind it (None: nothing required in that part)."""
    found = {
        "conferences": tuple(_conference(r) for r in records.conferences),
        "essays": tuple(_essay(r) for r in records.essays),
        "quizzes": tuple(_quiz(r) for r in records.quizzes),
        "commitment": _commitment(records.commitment),
        "personal_plan": (
            (Source("Đã có kế hoạch hành động cá nhân", records.personal_plan_url or "", 1.0),)
            if records.personal_plan_url
            else (Source("Chưa có kế hoạch hành động cá nhân", "", 0.0),)
        ) if records.head else (),
    }  # fmt: skip
    return [Part(key, LABELS[key], _mean(sources), weights[key], sources) for key, sources in found.items()]


def _quarter_points(share: float, max_points: Decimal) -> Decimal:
    return (Decimal(str(share)) * max_points * 4).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 4


def propose(records: StudyRecords, max_points: Decimal, weights: dict[str, float] = WEIGHTS) -> Proposal:
    """The points proposed out of MAX_POINTS (to the quarter point), the weighted mean of the parts judged."""
    found = parts(records, weights)
    judged = [part for part in found if part.score is not None and part.weight]
    total = sum(part.weight for part in judged)
    share = sum(part.weight * part.score for part in judged) / total if total else 0.0
    return Proposal(_quarter_points(share, max_points), max_points, tuple(found))


@dataclass(frozen=True)
class UnitIndex:
    """A collective's fidelity index (0–100) for one study plan of the year, and its dashboard page."""

    plan_title: str
    index: float
    skimmed: bool = False
    url: str = ""


FIDELITY_LABEL = "Chỉ số làm kỹ của đơn vị (học tập, quán triệt, cụ thể hóa nghị quyết)"


def propose_collective(indices: list[UnitIndex], max_points: Decimal) -> Proposal | None:
    """A collective's study criterion: the mean of its fidelity indices over the year's plans, as a
    share of MAX_POINTS; None when no plan of the year has judged the unit (nothing to propose from)."""
    if not indices:
        return None
    sources = tuple(
        Source(f"{found.plan_title}: chỉ số làm kỹ {round(found.index)}/100" + (" (làm lướt)" if found.skimmed else ""),
               found.url, found.index / 100)
        for found in indices
    )  # fmt: skip
    share = _mean(sources)
    part = Part("fidelity", FIDELITY_LABEL, share, 1.0, sources)
    return Proposal(_quarter_points(share, max_points), max_points, (part,))
