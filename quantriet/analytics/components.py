"""The fidelity index of one (plan, organisation): components 0–1, a weighted composite 0–100.

Pure functions over plain facts, so every rule can be tested on a hand-made tree without a
database; `rollup.py` gathers the facts. docs/fidelity.md explains each component in
Vietnamese and English with a worked example. A component that cannot be judged yet (nothing
held and not due, nobody graded, no quiz) is None and drops out of the composite, whose
weights are renormalised over the components present.

A unit whose conference is not held and whose deadline has not passed (the deadline day itself
included) is "chưa đến hạn": it gets no index, no decay and no flag; its member figures accrue
and are shown as partial. The day after its deadline it is "quá hạn" and judged like any other.
"""

from dataclasses import dataclass, field
from datetime import date

from quantriet.core.numbers import format_decimal, format_integer

#: Days late at which the timeliness component reaches 0 (linear in between).
LATE_DAYS_TO_ZERO = 30
#: A local-situation section this long (in words) scores fully; shorter ones proportionally.
LOCAL_WORDS_FULL = 40
#: Share of a child's local section found in its parent's at which it counts as copied.
LOCAL_COPY_THRESHOLD = 0.5


@dataclass(frozen=True)
class Component:
    key: str
    label: str
    weight: int


COMPONENTS = (
    Component("on_time", "Tổ chức đúng hạn, đúng trình tự", 10),
    Component("secretary", "Bí thư chủ trì và trực tiếp quán triệt", 10),
    Component("local", "Có liên hệ tình hình địa phương, không chép của cấp trên", 10),
    Component("duration", "Thời lượng so với cấp trên", 5),
    Component("attendance", "Tỷ lệ đảng viên dự học", 15),
    Component("unexcused", "Không vắng mặt không lý do", 5),
    Component("essays", "Tỷ lệ nộp bài thu hoạch", 10),
    Component("grade", "Điểm bình quân bài thu hoạch", 10),
    Component("original", "Tỷ lệ bài thu hoạch độc lập", 5),
    Component("quiz_mean", "Điểm bình quân bài kiểm tra", 5),
    Component("quiz_pass", "Tỷ lệ đạt bài kiểm tra", 5),
    Component("concreteness", "Chương trình hành động cụ thể hóa, không sao chép", 10),
)
COMPONENT_KEYS = tuple(c.key for c in COMPONENTS)
DEFAULT_WEIGHTS = {c.key: c.weight for c in COMPONENTS}
LABELS = {c.key: c.label for c in COMPONENTS}
CONFERENCE_KEYS = ("on_time", "secretary", "local", "duration")
#: Components of the unit's own work that its figures below do not change (kept as they are when
#: an ancestor's row is re-added from its children's).
OWN_KEYS = (*CONFERENCE_KEYS, "concreteness")

#: Where a unit stands with its own conference (the rows' ``state``), with the words every page shows.
HELD, NOT_DUE, OVERDUE = "da_to_chuc", "chua_den_han", "qua_han"
STATES = {
    HELD: "Đã tổ chức",
    NOT_DUE: "Chưa đến hạn",
    OVERDUE: "Quá hạn chưa tổ chức",
    "": "Không có nhiệm vụ tổ chức",
}
#: What a unit not yet due shows instead of an index (badge, table, export, report).
NOT_DUE_NOTE = "chưa đánh giá; số liệu đảng viên đang cập nhật (tạm tính)"

#: Flags a row can carry, with the words the dashboard shows.
FLAGS = {
    "lam_luot": "Làm lướt",
    "qua_han": "Quá hạn chưa tổ chức",
    "tre_han": "Tổ chức trễ hạn",
    "truoc_cap_tren": "Tổ chức trước cấp trên",
    "khong_bi_thu": "Bí thư không chủ trì hoặc không trực tiếp quán triệt",
    "thieu_lien_he": "Thiếu liên hệ thực tế",
    "chep_lien_he": "Liên hệ chép của cấp trên",
    "ctr_sao_chep": "Chương trình hành động sao chép, chưa cụ thể hóa",
}


@dataclass
class ConferenceFacts:
    """What the organisation's own conference (or the one that covered it) shows."""

    deadline: date | None = None
    held_on: date | None = None
    parent_held_on: date | None = None
    chaired_by_secretary: bool = False
    presented_by_secretary: bool = False
    local_words: int = 0
    local_copied: bool = False
    duration: int | None = None
    parent_duration: int | None = None


