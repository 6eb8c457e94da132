"""Commitments and personal plans through the services, the pages and the API: the workflow (draft,
registration, self-reviews, the cell's review, sending back), who may do what (every page and API
operation refused to whoever may not), and what a member reads of their own flag."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from quantriet.core.models import AuditEntry
from quantriet.plans import demo_commitments as demo
from quantriet.plans import services_commitments as services
from quantriet.plans.models_commitments import Commitment, CommitmentState, Heading, PersonalPlan, ReviewRating
from quantriet.tests.matrix import ALL, api_anonymous_failures, api_failures, expect, page_failures

from .commitments_common import YEAR, add_sample, member_in, self_review, write

pytestmark = pytest.mark.django_db

HONEST = {h: t for h, t in demo.HONEST[0].items()}


@pytest.fixture
def me(users):
    return users["dangvien1"]


def test_the_workflow_from_draft_to_review(users, me):
    commitment = write(me.member, {Heading.POLITICS: "Tôi học đủ các lớp quán triệt năm nay."}, submit=False)
    assert commitment.state == CommitmentState.DRAFT and commitment.cell == me.member.cell
    with pytest.raises(ValidationError, match="Về đạo đức, lối sống"):
        services.commitment_submit(me, commitment)
    commitment = write(me.member, HONEST)
    assert commitment.state == CommitmentState.SUBMITTED and commitment.first_submitted_at
    with pytest.raises(ValidationError, match="đã đăng ký"):
        services.commitment_save(me, me.member, YEAR, {Heading.ETHICS.value: "Sửa sau khi đăng ký."})
    with pytest.raises(ValidationError, match="tự đánh giá cuối năm"):
        services.commitment_review(users["xa1.bithu"], commitment, "Tốt.", ReviewRating.GOOD)
    self_review(commitment, services.MID)
    self_review(commitment, services.END)
    services.commitment_review(users["xa1.bithu"], commitment, "Thực hiện tốt.", ReviewRating.GOOD)
    commitment.refresh_from_db()
    assert commitment.state == CommitmentState.REVIEWED and commitment.reviewer == users["xa1.bithu"]
    assert commitment.items.get(heading=Heading.DUTIES).end_rating == "tot"
    with pytest.raises(ValidationError, match="chưa được chi bộ nhận xét"):
        self_review(commitment, services.END)
    actions = set(AuditEntry.objects.filter(object_id=str(commitment.pk), object_type="plans.commitment")
                  .values_list("action", flat=True))  # fmt: skip
    assert actions == {"commitment.save", "commitment.submit", "commitment.self_review_mid",
                       "commitment.self_review_end", "commitment.review"}  # fmt: skip


def test_only_the_member_writes_and_no_one_reviews_their_own(users, me):
    with pytest.raises(PermissionDenied):
        services.commitment_save(users["xa1.bithu"], me.member, YEAR, {Heading.ETHICS.value: "Viết hộ."})
    secretary = users["xa1.bithu"]
    own = write(secretary.member, HONEST)
    self_review(own)
    with pytest.raises(ValidationError, match="chính mình"):
        services.commitment_review(secretary, own, "Tự khen.", ReviewRating.EXCELLENT)
    with pytest.raises(Http404):  # out of scope
        services.commitment_review(users["xa2.bithu"], write(me.member, HONEST), "Ngoài phạm vi.", ReviewRating.GOOD)


def test_a_past_year_is_not_written(me):
    with pytest.raises(ValidationError, match="Chỉ viết được"):
        services.commitment_save(me, me.member, YEAR - 1, {Heading.ETHICS.value: "Viết bù năm trước."})


def test_sending_back_a_copied_commitment_lets_the_member_rewrite_it(users, me, client_as):
    add_sample(demo.sample_text())
    copied = write(me.member, demo.SAMPLE)
    assert copied.flagged
    page = client_as("dangvien1").get(reverse("plans:my_commitment"))
    assert "bản cam kết mẫu trên mạng" in page.content.decode()
    services.commitment_return(users["xa1.bithu"], copied, "Bản chép mẫu trên mạng; hãy viết việc làm của mình.")
    copied.refresh_from_db()
    assert copied.state == CommitmentState.DRAFT and copied.returned_reason
    rewritten = write(me.member, HONEST)
    assert rewritten.state == CommitmentState.SUBMITTED and not rewritten.flagged and not rewritten.returned_reason


def test_the_member_page_writes_registers_and_self_reviews(client_as, me):
    client = client_as("dangvien1")
    url = reverse("plans:my_commitment")
    data = {f"content_{h.value}": text for h, text in HONEST.items()} | {"action": "submit", "nam": YEAR}
    assert client.post(url, data).status_code == 302
    commitment = Commitment.objects.get(member=me.member, year=YEAR)
    assert commitment.state == CommitmentState.SUBMITTED
    refused = client.post(url, {"action": services.MID, "nam": YEAR})
    assert refused.status_code == 400 and "hãy ghi tự đánh giá" in refused.content.decode()
    review = {f"giua_nam_{h}": "Đã làm." for h in Heading.values} | {
        f"giua_nam_rating_{h}": "dat" for h in Heading.values
    }
    assert client.post(url, review | {"action": services.MID, "nam": YEAR}).status_code == 302
    commitment.refresh_from_db()
    assert commitment.mid_reviewed_at is not None


def test_the_reviewer_sees_whose_text_was_copied_and_the_member_does_not(users, client_as, me):
    cell = me.member.cell
    first = write(member_in(cell, "Nguyễn Thị Trước"), {h: demo.HONEST[1][h] for h in Heading})
    later = write(me.member, demo.NEIGHBOUR_COPY)
    assert later.flagged
    mine = client_as("dangvien1").get(reverse("plans:my_commitment")).content.decode()
    assert "đảng viên khác" in mine and "Nguyễn Thị Trước" not in mine
    board = client_as("xa1.bithu").get(reverse("plans:commitment", args=[later.pk])).content.decode()
    assert "Nguyễn Thị Trước" in board
    compare = client_as("xa1.bithu").get(reverse("plans:commitment_compare", args=[later.pk, "cam-ket", first.pk]))
    assert compare.status_code == 200 and 'class="passage"' in compare.content.decode()
    # A source the check did not find is not shown.
    assert client_as("xa1.bithu").get(reverse("plans:commitment_compare", args=[first.pk, "cam-ket", later.pk])
                                      ).status_code == 404  # fmt: skip


def test_pages_refuse_whoever_may_not(users, client_as, me):
    commitment = write(me.member, HONEST)
    personal = services.personal_plan_create(me, me.member, title="Kế hoạch năm", year=YEAR)
    matrix = [
        ("plans:my_commitment", [], "get", None, expect(admin=403, outsider=403, others=200)),
        ("plans:my_personal_plans", [], "get", None, expect(admin=403, outsider=403, others=200)),
        (
            "plans:commitment",
            [commitment.pk],
            "get",
            None,
            expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, dangvien1=403, others=404),
        ),
        (
            "plans:personal_plan",
            [personal.pk],
            "get",
            None,
            expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, dangvien1=200, others=404),
        ),
        (
            "plans:personal_plan",
            [personal.pk],
            "post",
            {"title": ""},
            expect(dangvien1=400, xa2_bithu=404, outsider=404, others=404),
        ),
    ]
    assert page_failures(matrix, client_as) == []


def test_the_personal_plan_ties_items_to_duties_and_reports_results(me, client_as):
    personal = services.personal_plan_create(me, me.member, title="Kế hoạch hành động năm", year=YEAR)
    with pytest.raises(ValidationError, match="đã có"):
        services.personal_plan_create(me, me.member, title="Lần nữa", year=YEAR)
    data = {
        "title": "Kế hoạch hành động năm",
        "duties": "Đảng viên",
        "rows": "2",
        "content_0": "Vận động 5 hộ trồng rau sạch",
        "duty_0": "Đảng viên nơi cư trú",
        "deadline_0": f"{YEAR}-06-30",
        "result_0": "Đã vận động 6 hộ",
        "done_0": "1",
        "content_1": "",
    }
    assert client_as("dangvien1").post(reverse("plans:personal_plan", args=[personal.pk]), data).status_code == 302
    item = PersonalPlan.objects.get(pk=personal.pk).items.get()
    assert item.done and item.deadline.month == 6 and item.duty == "Đảng viên nơi cư trú"


API = "/api/v1/me/commitments"


def test_the_api_returns_only_ones_own_and_never_the_neighbours_name(users, api, me, client_as):
    cell = me.member.cell
    write(member_in(cell, "Trần Văn Nguồn"), {h: demo.HONEST[1][h] for h in Heading})
    write(me.member, demo.NEIGHBOUR_COPY)
    body = api("dangvien1").get(API).json()
    assert len(body) == 1 and body[0]["flagged"] and body[0]["copied_from"] == "commitment"
    assert [i["heading"] for i in body[0]["items"]] == Heading.values
    assert "Trần Văn Nguồn" not in str(body)
    assert api("xa1.bithu").get(API).json() == [] and api("outsider").get(API).json() == []
    matrix = [
        ("get", API, None, expect(others=200)),
        (
            "put",
            f"{API}/{YEAR}",
            {"tu_tuong_chinh_tri": "Học đủ các lớp."},
            expect(dangvien1=409, xa1_bithu=200, tinh_tuyengiao=200, admin=403, outsider=403, xa2_bithu=200),
        ),
        ("put", f"{API}/{YEAR - 1}", {}, expect(admin=403, outsider=403, others=409)),
    ]
    assert api_failures(matrix, api, personas=ALL) == []
    assert api_anonymous_failures(matrix, client_as) == []


def test_the_api_writes_and_registers(api, me):
    payload = {h.value: t for h, t in HONEST.items()} | {"submit": True}
    response = api("dangvien1").put(f"{API}/{YEAR}", payload, content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == "da_dang_ky"
    short = api("xa1.bithu").put(f"{API}/{YEAR}", {"submit": True}, content_type="application/json")
    assert short.status_code == 422 and "ít nhất" in short.json()["detail"]
