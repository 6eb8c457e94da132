"""The evaluation workflow on the demo tree: a member self-assesses, the cell reviews, the commune's
committee decides — collectives first, within the quota, heads not above a weak unit — and a
decided evaluation is reopened only with a reason."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from quantriet.core.workflow import history
from quantriet.evaluation import services
from quantriet.evaluation.models import DECIDED, REVIEWED, Evaluation
from quantriet.evaluation.tests.test_rules import points_for
from quantriet.org.models import Member, Title

pytestmark = pytest.mark.django_db
YEAR = 2026
DECIDED_ON = datetime.date(2026, 12, 20)


#: The cell gives the study points it agreed on, not those proposed from the records (a reason is required).
AGREED = "Chi bộ thống nhất điểm học tập theo bản tự đánh giá."


def _through_review(actor, evaluation, total, reviewer=None, **review):
    points = {k: str(v) for k, v in points_for(total, evaluation.criteria_set.rules()).items()}
    services.self_assess(actor, evaluation, points, "Bản tự kiểm điểm: ưu điểm, hạn chế, hướng khắc phục.")
    services.submit(actor, evaluation)
    services.review(reviewer or actor, evaluation, points=points, text="Chi bộ nhất trí.", tallies={"tot": 9},
                    study_reason=AGREED, **review)  # fmt: skip
    evaluation.refresh_from_db()
    return evaluation


@pytest.fixture
def cell(users):
    return users["dangvien1"].member.cell


@pytest.fixture
def unit(users, cell):
    """The cell's own evaluation, reviewed by the commune's committee (not decided yet)."""
    secretary = users["xa1.bithu"]
    return _through_review(secretary, services.evaluation_start(secretary, YEAR, org=cell), "80")


def _members(cell, count):
    found = list(Member.objects.filter(cell=cell).order_by("pk")[:count])
    assert len(found) == count, f"the demo cell has {len(found)} members, the test needs {count}"
    return found


def test_a_member_self_assesses_the_cell_reviews_the_committee_decides(users, cell, unit):
    me, secretary = users["dangvien1"], users["xa1.bithu"]
    mine = services.evaluation_start(me, YEAR, member=me.member)
    assert mine.deciding_org == unit.deciding_org and mine.criteria_set.subject == "dang_vien"
    services.self_assess(me, mine, {k: str(v) for k, v in points_for("85").items()}, "Tự kiểm điểm.")
    services.submit(me, mine)
    with pytest.raises(PermissionDenied):  # the member does not review themself
        services.review(me, mine, points=mine.self_points, text="", tallies={})
    services.review(secretary, mine, points=mine.self_points, text="Nhất trí.", tallies={"tot": 8, "hoan_thanh": 1},
                    study_reason=AGREED)  # fmt: skip
    with pytest.raises(ValidationError, match="cần quyết định xếp loại tập thể trước"):
        services.decide(secretary, mine.deciding_org, [Evaluation.objects.get(pk=mine.pk)], number="15-QĐ/ĐU",
                        decided_on=DECIDED_ON)  # fmt: skip
    services.decide(secretary, unit.deciding_org, [unit], number="14-QĐ/ĐU", decided_on=DECIDED_ON)
    mine.refresh_from_db()
    services.decide(secretary, mine.deciding_org, [mine], number="15-QĐ/ĐU", decided_on=DECIDED_ON)
    mine.refresh_from_db()
    assert (mine.state, mine.total, mine.band, mine.decision_number) == (DECIDED, Decimal(85), "tot", "15-QĐ/ĐU")
    assert mine.tallies == {"tot": 8, "hoan_thanh": 1}


def test_a_sibling_commune_cannot_see_nor_decide(users, cell, unit):
    with pytest.raises(PermissionDenied):
        services.decide(users["xa2.bithu"], unit.deciding_org, [unit], number="1", decided_on=DECIDED_ON)
    with pytest.raises(Http404):
        services.review(users["xa2.bithu"], unit, points=unit.review_points, text="", tallies={})


def test_over_the_quota_the_whole_decision_is_refused_with_the_numbers(users, cell, unit):
    secretary, commune = users["xa1.bithu"], unit.deciding_org
    members = list(Member.objects.filter(cell__path__startswith=commune.path).order_by("cell__path", "pk")[:5])
    for other in {m.cell for m in members} - {cell}:  # every cell's collective decided first
        rated = _through_review(secretary, services.evaluation_start(secretary, YEAR, org=other), "80")
        services.decide(secretary, commune, [rated], number="13-QĐ/ĐU", decided_on=DECIDED_ON)
    services.decide(secretary, commune, [unit], number="14-QĐ/ĐU", decided_on=DECIDED_ON)
    rated = [
        _through_review(secretary, services.evaluation_start(secretary, YEAR, member=m), total)
        for m, total in zip(members, ["95", "92", "80", "75", "72"], strict=True)
    ]
    with pytest.raises(ValidationError) as refused:
        services.decide(secretary, commune, rated, number="16-QĐ/ĐU", decided_on=DECIDED_ON)
    assert "2 đảng viên “Hoàn thành xuất sắc nhiệm vụ” vượt mức 20% của 5 đảng viên" in refused.value.messages[0]
    assert "(tối đa 1)" in refused.value.messages[0]
    assert not Evaluation.objects.filter(pk__in=[e.pk for e in rated], state=DECIDED).exists()  # nothing half-decided
    lowered = rated[1]  # the cell reconsiders one: 85, "hoàn thành tốt"
    Evaluation.objects.filter(pk=lowered.pk).update(review_points={k: str(v) for k, v in points_for("85").items()})
    rated = [Evaluation.objects.get(pk=e.pk) for e in rated]
    services.decide(secretary, commune, rated, number="16-QĐ/ĐU", decided_on=DECIDED_ON)
    assert sorted(Evaluation.objects.filter(pk__in=[e.pk for e in rated]).values_list("band", flat=True)) == [
        "tot", "tot", "tot", "tot", "xuat_sac"]  # fmt: skip


def test_a_head_is_not_rated_above_a_unit_below_good(users, cell):
    secretary_login = users["xa1.bithu"]
    weak = _through_review(secretary_login, services.evaluation_start(secretary_login, YEAR, org=cell), "60")
    services.decide(secretary_login, weak.deciding_org, [weak], number="14-QĐ/ĐU", decided_on=DECIDED_ON)
    head = cell.holder(Title.SECRETARY, datetime.date(YEAR, 6, 30))
    assert head is not None, "the demo cell has a secretary"
    rated = _through_review(secretary_login, services.evaluation_start(secretary_login, YEAR, member=head), "80")
    with pytest.raises(ValidationError, match="người đứng đầu không được xếp loại cao hơn"):
        services.decide(secretary_login, rated.deciding_org, [rated], number="17-QĐ/ĐU", decided_on=DECIDED_ON)


def test_the_study_points_differ_from_the_proposal_only_with_a_reason(users, cell):
    secretary = users["xa1.bithu"]
    [member] = _members(cell, 1)
    evaluation = services.evaluation_start(secretary, YEAR, member=member)
    points = {k: str(v) for k, v in points_for("80").items()}
    services.self_assess(secretary, evaluation, points, "")
    services.submit(secretary, evaluation)
    proposed = Decimal(Evaluation.objects.get(pk=evaluation.pk).study_proposal["points"])
    points["hoc_tap"] = str(proposed)  # as proposed: no reason needed
    services.review(secretary, evaluation, points=points, text="", tallies={})
    other = services.evaluation_start(secretary, YEAR, member=_members(cell, 2)[1])
    services.self_assess(secretary, other, points, "")
    services.submit(secretary, other)
    points["hoc_tap"] = str(min(Decimal(10), proposed + 1))
    with pytest.raises(ValidationError, match=r"Điểm học tập khác đề xuất của hệ thống \("):
        services.review(secretary, other, points=points, text="", tallies={})
    services.review(secretary, other, points=points, text="", tallies={}, study_reason="Vắng 2 buổi sinh hoạt.")
    assert Evaluation.objects.get(pk=other.pk).study_reason == "Vắng 2 buổi sinh hoạt."


def test_reopening_needs_a_reason_and_leaves_a_trace(users, cell, unit):
    secretary = users["xa1.bithu"]
    services.decide(secretary, unit.deciding_org, [unit], number="14-QĐ/ĐU", decided_on=DECIDED_ON)
    unit.refresh_from_db()
    with pytest.raises(ValidationError, match="cần ghi rõ ý kiến, lý do"):
        services.reopen(secretary, unit, "")
    services.reopen(secretary, unit, "Phát hiện sai sót trong điểm tiêu chí kiểm tra, giám sát.")
    unit.refresh_from_db()
    assert unit.state == REVIEWED
    assert [e.action for e in history(unit)][-2:] == ["workflow.decide", "workflow.reopen"]


def test_one_evaluation_per_member_and_year_and_points_within_their_range(users):
    me = users["dangvien1"]
    mine = services.evaluation_start(me, YEAR, member=me.member)
    with pytest.raises(ValidationError, match="Đã có bản đánh giá năm 2026"):
        services.evaluation_start(me, YEAR, member=me.member)
    points = {k: str(v) for k, v in points_for("80").items()}
    points["nhiem_vu"] = "41"
    with pytest.raises(ValidationError, match="41 điểm, ngoài khoảng 0–40"):
        services.self_assess(me, mine, points, "")


def test_the_summary_counts_the_decided_by_band_up_the_tree(users, cell, unit, api):
    secretary, me = users["xa1.bithu"], users["dangvien1"]
    services.decide(secretary, unit.deciding_org, [unit], number="14-QĐ/ĐU", decided_on=DECIDED_ON)
    mine = _through_review(me, services.evaluation_start(me, YEAR, member=me.member), "85", reviewer=secretary)
    services.decide(secretary, mine.deciding_org, [mine], number="15-QĐ/ĐU", decided_on=DECIDED_ON)
    body = api("xa1.bithu").get(f"/api/v1/orgs/{unit.deciding_org.pk}/evaluation-summary?year={YEAR}").json()
    assert body["org"]["evaluated"] == 1 and body["org"]["bands"] == {
        "xuat_sac": 0, "tot": 1, "hoan_thanh": 0, "khong_hoan_thanh": 0}  # fmt: skip
    [row] = [child for child in body["children"] if child["org_id"] == cell.pk]
    assert row["evaluated"] == 1 and row["bands"]["tot"] == 1
    assert all(child["evaluated"] == 0 for child in body["children"] if child["org_id"] != cell.pk)
    [own] = api("dangvien1").get("/api/v1/me/evaluations").json()
    assert (own["year"], own["band"], own["status"]) == (YEAR, "tot", "decided")
    assert own["band_label"] == "Hoàn thành tốt nhiệm vụ" and own["study_sources"]