@dataclass
class Counts:
    """Member figures, additive over a subtree."""

    members: int = 0
    expected: int = 0  # members of cells whose conference is held or overdue
    attended: int = 0
    unexcused: int = 0
    writers: int = 0
    submitted: int = 0
    graded: int = 0
    grade_pct_sum: float = 0.0
    checked: int = 0
    independent: int = 0
    takers: int = 0
    took: int = 0
    quiz_pct_sum: float = 0.0
    passed: int = 0

    def add(self, other: "Counts") -> None:
        for name in COUNT_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


COUNT_FIELDS = tuple(Counts.__dataclass_fields__)


@dataclass
class Settings:
    weights: dict = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    essays_due: bool = False  # the plan's essay deadline has passed (or the plan is closed)
    margin: float = 15.0  # points below the parent that flag "làm lướt"
    floor: float = 50.0  # index below which a unit is flagged whatever its parent
    recipients: dict = field(default_factory=dict)  # level → the report's "Nơi nhận:" lines (report.py)
    #: Days overdue after which a programme's task shows on the level above's to-do list.
    escalate_after_days: int = 7


#: What each member component is a rate or a mean of: (the counted field or None for a mean, the
#: base field, what is counted in words, the base in words). Every page, export and the report
#: name this base.
BASES = {
    "attendance": ("attended", "expected", "dự học", "đảng viên phải dự học"),
    "unexcused": ("unexcused", "expected", "vắng không lý do", "đảng viên phải dự học"),
    "essays": ("submitted", "writers", "đã nộp", "đảng viên phải viết thu hoạch"),
    "grade": (None, "graded", "", "bài đã chấm"),
    "original": ("independent", "checked", "độc lập", "bài đã kiểm tra trùng lặp"),
    "quiz_mean": (None, "took", "", "người đã làm bài kiểm tra"),
    "quiz_pass": ("passed", "took", "đạt", "người đã làm bài kiểm tra"),
}


def basis(key: str, counts) -> str:
    """The base of a member component in words, from COUNTS (a `Counts` or a row): "đạt 109/150
    người đã làm bài kiểm tra", "bình quân của 40 bài đã chấm"; "" for a conference component."""
    if key not in BASES:
        return ""
    part, whole, counted, base = BASES[key]
    if part is None:
        return f"bình quân của {format_integer(getattr(counts, whole))} {base}"
    return f"{counted} {format_integer(getattr(counts, part))}/{format_integer(getattr(counts, whole))} {base}"


def percent_of(key: str) -> str:
    """A component's unit in a column heading: "% số người đã làm bài kiểm tra", or "%"."""
    if key not in BASES:
        return "%"
    part, _, _, base = BASES[key]
    return f"% số {base}" if part else f"% điểm tối đa, bình quân {base}"


def lam_luot_rule(settings: Settings) -> str:
    """The "làm lướt" rule in words: the dashboard's legend and badge, the report and docs/fidelity.md say this."""
    floor, margin = format_decimal(settings.floor), format_decimal(settings.margin)
    return (
        f"“Làm lướt” khi chỉ số làm kỹ dưới {floor} điểm hoặc thấp hơn chỉ số của cấp trên trực "
        f"tiếp quá {margin} điểm; đơn vị chưa đến hạn (chưa tổ chức hội nghị, chưa qua ngày hạn) "
        "chưa bị đánh giá"
    )


def state(facts: ConferenceFacts | None, today: date) -> str:
    """Held, not yet due (the deadline day included), overdue; "" for a unit with no conference to hold."""
    if facts is None:
        return ""
    if facts.held_on is not None:
        return HELD
    if facts.deadline is None:
        return ""
    return OVERDUE if facts.deadline < today else NOT_DUE


def _ratio(part, whole):
    return min(1.0, part / whole) if whole else None


def on_time(facts: ConferenceFacts, today: date) -> float | None:
    """1 when held by the deadline and not before the level above; 1/30 less per day late.

    Holding before the parent's conference halves the score: the level below studied without
    the guidance it was meant to pass on. Not held: 0 once overdue, not judged before.
    """
    if facts.deadline is None:
        return None
    if facts.held_on is None:
        return 0.0 if facts.deadline < today else None
    late = max(0, (facts.held_on - facts.deadline).days)
    score = max(0.0, 1 - late / LATE_DAYS_TO_ZERO)
    if facts.parent_held_on is not None and facts.held_on < facts.parent_held_on:
        score /= 2
    return score


