"""The JSON API: tokens, the org and member endpoints, pagination, malformed input."""

import pytest
from django.conf import settings

from quantriet.core.models import ApiToken
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Member, Organization


@pytest.fixture
def api(client_as, users):
    def make(persona):
        client = client_as(None)
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {ApiToken.issue(users[persona])}"
        return client

    return make


def test_token_then_call(client_as):
    client = client_as(None)
    response = client.post(
        "/api/v1/auth/token",
        {"username": "xa1.bithu", "password": settings.DEMO_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["token_type"] == "bearer"
    token = response.json()["token"]
    orgs = client.get("/api/v1/orgs", headers={"Authorization": f"Bearer {token}"}).json()
    assert [o["code"] for o in orgs] == [f"{ROOT_CODE}-X001"]


def test_org_with_children(api):
    c1 = Organization.objects.get(code=f"{ROOT_CODE}-X001")
    body = api("xa1.bithu").get(f"/api/v1/orgs/{c1.pk}").json()
    assert body["name"] == "Đảng bộ phường Thanh Đức"
    assert body["parent_id"] is None  # the province is outside xa1's scope
    assert {c["id"] for c in body["children"]} == set(
        Organization.objects.get_children(c1).values_list("pk", flat=True)
    )
    body = api("tinh.tuyengiao").get(f"/api/v1/orgs/{c1.pk}").json()
    assert body["parent_id"] == Organization.objects.get(code=ROOT_CODE).pk


def test_members_of_a_subtree_are_paginated(api):
    c1 = Organization.objects.get(code=f"{ROOT_CODE}-X001")
    client = api("tinh.tuyengiao")
    expected = Member.objects.in_subtree(c1).count()
    first = client.get(f"/api/v1/members?org={c1.pk}").json()
    assert first["count"] == expected
    seen = {m["id"] for m in first["items"]}
    page = 2
    while len(seen) < expected:
        items = client.get(f"/api/v1/members?org={c1.pk}&page={page}").json()["items"]
        assert items
        seen |= {m["id"] for m in items}
        page += 1
    assert seen == set(Member.objects.in_subtree(c1).values_list("pk", flat=True))


def test_member_detail_and_plain_member_scope(api, users):
    me = users["dangvien1"].member
    body = api("dangvien1").get(f"/api/v1/members/{me.pk}").json()
    assert body["full_name"] == me.full_name and body["cell_code"] == me.cell.code
    assert body["date_of_birth"] == me.date_of_birth.isoformat()
    assert api("dangvien1").get("/api/v1/members").json()["count"] == 1


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/members?org=abc",
        "/api/v1/members?org=-1",
        "/api/v1/members?org=99999999999999999999999",
        "/api/v1/members?page=0",
        "/api/v1/members?page=x",
        "/api/v1/orgs/0",
        "/api/v1/orgs/99999999999999999999999",
        "/api/v1/members/abc",
    ],
)
def test_malformed_input_is_422_with_a_vietnamese_message(api, url):
    response = api("xa1.bithu").get(url)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"].startswith("Dữ liệu không hợp lệ")
    assert body["errors"][0]["message"] in {
        "phải là số nguyên",
        "phải lớn hơn hoặc bằng 1",
        "phải nhỏ hơn hoặc bằng 9223372036854775807",
    }


@pytest.mark.parametrize("body", ["{", '{"username": 1}', "[]", '{"username": "a"}'])
def test_malformed_token_request_is_422(client_as, body):
    response = client_as(None).post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code in (400, 422)
    assert "detail" in response.json()


def test_missing_and_out_of_scope_look_the_same(api):
    c2 = Organization.objects.get(code=f"{ROOT_CODE}-X002")
    missing = api("xa1.bithu").get("/api/v1/orgs/987654321")
    hidden = api("xa1.bithu").get(f"/api/v1/orgs/{c2.pk}")
    assert missing.status_code == hidden.status_code == 404
    assert missing.json() == hidden.json()


def test_api_docs_need_no_cdn(client_as):
    html = client_as("dangvien1").get("/api/v1/docs").content.decode()
    assert "cdn." not in html and "/static/ninja/" in html


def test_openapi_schema_is_served(client_as):
    schema = client_as("dangvien1").get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/auth/token",
        "/api/v1/orgs",
        "/api/v1/orgs/{org_id}",
        "/api/v1/members",
        "/api/v1/members/{member_id}",
    } <= set(schema["paths"])
