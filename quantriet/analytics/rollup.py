"""Refresh the fidelity rows of a plan: the whole tree, or what changed and the chain above it.

`refresh(plan)` recomputes every row (the background task and `seed_demo` call it);
`refresh_parts(plan, subtrees, orgs)` recomputes the SUBTREES from the raw data and recounts the
ORGS (cells whose members' figures changed) from their stored facts, then re-adds every row above
them from its children's figures and re-judges the children whose parent's index moved — what a
burst of check-ins across the country needs (`refresh(plan, under=org)` is one subtree). Figures
come from a few GROUP BY queries per refresh, never one query per organisation; the apps that own
the facts run them (their `selectors.py`).
"""

import threading
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from quantriet.core.bulk import chunks, insert_rows, update_rows
from quantriet.essays import selectors as essays
from quantriet.org import selectors as org_selectors
from quantriet.org.models import Organization
from quantriet.org.tree import ancestor_paths, ancestors_of, parent_path
from quantriet.originality.compare import reference_shares
from quantriet.plans import selectors as plans
from quantriet.quizzes import selectors as quizzes
from quantriet.study import selectors as study
from quantriet.study.models import LEVEL_OF_KIND, PlanStatus, StudyPlan

from . import components as fc
from . import summary
from .models import FidelityRun, FidelityScore, plan_settings


@dataclass
class Node:
    org_id: int
    path: str
    depth: int
    kind: str
    parent_org_id: int | None = None
    obligation: dict | None = None
    facts: fc.ConferenceFacts | None = None
    conference_id: int | None = None
    inherited: bool = False
    own: fc.Counts = field(default_factory=fc.Counts)
    total: fc.Counts = field(default_factory=fc.Counts)
    components: dict = field(default_factory=dict)
    programme_flags: list = field(default_factory=list)
    index: float | None = None


def _no_progress(_done: int, _total: int) -> None:
    pass


def refresh(plan: StudyPlan, under: Organization | None = None, progress: Callable = _no_progress) -> int:
    """Recompute PLAN's rows under UNDER (the whole tree by default); returns the rows written.

    A whole-tree refresh also sets the plan's watermark (`FidelityRun`) to when it started:
    everything committed before is in the rows. Two refreshes may overlap; the later writer wins
    and the watermark is the earlier start, so the next incremental run re-reads what a stale
    writer may have missed.
    """
    issuer = plan.issuer
    if under is not None and under.pk != issuer.pk:
        return refresh_parts(plan, subtrees=[under])
    if plan.status == PlanStatus.DRAFT:
        return 0
    started = timezone.now()
    today = timezone.localdate()
    settings = plan_settings(plan, today)
    rows = compute(plan, issuer, settings, today, progress, started)  # outside: the job page shows progress
    with transaction.atomic():
        _lock(plan)
        FidelityScore.objects.filter(plan=plan).delete()
        _insert(rows)
        summary.write_all(plan, issuer.path, rows)
        progress(4, 5)
        FidelityRun.objects.update_or_create(plan=plan, defaults={"checked_at": started, "plan_status": plan.status})
    progress(5, 5)
    return len(rows)


def refresh_parts(plan: StudyPlan, subtrees=(), orgs=()) -> int:
    """Recompute PLAN's rows of the SUBTREES (organisations whose conference or action programme
    changed: every row below them from the raw data), and of ORGS (ids of organisations whose
    members' figures changed, or whose deadline passed: from their stored facts, their own members
    counted again and their children's rows), then every row above them; returns how many rows
    were recomputed (the rows above them are re-added, not counted).

    Many changed cells cost a few queries in all, not a few per cell: what the follower needs
    after a burst of check-ins across the country.
    """
    issuer = plan.issuer
    subtrees = [org for org in subtrees if org.path.startswith(issuer.path)]
    if plan.status == PlanStatus.DRAFT or not (subtrees or orgs):
        return 0
    started = timezone.now()
    today = timezone.localdate()
    settings = plan_settings(plan, today)
    computed = [row for root in subtrees for row in compute(plan, root, settings, today, started=started)]
    with transaction.atomic():
        _lock(plan)
        before = {}
        for root in subtrees:
            old = FidelityScore.objects.filter(plan=plan, path__startswith=root.path)
            before.update((path, found) for path, *found in old.values_list("path", *summary.FIELDS))
            old.delete()
        _insert(computed)
        after = {row.path: summary.values(row) for row in computed}
        changes = [(path, before.get(path), after.get(path)) for path in before.keys() | after.keys()]
        roots = [root.path for root in subtrees]
        recounted, recount_changes = _recount(plan, set(orgs), roots, settings, today, started)
        summary.apply(plan, changes + recount_changes)
    return len(computed) + recounted


