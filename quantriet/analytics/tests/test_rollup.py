"""The rollup on a hand-made tree: each row's facts, components, index, decay and flags; incremental = full."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from quantriet.analytics import components as fc
from quantriet.analytics.changes import refresh_changed
from quantriet.analytics.models import FidelityConfig, FidelityRun, FidelityScore
from quantriet.analytics.rollup import refresh
from quantriet.study import services
from quantriet.study.models import (
    Attendance,
    AttendanceStatus,
    Conference,
    ConferenceStatus,
    Level,
    Obligation,
    PlanStatus,
)

from .common import A_LOCAL, add_org, build_tree, days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    tree = build_tree()
    refresh(tree.plan)
    return tree


def row(tree, org) -> FidelityScore:
    return FidelityScore.objects.get(plan=tree.plan, org=org)


def test_every_unit_of_the_tree_has_a_row_with_its_parent(tree):
    rows = {r.org_id: r for r in FidelityScore.objects.filter(plan=tree.plan)}
    assert set(rows) == {tree.t.pk, tree.c.pk, tree.a.pk, tree.b.pk}
    assert rows[tree.t.pk].parent_org_id is None
    assert rows[tree.c.pk].parent_org_id == tree.t.pk
    assert rows[tree.a.pk].parent_org_id == rows[tree.b.pk].parent_org_id == tree.c.pk


def test_a_thorough_cell(tree):
    a = row(tree, tree.a)
    assert (a.held_on, a.parent_held_on, a.deadline) == (days_ago(5), days_ago(12), days_ago(3))
    assert a.chaired_by_secretary and a.presented_by_secretary and not a.local_copied
    assert a.components["on_time"] == 1.0
    assert a.components["secretary"] == 1.0
    assert a.components["local"] == 1.0
    assert a.components["duration"] == pytest.approx(120 / 180)
    assert (a.members, a.expected, a.attended, a.unexcused) == (4, 4, 4, 0)
    assert a.components["attendance"] == 1.0 and a.components["unexcused"] == 1.0
    # No essays, quiz or action programme in this plan: those components drop out and the weights renormalise.
    assert {k for k, v in a.components.items() if v is None} == {
        "concreteness",
        "essays",
        "grade",
        "original",
        "quiz_mean",
        "quiz_pass",
    }
    assert a.index == pytest.approx(100 * (10 + 10 + 10 + 5 * 120 / 180 + 15 + 5) / 55, abs=0.05)


def test_a_skimming_cell_is_flagged_against_its_commune(tree):
    b, c = row(tree, tree.b), row(tree, tree.c)
    assert b.components["on_time"] == pytest.approx(1 - 2 / 30)  # two days late
    assert b.components["secretary"] == 0.0  # the deputy chaired and presented
    assert b.local_copied and b.components["local"] == 0.0  # the commune's section pasted in
    assert b.components["duration"] == pytest.approx(45 / 180)
    assert (b.attended, b.unexcused) == (2, 1)
    assert b.components["attendance"] == 0.5 and b.components["unexcused"] == 0.75
    expected = (10 * (1 - 2 / 30) + 5 * 0.25 + 15 * 0.5 + 5 * 0.75) / 55 * 100
    assert b.index == pytest.approx(expected, abs=0.05)
    assert b.parent_index == c.index
    assert b.decay == pytest.approx(c.index - b.index, abs=0.05)
    assert set(b.flags) == {"lam_luot", "tre_han", "khong_bi_thu", "chep_lien_he"}
    assert b.lam_luot and not row(tree, tree.a).lam_luot


def test_the_commune_adds_up_its_cells(tree):
    c = row(tree, tree.c)
    assert (c.members, c.expected, c.attended, c.unexcused) == (8, 8, 6, 1)
    assert c.components["attendance"] == 0.75
    assert c.components["duration"] == pytest.approx(180 / 240)
    top = row(tree, tree.t)
    assert (top.members, top.attended) == (8, 6)
    assert top.decay is None and top.parent_index is None


def test_weights_and_thresholds_come_from_the_plan_config(tree):
    FidelityConfig.objects.create(plan=tree.plan, weights={"attendance": 100}, margin=90, floor=0)
    refresh(tree.plan)
    b = row(tree, tree.b)
    weights = {**fc.DEFAULT_WEIGHTS, "attendance": 100}
    assert b.index == fc.composite(b.components, weights)
    assert "lam_luot" not in b.flags


def test_a_cell_covered_by_its_communes_conference_inherits_its_facts():
    tree = build_tree()
    extra = add_org(tree.c, "TT-C-D", "Chi bộ ấp Đông")
    Obligation.objects.create(
        plan=tree.plan,
        org=extra,
        level=Level.CELL,
        deadline=days_ago(3),
        conference=tree.conferences["c"],
        held_on=days_ago(12),
    )
    refresh(tree.plan)
    d, c = row(tree, extra), row(tree, tree.c)
    assert d.inherited and d.conference_id == tree.conferences["c"].pk
    assert {k: d.components[k] for k in fc.CONFERENCE_KEYS} == {k: c.components[k] for k in fc.CONFERENCE_KEYS}


def test_an_overdue_unit_scores_zero_on_time_and_is_flagged():
    tree = build_tree()
    extra = add_org(tree.c, "TT-C-E", "Chi bộ ấp Tây")
    Obligation.objects.create(plan=tree.plan, org=extra, level=Level.CELL, deadline=days_ago(3))
    refresh(tree.plan)
    e = row(tree, extra)
    assert e.components["on_time"] == 0.0 and e.components["secretary"] is None
    assert "qua_han" in e.flags


def _snapshot(plan):
    fields = ["state", "index", "decay", "parent_index", "flags", "components", *fc.COUNT_FIELDS]
    return {r.org_id: {f: getattr(r, f) for f in fields} for r in FidelityScore.objects.filter(plan=plan)}


def _age_the_changes(tree):
    """As if the tree had been built an hour before the last run."""
    hour_ago = timezone.now() - timedelta(hours=1)
    Attendance.objects.filter(conference__plan=tree.plan).update(updated_at=hour_ago)
    Conference.objects.filter(plan=tree.plan).update(updated_at=hour_ago)


def test_a_change_refreshes_the_cell_and_the_chain_above_and_equals_a_full_refresh(tree):
    _age_the_changes(tree)
    absent = tree.members["b"][2]
    before = row(tree, tree.b)
    services.attendance_mark(None, tree.conferences["b"], absent, AttendanceStatus.PRESENT)
    assert refresh_changed(tree.plan) == 1  # only cell B's subtree was rewritten
    b, c, top = row(tree, tree.b), row(tree, tree.c), row(tree, tree.t)
    assert (b.attended, b.unexcused) == (3, 0)
    assert (c.attended, top.attended) == (7, 7)
    assert b.index > before.index and b.refreshed_at > before.refreshed_at
    assert row(tree, tree.a).refreshed_at < b.refreshed_at  # A was not recomputed, only re-judged
    incremental = _snapshot(tree.plan)
    refresh(tree.plan)
    assert _snapshot(tree.plan) == incremental


def test_nothing_changed_nothing_rewritten_and_the_watermark_moves(tree):
    _age_the_changes(tree)
    run = FidelityRun.objects.get(plan=tree.plan)
    assert refresh_changed(tree.plan) == 0
    assert FidelityRun.objects.get(plan=tree.plan).checked_at > run.checked_at


def test_a_held_conference_refreshes_its_host_subtree(tree):
    _age_the_changes(tree)
    conference = tree.conferences["b"]
    conference.local_context = A_LOCAL.replace("An Hòa", "Bình Lợi")
    services.conference_save(None, conference, [tree.b], [tree.members["b"][1]], [])
    assert refresh_changed(tree.plan) == 1
    assert not row(tree, tree.b).local_copied


def test_a_closed_plan_is_recomputed_whole(tree):
    services.plan_close(None, tree.plan)
    tree.plan.refresh_from_db()
    assert refresh_changed(tree.plan) == 4
    assert FidelityRun.objects.get(plan=tree.plan).plan_status == PlanStatus.CLOSED


def test_refreshing_one_subtree_reads_a_bounded_number_of_queries(tree, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        refresh(tree.plan, under=tree.b)


def test_the_nightly_command_recomputes_every_running_plan(tree):
    FidelityScore.objects.filter(plan=tree.plan).delete()
    out = io.StringIO()
    call_command("refresh_fidelity", quiet=True, stdout=out)
    assert FidelityScore.objects.filter(plan=tree.plan).count() == 4
    assert "đã tính 4 tổ chức" in out.getvalue()


def test_the_command_refuses_an_unknown_plan(tree):
    with pytest.raises(CommandError, match="Không có kế hoạch đã ban hành mang mã số 999999"):
        call_command("refresh_fidelity", plan=999999, quiet=True)


# ---------------------------------------------------------------- not yet due, due, overdue


def _cell_with_weak_essays(tree, code, name, deadline):
    """A new cell under C with an obligation due on DEADLINE, not held, whose members' essays are copies.

    Its member figures so far (two essays judged copied) would give it an index of 0: below the
    floor and far below the commune, were it judged.
    """
    from quantriet.essays.models import Essay, EssaySource, EssayVerdict, VerdictLabel
    from quantriet.study.models import EssayAudience

    from .common import _members

    tree.plan.essay_audience = EssayAudience.ALL_MEMBERS
    tree.plan.save(update_fields=["essay_audience"])
    cell = add_org(tree.c, code, name)
    members = _members(cell, 91000500 + len(code))
    Obligation.objects.create(plan=tree.plan, org=cell, level=Level.CELL, deadline=deadline)
    for member in members[:2]:
        essay = Essay.objects.create(
            plan=tree.plan,
            member=member,
            cell=cell,
            text="Bài chép.",
            source=EssaySource.TYPED,
            submitted_at=timezone.now(),
        )
        EssayVerdict.objects.create(essay=essay, label=VerdictLabel.COPIES_RESOLUTION)
    return cell


@pytest.mark.parametrize("deadline_in", [1, 0], ids=["not-due", "due-today"])
def test_a_unit_not_yet_due_is_not_judged_but_its_figures_accrue(deadline_in):
    tree = build_tree()
    cell = _cell_with_weak_essays(tree, "TT-C-N", "Chi bộ ấp Mới", days_ago(-deadline_in))
    refresh(tree.plan)
    n = row(tree, cell)
    assert n.state == fc.NOT_DUE and n.not_due
    assert n.index is None and n.decay is None
    assert n.flags == [] and not n.lam_luot
    assert (n.members, n.checked, n.independent) == (4, 2, 0)  # the partial figures are kept
    assert n.components["original"] == 0.0
    assert row(tree, tree.c).checked == 2  # and counted above


def test_one_day_overdue_the_unit_is_judged_and_flagged():
    tree = build_tree()
    cell = _cell_with_weak_essays(tree, "TT-C-Q", "Chi bộ ấp Quá", days_ago(1))
    refresh(tree.plan)
    q = row(tree, cell)
    assert q.state == fc.OVERDUE
    assert q.components["on_time"] == 0.0 and q.index is not None
    assert q.decay == pytest.approx(row(tree, tree.c).index - q.index, abs=0.05)
    assert {"qua_han", "lam_luot"} <= set(q.flags) and q.lam_luot


def test_held_early_late_and_inherited_units_are_judged(tree):
    a, b = row(tree, tree.a), row(tree, tree.b)
    assert a.state == b.state == fc.HELD  # A before its deadline, B two days late
    assert a.index is not None and b.index is not None and b.lam_luot
    extra = add_org(tree.c, "TT-C-S", "Chi bộ ấp Sớm")
    conference = Conference.objects.create(
        plan=tree.plan,
        host=extra,
        title="Hội nghị sớm",
        starts_at=timezone.now() - timedelta(days=30),  # before the commune (12 days ago)
        duration_minutes=90,
        location="Nhà văn hóa",
        status=ConferenceStatus.HELD,
    )
    Obligation.objects.create(
        plan=tree.plan, org=extra, level=Level.CELL, deadline=days_ago(-5), conference=conference, held_on=days_ago(30)
    )
    inherited = add_org(tree.c, "TT-C-I", "Chi bộ ấp Chung")
    Obligation.objects.create(
        plan=tree.plan,
        org=inherited,
        level=Level.CELL,
        deadline=days_ago(-5),  # not yet due by date, but it studied at the commune's conference
        conference=tree.conferences["c"],
        held_on=days_ago(12),
    )
    refresh(tree.plan)
    early, shared = row(tree, extra), row(tree, inherited)
    assert early.state == fc.HELD and early.index is not None
    assert "truoc_cap_tren" in early.flags and early.components["on_time"] == 0.5
    assert shared.state == fc.HELD and shared.inherited and shared.index is not None


def test_the_follower_rejudges_a_unit_once_its_deadline_has_passed(tree):
    """No data changes: only the date moves past the deadline (simulated by moving the deadline back)."""
    cell = _cell_with_weak_essays(tree, "TT-C-H", "Chi bộ ấp Hậu", days_ago(0))
    refresh(tree.plan)
    assert row(tree, cell).state == fc.NOT_DUE
    from quantriet.essays.models import Essay, EssayVerdict

    # Every record dates from two days ago, the last run from yesterday, the deadline was
    # yesterday: nothing changed since the run but the date.
    long_ago = timezone.now() - timedelta(days=2)
    Attendance.objects.filter(conference__plan=tree.plan).update(updated_at=long_ago)
    Conference.objects.filter(plan=tree.plan).update(updated_at=long_ago)
    Essay.objects.filter(plan=tree.plan).update(submitted_at=long_ago)
    EssayVerdict.objects.filter(essay__plan=tree.plan).update(computed_at=long_ago)
    FidelityRun.objects.filter(plan=tree.plan).update(checked_at=timezone.now() - timedelta(days=1))
    # Moving the deadline back a day moves it in the rows computed with it too, as time would.
    Obligation.objects.filter(plan=tree.plan, org=cell).update(deadline=days_ago(1))
    FidelityScore.objects.filter(plan=tree.plan, org=cell).update(deadline=days_ago(1))
    assert refresh_changed(tree.plan) >= 1
    h = row(tree, cell)
    assert h.state == fc.OVERDUE and h.lam_luot and "qua_han" in h.flags
    incremental = _snapshot(tree.plan)
    refresh(tree.plan)
    assert _snapshot(tree.plan) == incremental


def test_the_follower_recomputes_the_plan_once_the_essay_deadline_has_passed(tree):
    long_ago = timezone.now() - timedelta(days=2)
    Attendance.objects.filter(conference__plan=tree.plan).update(updated_at=long_ago)
    Conference.objects.filter(plan=tree.plan).update(updated_at=long_ago)
    FidelityRun.objects.filter(plan=tree.plan).update(checked_at=timezone.now() - timedelta(days=1))
    tree.plan.essay_deadline = days_ago(1)
    tree.plan.save(update_fields=["essay_deadline"])
    assert refresh_changed(tree.plan) == 4  # the whole tree: the submission rate now counts
