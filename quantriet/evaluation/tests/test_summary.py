"""The summary of a year's evaluations up the tree: counts by band, the study criterion as the cells
gave it beside what the records proposed and the unit's fidelity index, and the units whose ratings
outrun how they studied — never a unit that studied well, nor one with too few members to tell; a
collective's study criterion is proposed from its fidelity index."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from quantriet.evaluation import services
from quantriet.evaluation.models import Evaluation
from quantriet.evaluation.selectors import evaluation_summary
from quantriet.evaluation.tests.common import decide_cell, fidelity_score
from quantriet.evaluation.tests.test_rules import points_for
from quantriet.org.models import Member

pytestmark = pytest.mark.django_db


def test_counts_by_band_the_study_points_and_the_fidelity_index_roll_up(users, where, plan):
    year = plan.published_at.year
    secretary, cell, commune = users["xa1.bithu"], where["cell"], where["commune"]
    decide_cell(secretary, cell, year, 5, "9")
    fidelity_score(plan, cell, 72)
    whole, *children = evaluation_summary(commune, year)
    [row] = [r for r in children if r.org == cell]
    assert row.bands == {"xuat_sac": 0, "tot": 5, "hoan_thanh": 0, "khong_hoan_thanh": 0} and row.evaluated == 5
    assert row.members == Member.objects.filter(cell=cell).count() and whole.members == Member.objects.filter(
        cell__path__startswith=commune.path).count()  # fmt: skip
    assert row.study_mean == pytest.approx(0.9) and row.study_bins == {"duoi_50": 0, "tu_50": 0, "tu_80": 5}
    assert row.own_band == "tot" and row.fidelity == pytest.approx(72) and row.stands_out == []
    assert whole.bands["tot"] == 5 and whole.study_rated == 5
    assert all(r.evaluated == 0 for r in children if r.org != cell)


def test_a_unit_that_skims_but_rates_its_members_high_stands_out_with_the_reason(users, where, plan):
    year = plan.published_at.year
    secretary, cell, sibling = users["xa1.bithu"], where["cell"], where["sibling"]
    rated = decide_cell(secretary, cell, year, 5, "10")
    fidelity_score(plan, cell, 35, lam_luot=True)
    [row] = [r for r in evaluation_summary(where["commune"], year) if r.org == cell]
    proposed = sum(e.study_proposed_share for e in Evaluation.objects.filter(pk__in=[e.pk for e in rated])) / 5
    assert row.study_mean == 1.0 and row.study_raise == pytest.approx(1.0 - proposed)
    assert any("làm lướt nhưng điểm học tập bình quân 100% điểm tối đa" in why for why in row.stands_out)
    # The same ratings in a unit that studied thoroughly say nothing.
    decide_cell(secretary, sibling, year, 5, "10")
    fidelity_score(plan, sibling, 88)
    [other] = [r for r in evaluation_summary(where["commune"], year) if r.org == sibling]
    assert other.study_mean == 1.0 and other.stands_out == []


def test_too_few_members_rated_or_no_index_flags_nothing(users, where, plan):
    year = plan.published_at.year
    secretary, cell, sibling = users["xa1.bithu"], where["cell"], where["sibling"]
    decide_cell(secretary, cell, year, 4, "10")
    fidelity_score(plan, cell, 20, lam_luot=True)
    decide_cell(secretary, sibling, year, 5, "10")  # not judged by any plan of the year
    rows = {r.org: r for r in evaluation_summary(where["commune"], year)}
    assert rows[cell].evaluated == 4 and rows[cell].stands_out == []
    assert rows[sibling].fidelity is None and rows[sibling].stands_out == []


def test_a_collectives_study_criterion_is_proposed_from_its_fidelity_index(users, where, plan):
    year = plan.published_at.year
    secretary, cell = users["xa1.bithu"], where["cell"]
    fidelity_score(plan, cell, 35, lam_luot=True)
    unit = services.evaluation_start(secretary, year, org=cell)
    proposal = unit.study_proposal
    assert Decimal(proposal["points"]) == Decimal("3.5")
    [part] = proposal["parts"]
    [source] = part["sources"]
    assert source["text"] == f"{plan.title}: chỉ số làm kỹ 35/100 (làm lướt)"
    assert source["url"].endswith(f"?org={cell.pk}") and f"/{plan.pk}/" in source["url"]
    points = {k: str(v) for k, v in points_for("80", unit.criteria_set.rules()).items()}
    services.self_assess(secretary, unit, points, "")
    services.submit(secretary, unit)
    with pytest.raises(ValidationError, match="hãy ghi lý do"):
        services.review(secretary, unit, points=points, text="", tallies={})


def test_a_collective_no_plan_judged_gets_no_proposal(users, where):
    unit = services.evaluation_start(users["xa1.bithu"], 2026, org=where["cell"])
    assert unit.study_proposal == {}


def test_evaluations_without_a_proposal_neither_lower_the_proposed_mean_nor_raise_a_flag(users, where, plan):
    """Last year's evaluations, made before the system proposed anything: no "đề xuất 0%"."""
    year = plan.published_at.year
    rated = decide_cell(users["xa1.bithu"], where["cell"], year, 5, "9")
    Evaluation.objects.filter(pk__in=[e.pk for e in rated[:3]]).update(study_proposed_share=None)
    fidelity_score(plan, where["cell"], 30, lam_luot=True)
    [row] = [r for r in evaluation_summary(where["commune"], year) if r.org == where["cell"]]
    shares = list(
        Evaluation.objects.filter(pk__in=[e.pk for e in rated[3:]]).values_list("study_proposed_share", flat=True)
    )
    assert row.study_proposed_n == 2 and row.study_proposed_mean == pytest.approx(sum(shares) / 2)
    assert row.study_raise == pytest.approx(0.9 - sum(shares) / 2)
    Evaluation.objects.filter(pk__in=[e.pk for e in rated]).update(study_proposed_share=None)
    [row] = [r for r in evaluation_summary(where["commune"], year) if r.org == where["cell"]]
    assert row.study_proposed_mean is None and row.study_raise is None
    assert all("cao hơn đề xuất" not in why for why in row.stands_out)