def _lock(plan: StudyPlan) -> None:
    """One writer per plan at a time (until the end of the transaction)."""
    StudyPlan.objects.select_for_update().filter(pk=plan.pk).first()


#: The fields of a row as `_insert` writes them (all but the id), by attribute name.
_ROW_NAMES = tuple(f.name for f in FidelityScore._meta.concrete_fields if not f.primary_key)


def _insert(rows: list[FidelityScore]) -> None:
    attributes = [FidelityScore._meta.get_field(name).attname for name in _ROW_NAMES]
    insert_rows(FidelityScore, _ROW_NAMES, [tuple(getattr(row, name) for name in attributes) for row in rows])


def compute(plan: StudyPlan, root: Organization, settings, today, progress=_no_progress, started=None) -> list:
    """The rows of ROOT's subtree computed from the raw data (unsaved): what `refresh` writes."""
    started = started or timezone.now()
    nodes = _nodes(plan, plan.issuer, root)
    progress(1, 5)
    # The issuer's subtree holds every cell of its plan: no need to match each cell's path.
    cells = {} if root.pk == plan.issuer_id else {"path__startswith": root.path}
    counted = _meanwhile(_count_members, plan, cells)  # the database counts while the facts are judged
    _conference_facts(plan, nodes, root)
    progress(2, 5)
    _add_member_counts(nodes, counted.result(), today)
    programmes = plans.concreteness_under(plan, root.path)
    progress(3, 5)
    for node in sorted(nodes.values(), key=lambda n: -n.depth):
        parent = nodes.get(node.parent_org_id)
        if parent is not None:
            parent.total.add(node.total)
        node.components = {
            **fc.conference_components(node.facts, today),
            **fc.member_components(node.total, settings.essays_due),
            "concreteness": fc.concreteness(programmes.get(node.org_id)),
        }
        node.programme_flags = programmes.get(node.org_id, {}).get("flags", [])
        node.index = fc.judged_index(node.components, settings.weights, node.facts, today)
    parent_index = _parent_index(plan, root)
    return [_row(plan, node, nodes, parent_index, settings, today, started) for node in _top_down(nodes)]


# ---------------------------------------------------------------- the tree


def _nodes(plan, issuer, root) -> dict[int, Node]:
    """The organisations with an obligation under ROOT, with their ancestors up to ROOT."""
    obligations = {o["org_id"]: o for o in study.obligations_under(plan, root.path)}
    paths = {o["org__path"] for o in obligations.values()}
    wanted = set(ancestor_paths(paths, top=root.path))
    nodes = {}
    by_path = {}
    for org_id, path, depth, kind in org_selectors.org_nodes(wanted, within=root):
        nodes[org_id] = by_path[path] = Node(org_id, path, depth, kind, obligation=obligations.get(org_id))
    for node in nodes.values():
        parent = by_path.get(parent_path(node.path))
        node.parent_org_id = parent.org_id if parent else _parent_id(root, issuer, node)
    return nodes


def _parent_id(root, issuer, node) -> int | None:
    if node.path == root.path and root.pk != issuer.pk:
        return org_selectors.org_id_at(parent_path(root.path))
    return None


def _top_down(nodes: dict[int, Node]) -> list[Node]:
    return sorted(nodes.values(), key=lambda n: (n.depth, n.path))


# ---------------------------------------------------------------- conference facts


@dataclass
class _Held:
    host_id: int
    held_on: date
    chaired: bool
    presented: bool
    local_text: str
    duration: int


def _conference_facts(plan, nodes: dict[int, Node], root) -> None:
    """Facts of the conference that fulfilled each obligation, judged against the parent's."""
    above = parent_path(root.path) if root.depth > plan.issuer.depth else None
    held = _held_conferences(plan, study.obligation_conferences(plan, under=root.path, at=above))
    parent_conference = study.obligation_conference_at(plan, above) if above else None
    sections = []  # (facts, its local section, the section above) to compare, all at once below
    inherited = []
    for node in _top_down(nodes):
        parent = nodes.get(node.parent_org_id)
        above = parent.conference_id if parent else parent_conference
        if node.obligation is None:
            node.conference_id = above
            continue
        node.conference_id = node.obligation["conference_id"]
        if node.conference_id is not None and node.conference_id == above and parent and parent.facts:
            node.inherited = True
            node.facts = fc.ConferenceFacts(**{**parent.facts.__dict__, "deadline": node.obligation["deadline"]})
            inherited.append(node)
            continue
        node.facts = _facts(node.obligation, held.get(node.conference_id), held.get(above), sections)
    _judge_copies(sections)
    for node in inherited:  # top-down: a parent's verdict is set before its children copy it
        node.facts.local_copied = nodes[node.parent_org_id].facts.local_copied


