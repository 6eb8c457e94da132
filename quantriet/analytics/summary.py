"""Counts over the fidelity rows of a subtree: what the dashboard's charts and the page count of
its weakest-units table need, without aggregating the rows on every page.

Each row adds a few keys to the counts of every subtree it lies in (`row_keys`): its colour band
at its level (the distribution chart), its conference day and its deadline at its level (the
timeline), and whether it is judged, its state, level and flag (how many units the table lists
under each filter). Counts add up, so a refresh keeps a stored copy (`FidelitySummary`) for the
subtrees of at least STORED_FROM rows — the country, a province, a big commune — by taking away
what a rewritten row was and adding what it is (`apply`); a smaller subtree is counted from its
rows when a page asks (one index range scan over a few hundred rows at most).
"""

from collections import Counter, defaultdict

from quantriet.org.tree import ancestors_of

from .dashboard import BANDS
from .models import FidelityScore, FidelitySummary

#: Subtrees with at least this many rows keep stored counts.
STORED_FROM = 500
#: The fields of a row that its keys depend on, in `row_keys`' order.
FIELDS = ("level", "held_on", "deadline", "index", "state", "lam_luot")


def band_number(index: float) -> int:
    """The position in BANDS of the colour band INDEX falls in."""
    return next(number for number, (floor, _, _) in enumerate(BANDS) if index >= floor)


def row_keys(level, held_on, deadline, index, state, lam_luot) -> tuple[str, ...]:
    """The keys one row adds to the counts of each subtree it lies in."""
    keys = [f"c|{int(index is not None)}|{state}|{level}|{int(lam_luot)}"]
    if index is not None:
        keys.append(f"b|{level}|{band_number(index)}")
    if level:
        keys += [f"t|{level}|{held_on or ''}", f"d|{level}|{deadline or ''}"]
    return tuple(keys)


def values(row: FidelityScore) -> tuple:
    return tuple(getattr(row, name) for name in FIELDS)


def subtree_counts(plan, org) -> Counter:
    """The counts of ORG's subtree under PLAN: stored, or counted from its rows."""
    stored = FidelitySummary.objects.filter(plan=plan, org=org).values_list("counts", flat=True).first()
    if stored is not None:
        return Counter(stored)
    rows = FidelityScore.objects.filter(plan=plan, path__startswith=org.path).values_list(*FIELDS)
    return Counter(key for row in rows for key in row_keys(*row))


def _self_and_above(path: str, top: str) -> list[str]:
    return [*ancestors_of(path, top=top), path]


def write_all(plan, top: str, rows: list[FidelityScore]) -> None:
    """Store the counts of every subtree of at least STORED_FROM of ROWS (all of PLAN's rows under path TOP)."""
    sizes = Counter(path for row in rows for path in _self_and_above(row.path, top))
    stored = {path for path, size in sizes.items() if size >= STORED_FROM}
    counts = defaultdict(Counter)
    for row in rows:
        keys = row_keys(*values(row))
        for path in _self_and_above(row.path, top):
            if path in stored:
                counts[path].update(keys)
    orgs = {row.path: row.org_id for row in rows if row.path in stored}
    FidelitySummary.objects.filter(plan=plan, path__startswith=top).delete()
    FidelitySummary.objects.bulk_create(
        FidelitySummary(plan=plan, org_id=orgs[path], path=path, counts=dict(found)) for path, found in counts.items()
    )


def apply(plan, changes) -> None:
    """Bring the stored counts of PLAN up to date with CHANGES: (path, values before or None, values
    after or None) of each row rewritten, added or removed. Call under the plan's refresh lock."""
    stored = dict(FidelitySummary.objects.filter(plan=plan).values_list("path", "id"))
    if not stored:
        return
    delta = defaultdict(Counter)
    for path, before, after in changes:
        taken, added = row_keys(*before) if before else (), row_keys(*after) if after else ()
        if taken == added:
            continue
        for above in _self_and_above(path, ""):
            if above in stored:
                delta[above].subtract(taken)
                delta[above].update(added)
    summaries = list(FidelitySummary.objects.filter(pk__in=[stored[path] for path in delta]))
    for summary in summaries:
        counts = Counter(summary.counts)
        counts.update(delta[summary.path])
        summary.counts = {key: n for key, n in counts.items() if n}
    FidelitySummary.objects.bulk_update(summaries, ["counts"])
