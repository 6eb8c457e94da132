"""The evaluation pages through the client: a member starts, saves and sends their self-assessment;
the cell reviews with its tallies; the committee decides the unit first, then its members; an
over-quota decision is refused with the numbers and nothing is decided."""

import pytest
from django.urls import reverse

from quantriet.evaluation.models import DECIDED, SELF_ASSESSED, Evaluation
from quantriet.evaluation.tests.test_rules import points_for

pytestmark = pytest.mark.django_db
YEAR = 2026


def _points(prefix, total, rules=None):
    found = points_for(total) if rules is None else points_for(total, rules)
    return {f"{prefix}{key}": str(value).replace(".", ",") for key, value in found.items()}


def test_a_member_self_assesses_the_cell_reviews_the_committee_decides(client_as, users):
    member, secretary = client_as("dangvien1"), client_as("xa1.bithu")
    cell = users["dangvien1"].member.cell
    mine_url = reverse("evaluation:mine") + f"?nam={YEAR}"
    assert "Bắt đầu tự đánh giá" in member.get(mine_url).content.decode()
    member.post(mine_url, {"nam": YEAR})
    evaluation = Evaluation.objects.get(year=YEAR, member=users["dangvien1"].member)
    page = member.get(mine_url).content.decode()
    assert 'id="self-form"' in page and "Ý thức, kết quả học tập" in page
    member.post(mine_url, {"nam": YEAR, **_points("p_", "82,5".replace(",", ".")), "self_text": "Ưu điểm…",
                           "action": "submit"})  # fmt: skip
    evaluation.refresh_from_db()
    assert evaluation.state == SELF_ASSESSED and evaluation.self_text == "Ưu điểm…"

    # The cell's own evaluation first, then the member's review.
    secretary.post(reverse("evaluation:start", args=[cell.pk]), {"nam": YEAR})
    unit = Evaluation.objects.get(year=YEAR, member__isnull=True, org=cell)
    rules = unit.criteria_set.rules()
    secretary.post(reverse("evaluation:evaluation", args=[unit.pk]), {**_points("p_", "80", rules), "action": "submit"})
    secretary.post(reverse("evaluation:review", args=[unit.pk]), {**_points("r_", "80", rules), "t_tot": "9"})
    review = {**_points("r_", "85"), "review_text": "Nhất trí.", "t_tot": "8", "t_hoan_thanh": "1",
              "study_reason": "Chi bộ thống nhất điểm học tập theo bản tự đánh giá."}  # fmt: skip
    response = secretary.post(reverse("evaluation:review", args=[evaluation.pk]), review)
    assert response.status_code == 302
    page = secretary.get(reverse("evaluation:evaluation", args=[evaluation.pk])).content.decode()
    assert "Hoàn thành xuất sắc nhiệm vụ: 0; Hoàn thành tốt nhiệm vụ: 8; Hoàn thành nhiệm vụ: 1;" in page
    secretary.post(reverse("evaluation:decide", args=[cell.pk]), {"nam": YEAR, "number": "15-QĐ/ĐU",
                                                                   "decided_on": "2026-12-20"})  # fmt: skip
    evaluation.refresh_from_db()
    unit.refresh_from_db()
    assert unit.state == DECIDED and evaluation.state == DECIDED and evaluation.band == "tot"
    assert "Hoàn thành tốt nhiệm vụ" in member.get(mine_url).content.decode()


def test_the_unit_page_lists_those_who_have_not_started(client_as, users):
    cell = users["dangvien1"].member.cell
    page = client_as("xa1.bithu").get(reverse("evaluation:unit", args=[cell.pk]), {"nam": YEAR}).content.decode()
    assert users["dangvien1"].member.full_name in page and "Chưa tự đánh giá" in page


def test_the_commune_page_lists_its_cells_with_their_progress(client_as, users):
    cell = users["dangvien1"].member.cell
    me = users["dangvien1"]
    client_as("dangvien1").post(reverse("evaluation:mine") + f"?nam={YEAR}", {"nam": YEAR})
    commune = Evaluation.objects.get(member=me.member).deciding_org
    page = client_as("xa1.bithu").get(reverse("evaluation:unit", args=[commune.pk]), {"nam": YEAR}).content.decode()
    assert f'data-org="{cell.pk}"' in page and "1 / 0" in page


def test_the_member_sees_the_study_points_proposed_from_their_records_with_sources(client_as, users):
    member = client_as("dangvien1")
    member.post(reverse("evaluation:mine") + f"?nam={YEAR}", {"nam": YEAR})
    evaluation = Evaluation.objects.get(year=YEAR, member=users["dangvien1"].member)
    proposal = evaluation.study_proposal
    assert proposal["max_text"] == "10" and proposal["parts"], "the demo records a conference for dangvien1's cell"
    assert "commitment" in {part["key"] for part in proposal["parts"]}
    page = member.get(reverse("evaluation:mine") + f"?nam={YEAR}").content.decode()
    assert 'id="proposal"' in page and f"<strong>{proposal['points_text']}</strong>/10" in page
    assert "Chưa đăng ký bản cam kết năm" in page  # a source the member can act on


def test_the_cells_review_form_starts_from_the_proposed_study_points_not_the_members_own(client_as, users):
    me = users["dangvien1"]
    member = client_as("dangvien1")
    mine_url = reverse("evaluation:mine") + f"?nam={YEAR}"
    member.post(mine_url, {"nam": YEAR})
    evaluation = Evaluation.objects.get(year=YEAR, member=me.member)
    own = {**_points("p_", "85"), "p_hoc_tap": "10", "p_nhiem_vu": "35"}
    member.post(mine_url, {"nam": YEAR, **own, "self_text": "…", "action": "submit"})
    evaluation.refresh_from_db()
    proposed = evaluation.study_proposal["points_text"]
    assert proposed != "10", "the demo member's records do not earn full study points"
    page = client_as("xa1.bithu").get(reverse("evaluation:evaluation", args=[evaluation.pk])).content.decode()
    review = page.split('id="review"')[1]
    assert f'id="r_hoc_tap" inputmode="decimal" autocomplete="off" value="{proposed}"' in review
    assert 'id="r_nhiem_vu" inputmode="decimal" autocomplete="off" value="35"' in review