def _facts(obligation: dict, own: _Held | None, above: _Held | None, sections: list) -> fc.ConferenceFacts:
    """The facts of OBLIGATION's conference OWN against the one ABOVE; whether its local section was
    copied from the one above is judged later, with every other (`sections`)."""
    facts = fc.ConferenceFacts(deadline=obligation["deadline"], held_on=obligation["held_on"])
    if own is None:
        return facts
    facts.chaired_by_secretary = own.chaired
    facts.presented_by_secretary = own.presented
    facts.local_words = len(own.local_text.split())
    facts.duration = own.duration
    if above is not None:
        facts.parent_held_on = above.held_on
        facts.parent_duration = above.duration
        if own.local_text.strip() and above.local_text.strip():
            sections.append((facts, own.local_text, above.local_text))
    return facts


def _judge_copies(sections: list) -> None:
    """Mark each local section of SECTIONS that mostly repeats the section above it (in one batch)."""
    shares = reference_shares([(text, above) for _, text, above in sections])
    for (facts, _, _), share in zip(sections, shares, strict=True):
        facts.local_copied = share >= fc.LOCAL_COPY_THRESHOLD


def _held_conferences(plan, ids) -> dict[int, _Held]:
    conferences = study.held_conferences(plan, ids)
    presenters = study.conference_presenters(plan, [c[0] for c in conferences])
    secretaries = org_selectors.secretary_terms({c[1] for c in conferences}, within=plan.issuer)
    held = {}
    here = timezone.get_current_timezone()  # once: `localtime` looks it up again for each of 255,000
    for conference_id, host_id, chair_id, starts_at, minutes, local_text in conferences:
        day = starts_at.astimezone(here).date()
        secretary = _holder(secretaries.get(host_id, []), day)
        held[conference_id] = _Held(
            host_id=host_id,
            held_on=day,
            chaired=secretary is not None and chair_id == secretary,
            presented=secretary is not None and secretary in presenters[conference_id],
            local_text=local_text,
            duration=minutes,
        )
    return held


def _holder(terms: list, day: date) -> int | None:
    for start, end, member_id in terms:
        if start <= day and (end is None or end >= day):
            return member_id
    return None


# ---------------------------------------------------------------- member figures


def _member_counts(plan, nodes: dict[int, Node], cells: dict, today: date) -> None:
    """Each node's own member figures (members whose cell it is), added into its total.

    CELLS narrows the cells, as lookups on Organization (``{"path__startswith": p}``).
    """
    _add_member_counts(nodes, _count_members(plan, cells), today)


def _count_members(plan, cells: dict) -> dict[int, fc.Counts]:
    """The figures of the members PLAN concerns, per cell matching CELLS (the queries, nothing else)."""
    own = defaultdict(fc.Counts)

    def put(rows, **names):
        for row in rows:
            counts = own[row["unit"]]
            for attribute, key in names.items():
                setattr(counts, attribute, getattr(counts, attribute) + (row[key] or 0))

    put(study.members_by_cell(plan, cells), members="n")
    put(study.attended_by_cell(plan, cells), attended="n")
    put(study.absent_by_cell(plan, cells), unexcused="n")
    _essay_counts(plan, cells, put)
    _quiz_counts(plan, cells, put)
    return own


def _add_member_counts(nodes: dict[int, Node], own: dict[int, fc.Counts], today: date) -> None:
    for cell_id, counts in own.items():
        node = nodes.get(cell_id)
        if node is None:
            continue
        if _due(node, today):
            counts.expected = counts.members
        else:  # cadres of a unit not yet due may have studied above; the unit is judged when due
            counts.attended = counts.unexcused = 0
        node.own = counts
        node.total.add(counts)


def _meanwhile(work: Callable, *args) -> Future:
    """WORK(*ARGS) in a thread of its own, with its own database connection: PostgreSQL then runs
    its queries on one core while this thread computes on the other. Run at once on SQLite, or in
    a transaction (another connection would not see its uncommitted rows)."""
    future = Future()
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        future.set_result(work(*args))
        return future

    def run():
        try:
            future.set_result(work(*args))
        except BaseException as error:  # handed to the caller, who raises it
            future.set_exception(error)
        finally:
            connection.close()  # this thread's

    threading.Thread(target=run, daemon=True).start()
    return future


def _due(node: Node, today: date) -> bool:
    return fc.state(node.facts, today) in (fc.HELD, fc.OVERDUE)


