"""What the dashboard shows, read from the fidelity rows with a few aggregate queries each.

Every function takes the rows of one plan under one organisation (`subtree_rows`), so the same
figures feed the page, the .xlsx export and the official report.
"""

from collections import defaultdict
from datetime import date

from django.db.models import QuerySet

from quantriet.study.models import Level

from .components import NOT_DUE, OVERDUE
from .models import FidelityScore

#: Colour bands of the index (Bootstrap colour names): the dashboard's scale and the report's words.
#: Only a colour scale: the "làm lướt" flag has its own rule (`components.lam_luot_rule`), which
#: also looks at the parent's index, so a unit in any band but the top one may carry it.
BANDS = (
    (80, "success", "Tốt (từ 80)"),
    (65, "info", "Khá (65 đến dưới 80)"),
    (50, "warning", "Trung bình (50 đến dưới 65)"),
    (0, "danger", "Yếu (dưới 50)"),
)
#: The state filter of the weakest-units table: judged units (the default), or those not yet due.
STATE_FILTERS = {"": "Đã đánh giá", NOT_DUE: "Chưa đến hạn (số liệu tạm tính)", OVERDUE: "Quá hạn chưa tổ chức"}
#: Short names of the levels for the charts' axes and legends (the full ones are in the tooltips).
SHORT_LEVELS = {
    Level.PROVINCE: "Cấp tỉnh",
    Level.UPPER: "Trực thuộc tỉnh",
    Level.GRASSROOTS: "Cơ sở",
    Level.CELL: "Chi bộ trực thuộc",
}
#: Columns the weakest-units table can be sorted by (query value → model ordering).
SORTS = {
    "index": ("index", "path"),
    "-index": ("-index", "path"),
    "decay": ("-decay", "path"),
    "name": ("org__name", "path"),
    "held": ("held_on", "path"),
}


def band(index):
    if index is None:
        return "secondary"
    return next(style for floor, style, _ in BANDS if index >= floor)


def subtree_rows(plan, org) -> QuerySet:
    return FidelityScore.objects.filter(plan=plan, path__startswith=org.path)


def weakest(rows: QuerySet, level: str = "", flagged: bool = False, sort: str = "index", state: str = "") -> QuerySet:
    """Judged units (or those in STATE), weakest first by default, with their accountable heads."""
    rows = rows.filter(state=state) if state else rows.filter(index__isnull=False)
    if level:
        rows = rows.filter(level=level)
    if flagged:
        rows = rows.filter(lam_luot=True)
    return rows.select_related("org", "head").order_by(*SORTS.get(sort, SORTS["index"]))


def distribution(counts) -> dict:
    """Per level, how many judged units fall in each colour band (COUNTS: `summary.subtree_counts`)."""
    levels = [level for level in Level if any(counts[f"b|{level.value}|{i}"] for i in range(len(BANDS)))]
    return {
        "labels": [SHORT_LEVELS[level] for level in levels],
        "titles": [level.label for level in levels],
        "datasets": [
            {"label": label, "style": style, "data": [counts[f"b|{level.value}|{i}"] for level in levels]}
            for i, (_, style, label) in enumerate(BANDS)
        ],
    }


def _by_level_and_day(counts, kind: str) -> dict[str, dict[str, int]]:
    """{level: {day ("" for none): units}} from the KIND ("t": held, "d": deadline) keys of COUNTS."""
    found = defaultdict(dict)
    for key, n in counts.items():
        if n and key.startswith(f"{kind}|"):
            _, level, day = key.split("|")
            found[level][day] = n
    return found


def timeline(counts) -> dict:
    """Per level, the cumulative share of units that had held their conference by each date, and the
    deadline (COUNTS: `summary.subtree_counts`)."""
    held = _by_level_and_day(counts, "t")
    deadlines = {
        level: max((date.fromisoformat(day) for day in by_day if day), default=None)
        for level, by_day in _by_level_and_day(counts, "d").items()
    }
    days = sorted(
        {date.fromisoformat(day) for by_day in held.values() for day in by_day if day}
        | {d for d in deadlines.values() if d}
    )
    series = []
    for level in Level:
        by_day = held.get(level.value)
        if not by_day:
            continue
        total, done, points = sum(by_day.values()), 0, []
        for day in days:
            done += by_day.get(day.isoformat(), 0)
            points.append(round(100 * done / total, 1))
        deadline = deadlines.get(level.value)
        series.append(
            {
                "label": f"{SHORT_LEVELS[level]} — hạn {deadline:%d/%m/%Y}" if deadline else SHORT_LEVELS[level],
                "title": level.label,
                "data": points,
                "deadline": days.index(deadline) if deadline in days else None,
            }
        )
    return {"labels": [f"{day:%d/%m}" for day in days], "series": series}


def listed(counts, level: str = "", flagged: bool = False, state: str = "") -> int:
    """How many units `weakest` lists under these filters (COUNTS: `summary.subtree_counts`)."""
    total = 0
    for key, n in counts.items():
        if key.startswith("c|"):
            _, judged, row_state, row_level, lam_luot = key.split("|")
            if (row_state == state if state else judged == "1") and (not level or row_level == level):
                total += n if not flagged or lam_luot == "1" else 0
    return total


def funnel(row: FidelityScore) -> dict:
    """Members → attended → essays submitted → graded → quiz taken → quiz passed, for one row's subtree."""
    steps = [
        ("Đảng viên", row.members),
        ("Dự học", row.attended),
        ("Phải viết thu hoạch", row.writers),
        ("Đã nộp thu hoạch", row.submitted),
        ("Đã chấm", row.graded),
        ("Bài độc lập", row.independent),
        ("Làm bài kiểm tra", row.took),
        ("Đạt bài kiểm tra", row.passed),
    ]
    return {"labels": [label for label, _ in steps], "data": [value for _, value in steps]}
