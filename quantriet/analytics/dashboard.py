"""What the dashboard shows, read from the fidelity rows with a few aggregate queries each.

Every function takes the rows of one plan under one organisation (`subtree_rows`), so the same
figures feed the page, the .xlsx export and the official report.
"""

from collections import defaultdict

from django.db.models import Count, Max, Q, QuerySet

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


def distribution(rows: QuerySet) -> dict:
    """Per level, how many units fall in each colour band: one query."""
    counts = {
        f"b{i}": Count("id", filter=Q(index__gte=low) & Q(index__lt=high))
        for i, (low, high) in enumerate(_band_ranges())
    }
    by_level = {row["level"]: row for row in rows.filter(index__isnull=False).values("level").annotate(**counts)}
    levels = [level for level in Level if level.value in by_level]
    return {
        "labels": [SHORT_LEVELS[level] for level in levels],
        "titles": [level.label for level in levels],
        "datasets": [
            {"label": label, "style": style, "data": [by_level[level.value][f"b{i}"] for level in levels]}
            for i, (_, style, label) in enumerate(BANDS)
        ],
    }


def _band_ranges():
    highs = [1000, *(floor for floor, _, _ in BANDS[:-1])]
    return [(floor, high) for (floor, _, _), high in zip(BANDS, highs, strict=True)]


def timeline(rows: QuerySet) -> dict:
    """Per level, the cumulative share of units that had held their conference by each date, and the deadline."""
    held = defaultdict(dict)
    totals, deadlines = {}, {}
    for row in rows.exclude(level="").values("level", "held_on").annotate(n=Count("id")):
        totals[row["level"]] = totals.get(row["level"], 0) + row["n"]
        if row["held_on"]:
            held[row["level"]][row["held_on"]] = row["n"]
    for row in rows.exclude(level="").values("level").annotate(deadline=Max("deadline")):
        deadlines[row["level"]] = row["deadline"]
    days = sorted({day for by_day in held.values() for day in by_day} | {d for d in deadlines.values() if d})
    series = []
    for level in Level:
        if level.value not in totals:
            continue
        done, points = 0, []
        for day in days:
            done += held[level.value].get(day, 0)
            points.append(round(100 * done / totals[level.value], 1))
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