def _essay_counts(plan, cells: dict, put) -> None:
    if not plan.essay_audience:
        return
    writers = study.essay_writers_in(plan, cells)
    put(study.essay_writers_by_cell(plan, cells), writers="n")
    put(essays.essays_by_cell(plan, writers), submitted="n")
    put(essays.grades_by_cell(plan, writers), graded="n", grade_pct_sum="percent_sum")
    put(essays.verdicts_by_cell(plan, writers), checked="n", independent="original")


def _quiz_counts(plan, cells: dict, put) -> None:
    quiz = quizzes.required_quiz(plan)
    if quiz is None:
        return
    put(study.members_by_cell(plan, cells), takers="n")
    rows = quizzes.quiz_results_by_cell(quiz, study.members_concerned(plan, cells))
    put(rows, took="n", quiz_pct_sum="score_sum", passed="passes")


# ---------------------------------------------------------------- rows


def _parent_index(plan, root) -> float | None:
    if root.pk == plan.issuer_id:
        return None
    return FidelityScore.objects.filter(plan=plan, path=parent_path(root.path)).values_list("index", flat=True).first()


def _row(plan, node: Node, nodes, root_parent_index, settings, today, started) -> FidelityScore:
    parent = nodes.get(node.parent_org_id)
    parent_index = parent.index if parent else root_parent_index
    facts = node.facts or fc.ConferenceFacts()
    values = {
        "plan_id": plan.pk,
        "org_id": node.org_id,
        "parent_org_id": node.parent_org_id,
        "path": node.path,
        "depth": node.depth,
        "level": LEVEL_OF_KIND.get(node.kind, ""),
        "head_id": node.obligation["head_id"] if node.obligation else None,
        "conference_id": node.conference_id if node.facts and node.facts.held_on else None,
        "inherited": node.inherited,
        "components": node.components,
        "programme_flags": node.programme_flags,
        "index": node.index,
        "refreshed_at": started,
        **facts.__dict__,
        **node.total.__dict__,
    }
    # Positional, as Django builds rows read from the database: keyword arguments and the
    # foreign-key descriptors cost 40 µs a row, 10 seconds over a country.
    row = FidelityScore(*(values.get(name, default) for name, default in _ROW_DEFAULTS))
    _judge(row, parent_index, settings, today)
    return row


#: Every column of a row (attribute name) with the value it takes unless `_row` sets it.
_ROW_DEFAULTS = [(f.attname, f.get_default()) for f in FidelityScore._meta.concrete_fields]
_FACT_FIELDS = tuple(fc.ConferenceFacts.__dataclass_fields__)


def row_facts(row: FidelityScore) -> fc.ConferenceFacts | None:
    if row.deadline is None and row.held_on is None:
        return None
    return fc.ConferenceFacts(**{name: getattr(row, name) for name in _FACT_FIELDS})


#: The fields `_judge` sets (what re-judging a row rewrites).
JUDGED_FIELDS = ["state", "parent_index", "decay", "flags", "lam_luot"]


def _judge(row: FidelityScore, parent_index, settings, today) -> None:
    facts = row_facts(row)
    row.state = fc.state(facts, today)
    row.parent_index = parent_index
    row.decay = fc.decay(row.index, parent_index)
    row.flags = fc.flags(row.index, parent_index, facts, row.components, settings, today, row.programme_flags)
    row.lam_luot = "lam_luot" in row.flags


#: Ids per query when reading the rows of many organisations.
CHUNK = 2000
#: Ids per query when counting the members of many cells: each query reads the plan's attendance
#: once, whatever the number of cells (a burst of check-ins across the country: 10,000 cells).
MEMBER_CHUNK = 20_000


def _recount(plan, orgs: set[int], roots: list[str], settings, today, started) -> tuple[int, list]:
    """Recompute the rows of ORGS and of every organisation above them or above the paths ROOTS
    (subtrees just rewritten), bottom-up: each one's own members counted again, its children's
    figures added, its components and index from its stored facts; then judge each of them again
    against its parent, and every other child of a row whose index moved. Returns how many of
    ORGS had rows, and the changes (path, values before, values after) for the summaries."""
    rows = _rows_and_above(plan, orgs, roots)
    by_id = {row.org_id: row for row in rows}
    before = {row.org_id: _saved(row) for row in rows}
    figures = _children_figures(plan, by_id)
    own = _own_counts(plan, rows, orgs, today)
    for row in sorted(rows, key=lambda r: -r.depth):  # children first
        total = own[row.org_id]
        for counts in figures[row.org_id]:
            total.add(counts)
        _recompute(row, total, settings, today)
        figures[row.parent_org_id].append(total)
        if row.org_id in orgs:
            row.refreshed_at = started
    for row in rows:
        parent = by_id.get(row.parent_org_id)
        _judge(row, parent.index if parent else row.parent_index, settings, today)
    changed = [row for row in rows if _saved(row) != before[row.org_id]]
    update_rows(FidelityScore, _RECOUNTED, changed)
    changes = [(row.path, before[row.org_id][0], summary.values(row)) for row in changed]
    moved = [row for row in changed if row.index != before[row.org_id][1]]
    changes += _judge_children(plan, moved, by_id, settings, today)
    return sum(1 for org_id in orgs if org_id in by_id), changes


