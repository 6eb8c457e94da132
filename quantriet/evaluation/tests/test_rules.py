"""The rules of a criteria set at every band edge, for every extra condition, the quota and the
heads' rule (the default member set: 100 points; 90 / 70 / 50)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from quantriet.evaluation.rules import (
    DEFAULT_MEMBER_RULES as RULES,
)
from quantriet.evaluation.rules import (
    HOAN_THANH,
    KHONG_HOAN_THANH,
    TOT,
    XUAT_SAC,
    Facts,
    check_excellent_quota,
    check_head,
    excellent_allowed,
    grade,
)

FLOORS = {c.key: c.floor for c in RULES.criteria.values()}


def points_for(total: str, rules=RULES) -> dict[str, Decimal]:
    """Points of RULES' criteria adding up to TOTAL: every criterion at its floor, then what is left
    given to those with the most room above their floor first (below the floors' sum, the largest
    criterion gives way)."""
    criteria = list(rules.criteria.values())
    points = {c.key: c.floor or Decimal(0) for c in criteria}
    left = Decimal(total) - sum(points.values())
    largest = max(criteria, key=lambda c: c.max_points)
    if left < 0:
        points[largest.key] += left
        return points
    for criterion in sorted(criteria, key=lambda c: -(c.max_points - points[c.key])):
        given = min(criterion.max_points - points[criterion.key], left)
        points[criterion.key] += given
        left -= given
    return points


@pytest.mark.parametrize(
    ("total", "band"),
    [
        ("100", XUAT_SAC), ("90", XUAT_SAC), ("89.75", TOT), ("70", TOT), ("69.75", HOAN_THANH),
        ("50", HOAN_THANH), ("49.75", KHONG_HOAN_THANH), ("30", KHONG_HOAN_THANH),
    ],
)  # fmt: skip
def test_every_band_edge(total, band):
    found = grade(RULES, Facts(points_for(total)))
    assert (found.total, found.band, found.refused) == (Decimal(total), band, ())


def test_a_discipline_in_the_period_bars_excellence_only():
    found = grade(RULES, Facts(points_for("95"), disciplined=True))
    assert found.band == TOT
    assert found.refused == ("Chưa đủ điều kiện “Hoàn thành xuất sắc nhiệm vụ”: bị kỷ luật trong kỳ.",)
    assert grade(RULES, Facts(points_for("80"), disciplined=True)).band == TOT


def test_a_criterion_below_its_floor_bars_the_two_best_bands():
    points = {"tu_tuong": Decimal("4.5"), "hoc_tap": Decimal(10), "dao_duc": Decimal(20), "ky_luat": Decimal(20),
              "nhiem_vu": Decimal(40)}  # fmt: skip
    found = grade(RULES, Facts(points))
    assert found.total == Decimal("94.5") and found.band == HOAN_THANH
    assert len(found.refused) == 2 and all("dưới mức 5" in reason for reason in found.refused)
    assert found.refused[0].startswith("Chưa đủ điều kiện “Hoàn thành xuất sắc nhiệm vụ”: tiêu chí “Bản lĩnh chính trị")


def test_at_the_floor_is_enough():
    points = points_for("90")
    assert points["tu_tuong"] == FLOORS["tu_tuong"] and points["hoc_tap"] == FLOORS["hoc_tap"]
    assert grade(RULES, Facts(points)).band == XUAT_SAC


def test_bad_points_are_refused_all_at_once_in_vietnamese():
    points = points_for("80")
    points["nhiem_vu"] = Decimal(41)
    del points["dao_duc"]
    points["khac"] = Decimal(1)
    with pytest.raises(ValidationError) as refused:
        grade(RULES, Facts(points))
    assert refused.value.messages == [
        "Không có tiêu chí “khac” trong bộ tiêu chí này.",
        "Chưa chấm tiêu chí “Phẩm chất đạo đức, lối sống; nêu gương, giữ mối liên hệ với nhân dân”.",
        "Tiêu chí “Kết quả, sản phẩm cụ thể thực hiện nhiệm vụ được giao trong năm”: 41 điểm, ngoài khoảng 0–40.",
    ]


def test_the_default_set_adds_up_to_100_and_marks_the_study_criterion():
    assert RULES.max_points == 100
    assert [c.key for c in RULES.criteria.values() if c.study] == ["hoc_tap"]


@pytest.mark.parametrize(("excellent", "good", "allowed"), [(2, 8, 2), (3, 7, 2), (0, 4, 0), (1, 4, 1), (0, 0, 0)])
def test_the_excellent_quota_is_a_fifth_of_those_rated_good_or_better(excellent, good, allowed):
    assert excellent_allowed(RULES, excellent + good) == allowed


def test_a_decision_over_the_quota_is_refused_with_the_numbers():
    check_excellent_quota(RULES, "Chi bộ ấp 3", 2, 8)  # 2 of 10: at the cap
    with pytest.raises(ValidationError) as refused:
        check_excellent_quota(RULES, "Chi bộ ấp 3", 3, 7)
    assert refused.value.messages == [
        "Chi bộ ấp 3: 3 đảng viên “Hoàn thành xuất sắc nhiệm vụ” vượt mức 20% của 10 đảng viên xếp loại "
        "“Hoàn thành tốt nhiệm vụ” trở lên (tối đa 2). Hãy xem lại trước khi quyết định."
    ]


def test_a_head_is_not_rated_above_a_unit_below_good():
    check_head(RULES, "Chi bộ ấp 3", TOT, XUAT_SAC)  # a unit rated good does not hold its head back
    check_head(RULES, "Chi bộ ấp 3", HOAN_THANH, HOAN_THANH)
    check_head(RULES, "Chi bộ ấp 3", HOAN_THANH, KHONG_HOAN_THANH)
    with pytest.raises(ValidationError, match="người đứng đầu không được xếp loại cao hơn"):
        check_head(RULES, "Chi bộ ấp 3", HOAN_THANH, TOT)
    with pytest.raises(ValidationError):
        check_head(RULES, "Chi bộ ấp 3", KHONG_HOAN_THANH, HOAN_THANH)