def secretary(facts: ConferenceFacts) -> float | None:
    if facts.held_on is None:
        return None
    return 0.5 * facts.chaired_by_secretary + 0.5 * facts.presented_by_secretary


def local(facts: ConferenceFacts) -> float | None:
    if facts.held_on is None:
        return None
    if facts.local_copied:
        return 0.0
    return min(1.0, facts.local_words / LOCAL_WORDS_FULL)


def duration(facts: ConferenceFacts) -> float | None:
    if facts.held_on is None or facts.duration is None:
        return None
    if not facts.parent_duration:
        return 1.0
    return min(1.0, facts.duration / facts.parent_duration)


def member_components(counts: Counts, essays_due: bool) -> dict:
    """Attendance counts members of units whose conference is held or overdue (``expected``);
    the submission rate is judged once the essay deadline has passed (ESSAYS_DUE); grades,
    originality and quiz results as soon as there are any. The quiz pass rate is among those who
    took it (how many took it shows in the funnel)."""

    def mean(total, n):
        return total / n / 100 if n else None

    return {
        "attendance": _ratio(counts.attended, counts.expected),
        "unexcused": 1 - _ratio(counts.unexcused, counts.expected) if counts.expected else None,
        "essays": _ratio(counts.submitted, counts.writers) if essays_due else None,
        "grade": mean(counts.grade_pct_sum, counts.graded),
        "original": _ratio(counts.independent, counts.checked),
        "quiz_mean": mean(counts.quiz_pct_sum, counts.took),
        "quiz_pass": _ratio(counts.passed, counts.took),
    }


def conference_components(facts: ConferenceFacts | None, today: date) -> dict:
    if facts is None:
        return dict.fromkeys(CONFERENCE_KEYS)
    return {
        "on_time": on_time(facts, today),
        "secretary": secretary(facts),
        "local": local(facts),
        "duration": duration(facts),
    }


def composite(components: dict, weights: dict) -> float | None:
    """Weighted mean of the components present, 0–100 (None when none can be judged)."""
    present = [(weights.get(key, 0), value) for key, value in components.items() if value is not None]
    total = sum(weight for weight, _ in present)
    if not total:
        return None
    return round(100 * sum(weight * value for weight, value in present) / total, 1)


def judged_index(components: dict, weights: dict, facts: ConferenceFacts | None, today: date) -> float | None:
    """The composite, or None for a unit not yet due: its partial figures are not judged."""
    if state(facts, today) == NOT_DUE:
        return None
    return composite(components, weights)


def decay(index: float | None, parent_index: float | None) -> float | None:
    """How far a unit falls below its parent, in index points (positive = weaker than the parent)."""
    if index is None or parent_index is None:
        return None
    return round(parent_index - index, 1)


def concreteness(programme: dict | None) -> float | None:
    """The unit's own action programme, once put forward (plans.selectors.concreteness_under): its
    concreteness score as 0–1; None without one (a unit is not judged on a programme it has not
    put forward: no deadline for it is set)."""
    return None if programme is None else programme["score"] / 100


def flags(index, parent_index, facts: ConferenceFacts | None, components: dict, settings: Settings, today,
          programme_flags=()) -> list:  # fmt: skip
    """The warnings a unit carries; none for a unit not yet due (`state`), whatever its figures so far.

    PROGRAMME_FLAGS: its own action programme's (plans.concreteness.FLAGS); a programme flagged
    "sao_chep" is flagged here too, with both of its failings named."""
    if state(facts, today) == NOT_DUE:
        return []
    found = []
    gap = decay(index, parent_index)
    if index is not None and (index < settings.floor or (gap is not None and gap > settings.margin)):
        found.append("lam_luot")
    if facts is not None and facts.deadline is not None:
        if facts.held_on is None and facts.deadline < today:
            found.append("qua_han")
        elif facts.held_on is not None and facts.held_on > facts.deadline:
            found.append("tre_han")
        if facts.held_on and facts.parent_held_on and facts.held_on < facts.parent_held_on:
            found.append("truoc_cap_tren")
    if components.get("secretary") is not None and components["secretary"] < 1:
        found.append("khong_bi_thu")
    if facts is not None and facts.local_copied:
        found.append("chep_lien_he")
    elif components.get("local") is not None and components["local"] < 0.5:
        found.append("thieu_lien_he")
    if "sao_chep" in programme_flags:
        found.append("ctr_sao_chep")
    return found