def _rows_and_above(plan, orgs: set[int], roots: list[str]) -> list[FidelityScore]:
    """The rows of ORGS, and of every organisation above them or above the paths ROOTS (up to the issuer)."""
    rows = []
    for chunk in chunks(orgs, CHUNK):
        rows += FidelityScore.objects.filter(plan=plan, org_id__in=chunk)
    top = plan.issuer.path
    above = {path for row in rows for path in ancestors_of(row.path, top=top)}
    above.update(path for root in roots for path in ancestors_of(root, top=top))
    above -= {row.path for row in rows}
    for chunk in chunks(above, CHUNK):
        rows += FidelityScore.objects.filter(plan=plan, path__in=chunk)
    return rows


def _children_figures(plan, by_id: dict[int, FidelityScore]) -> defaultdict:
    """{row's org id: [the member figures of each of its children's rows]}, for the rows BY_ID, but
    for the children among them (they are recomputed)."""
    figures = defaultdict(list)
    for chunk in chunks(by_id, CHUNK):
        children = FidelityScore.objects.filter(plan=plan, parent_org_id__in=chunk)
        for org_id, parent_id, *counts in children.values_list("org_id", "parent_org_id", *fc.COUNT_FIELDS):
            if org_id not in by_id:
                figures[parent_id].append(fc.Counts(*counts))
    return figures


def _recompute(row: FidelityScore, total: fc.Counts, settings, today) -> None:
    """ROW's member figures set to TOTAL, and its components and index from them and its stored facts."""
    for name in fc.COUNT_FIELDS:
        setattr(row, name, getattr(total, name))
    facts = row_facts(row)
    row.components = {
        **fc.conference_components(facts, today),
        **fc.member_components(total, settings.essays_due),
        "concreteness": row.components.get("concreteness"),
    }
    row.index = fc.judged_index(row.components, settings.weights, facts, today)


def _judge_children(plan, parents: list[FidelityScore], recomputed: dict, settings, today) -> list:
    """Judge again the children of PARENTS (rows whose index moved) that are not among RECOMPUTED
    (judged already); write those whose judgement changed and return their changes for the summaries."""
    index = {row.org_id: row.index for row in parents}
    changed, changes = [], []
    for chunk in chunks(index, CHUNK):
        for child in FidelityScore.objects.filter(plan=plan, parent_org_id__in=chunk):
            if child.org_id in recomputed:
                continue
            before = (summary.values(child), _judged(child))
            _judge(child, index[child.parent_org_id], settings, today)
            if _judged(child) != before[1]:
                changed.append(child)
                changes.append((child.path, before[0], summary.values(child)))
    update_rows(FidelityScore, JUDGED_FIELDS, changed)
    return changes


#: What `_recount` may change in a row.
_RECOUNTED = [*fc.COUNT_FIELDS, "components", "index", "refreshed_at", *JUDGED_FIELDS]


def _saved(row: FidelityScore) -> tuple:
    """ROW's summary values, its index and every value `_recount` may change (to tell what to write)."""
    return summary.values(row), row.index, *(getattr(row, name) for name in _RECOUNTED)


def _judged(row: FidelityScore) -> tuple:
    return tuple(getattr(row, name) for name in JUDGED_FIELDS)


def _own_counts(plan, rows: list[FidelityScore], counted: set[int], today: date) -> dict[int, fc.Counts]:
    """Figures of the members whose cell is each row's organisation itself: counted for the ids COUNTED
    and for the other rows' organisations that hold members at all (most above a cell hold none)."""
    nodes = {row.org_id: Node(row.org_id, row.path, row.depth, "", facts=row_facts(row)) for row in rows}
    holding = set(counted) | org_selectors.orgs_holding_members([org_id for org_id in nodes if org_id not in counted])
    for chunk in chunks(holding & nodes.keys(), MEMBER_CHUNK):
        _member_counts(plan, nodes, {"pk__in": chunk}, today)
    return {org_id: node.own for org_id, node in nodes.items()}
