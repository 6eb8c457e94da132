"""The essays API: submit a typed essay, read my essays with their grades; same gate and conventions as the pages."""

import pytest

from quantriet.essays import services
from quantriet.essays.models import Essay
from quantriet.study.models import EssayAudience
from quantriet.tests.matrix import ALL, api_operations

from .common import ESSAY, essay_plan, set_deadline


@pytest.fixture
def plan(users):
    return essay_plan(users["admin"])


def submit(client, plan_id, body, raw=False):
    return client.post(
        f"/api/v1/plans/{plan_id}/essay", body if raw else {"text": body}, content_type="application/json"
    )


def test_submit_then_resubmit(api, plan):
    client = api("dangvien1")
    response = submit(client, plan.pk, ESSAY)
    assert response.status_code == 201
    body = response.json()
    assert body["plan_id"] == plan.pk and body["versions"] == 1 and body["late"] is False and body["grade"] is None
    assert body["essay_deadline"] == plan.essay_deadline.isoformat() and body["words"] == len(ESSAY.split())
    assert submit(client, plan.pk, ESSAY + " Bổ sung.").json()["versions"] == 2


def test_statuses_per_persona(api, plan):
    """Who is not a member or not in the audience: 403; out of sight: 404."""
    expected = {"admin": 403, "tinh.tuyengiao": 201, "xa1.bithu": 201, "xa2.bithu": 201, "dangvien1": 201}
    expected["outsider"] = 404
    got = {p: submit(api(p), plan.pk, ESSAY).status_code for p in ALL}
    assert got == expected


def test_refusals_have_their_status_and_a_vietnamese_detail(api, plan, users):
    client = api("dangvien1")
    short = submit(client, plan.pk, "Ngắn.")
    assert short.status_code == 422 and "quá ngắn" in short.json()["detail"]
    assert submit(client, plan.pk, "{not json", raw=True).status_code == 422
    assert submit(client, plan.pk, "[1]", raw=True).status_code == 422
    missing = submit(client, plan.pk, {}, raw=True)
    assert missing.status_code == 422 and missing.json()["errors"][0]["message"] == "thiếu giá trị bắt buộc"
    assert submit(client, 2**63, ESSAY).status_code == 422
    assert submit(client, 999_999_999, ESSAY).status_code == 404
    set_deadline(plan, -1)
    assert submit(client, plan.pk, ESSAY).json()["late"] is True
    again = submit(client, plan.pk, ESSAY)
    assert again.status_code == 409 and "quá hạn" in again.json()["detail"]
    plan.essay_audience = EssayAudience.KEY_CADRES
    plan.save(update_fields=["essay_audience"])
    refused = submit(api("dangvien1"), plan.pk, ESSAY)
    assert refused.status_code == 403 and "không thuộc đối tượng" in refused.json()["detail"]
    assert Essay.objects.filter(plan=plan).count() == 1


def test_anonymous_is_401(client_as, plan):
    assert submit(client_as(None), plan.pk, ESSAY).status_code == 401
    assert client_as(None).get("/api/v1/me/essays").status_code == 401


def test_my_essays_lists_only_mine_with_grades(api, plan, users):
    essay = services.essay_submit(users["dangvien1"], plan, users["dangvien1"].member, ESSAY)
    services.essay_submit(users["xa1.bithu"], plan, users["xa1.bithu"].member, ESSAY)
    criteria = list(services.rubric_ensure(users["admin"], plan).criteria.all())
    services.essay_grade(users["xa1.bithu"], essay, {c.pk: "2" for c in criteria}, "Cần liên hệ cụ thể hơn.")
    body = api("dangvien1").get("/api/v1/me/essays").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == essay.pk and item["grade"]["band"] == "Tốt" and item["grade"]["total"] == "8.0"
    assert item["grade"]["max_total"] == "10.0" and item["grade"]["comment"] == "Cần liên hệ cụ thể hơn."
    assert [s["criterion"] for s in item["grade"]["scores"]] == [c.name for c in criteria]
    assert api("outsider").get("/api/v1/me/essays").json() == {"items": [], "count": 0}
    assert api("dangvien1").get("/api/v1/me/essays?page=0").status_code == 422


def test_my_essays_per_persona(api, plan, users):
    """Everyone gets 200 and only their own essays (none for users without a member record)."""
    for persona in ["tinh.tuyengiao", "xa1.bithu", "dangvien1"]:
        services.essay_submit(users[persona], plan, users[persona].member, ESSAY)
    for persona in ALL:
        response = api(persona).get("/api/v1/me/essays")
        assert response.status_code == 200, persona
        owners = {Essay.objects.get(pk=item["id"]).member.user_id for item in response.json()["items"]}
        expected = {users[persona].pk} if persona in {"tinh.tuyengiao", "xa1.bithu", "dangvien1"} else set()
        assert owners == expected, persona


#: Every essays operation and the tests that call it per persona (above, and
#: test_api_verdict.test_my_essay_per_persona_is_mine_only for one essay of mine).
TESTED_OPERATIONS = {
    ("post", "/api/v1/plans/{plan_id}/essay"),
    ("get", "/api/v1/me/essays"),
    ("get", "/api/v1/me/essays/{essay_id}"),
}


def test_every_essays_operation_is_tested():
    """A new essays endpoint must be added here (and get its per-persona test)."""
    assert api_operations("essays") == TESTED_OPERATIONS
