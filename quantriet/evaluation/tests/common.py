"""Helpers of the evaluation's tests: a cell decided with its members, a unit's fidelity index."""

import datetime
from decimal import Decimal

from quantriet.analytics.models import FidelityScore
from quantriet.evaluation import services
from quantriet.evaluation.tests.test_rules import points_for
from quantriet.org.models import Member

DECIDED_ON = datetime.date(2026, 12, 20)


def fidelity_score(plan, org, index, lam_luot=False):
    return FidelityScore.objects.create(plan=plan, org=org, path=org.path, depth=org.depth, index=index,
                                        lam_luot=lam_luot)  # fmt: skip


def points_with_study(total, study, rules=None):
    """Points adding up to TOTAL with the study criterion at STUDY (the rest moved to performing duties)."""
    points = points_for(total) if rules is None else points_for(total, rules)
    points["nhiem_vu"] += points["hoc_tap"] - Decimal(study)
    points["hoc_tap"] = Decimal(study)
    return {key: str(value) for key, value in points.items()}


def decide_cell(secretary, cell, year, count, study):
    """The cell decided first, then COUNT of its members rated "tốt" (85) with study points STUDY."""
    unit = services.evaluation_start(secretary, year, org=cell)
    points = {k: str(v) for k, v in points_for("80", unit.criteria_set.rules()).items()}
    services.self_assess(secretary, unit, points, "Tập thể tự kiểm điểm.")
    services.submit(secretary, unit)
    unit.refresh_from_db()
    proposed = unit.study_proposal.get("points")
    reason = "" if proposed is None or Decimal(proposed) == Decimal(points["hoc_tap"]) else "Theo kết quả cả năm."
    services.review(secretary, unit, points=points, text="", tallies={"tot": 5}, study_reason=reason)
    services.decide(secretary, unit.deciding_org, [unit], number="20-QĐ/ĐU", decided_on=DECIDED_ON)
    members = list(Member.objects.filter(cell=cell).order_by("pk")[:count])
    assert len(members) == count, f"{cell.name} has {len(members)} members, the test needs {count}"
    rated = []
    for member in members:
        evaluation = services.evaluation_start(secretary, year, member=member)
        services.self_assess(secretary, evaluation, points_with_study("85", study), "Tự kiểm điểm.")
        services.submit(secretary, evaluation)
        services.review(secretary, evaluation, points=points_with_study("85", study), text="", tallies={"tot": 5},
                        study_reason="Chi bộ đánh giá theo thực tế.")  # fmt: skip
        rated.append(evaluation)
    services.decide(secretary, unit.deciding_org, rated, number="21-QĐ/ĐU", decided_on=DECIDED_ON)
    return rated
