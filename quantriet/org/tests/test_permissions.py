"""The permission matrix: every page and API endpoint against the five demo personas.

Out of scope is 404 (the same as a missing object); a page the role may not use at all is
403; anonymous users are sent to the login page (pages) or get 401 (API).
"""

import pytest
from django.urls import get_resolver, reverse

from quantriet.core.jobs import job_create
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Member, Organization, Position, TransferRequest
from quantriet.org.tasks import ROSTER_IMPORT_KIND
from quantriet.tests.matrix import (
    ALL,
    anonymous_failures,
    api_anonymous_failures,
    api_failures,
    api_operations,
    expect,
    page_failures,
    uncovered_operations,
)


@pytest.fixture
def world(users):
    commune1 = Organization.objects.get(code=f"{ROOT_CODE}-X001")
    commune2 = Organization.objects.get(code=f"{ROOT_CODE}-X002")
    member1 = users["dangvien1"].member
    member2 = Member.objects.in_subtree(commune2).order_by("id").first()
    job = job_create(users["xa1.bithu"], ROSTER_IMPORT_KIND, "Nhập danh sách đảng viên: a.xlsx", payload_name="a.xlsx")
    pos1 = Position.objects.filter(org=member1.cell).first()
    transfer = TransferRequest.objects.create(
        member=member2, number="x", to_cell=member1.cell, requested_by=users["xa1.bithu"]
    )
    return {
        "c1": commune1,
        "c2": commune2,
        "cell1": member1.cell,
        "m1": member1,
        "m2": member2,
        "job": job,
        "pos1": pos1,
        "transfer": transfer,
    }


def page_matrix(w):
    c1, c2, cell1, m1, m2, job = w["c1"], w["c2"], w["cell1"], w["m1"], w["m2"], w["job"]
    in_c1 = expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, others=404)
    in_c2 = expect(admin=200, tinh_tuyengiao=200, xa2_bithu=200, others=404)
    structure_c1 = expect(admin=200, tinh_tuyengiao=403, xa1_bithu=403, others=404)
    roster_c1 = expect(admin=200, tinh_tuyengiao=403, xa1_bithu=200, others=404)
    return [
        ("home", [], expect(others=200)),  # the landing page by role (analytics.home)
        ("org:tree", [], expect(others=200)),
        ("org:detail", [c1.pk], in_c1),
        ("org:detail", [c2.pk], in_c2),
        ("org:detail", [cell1.pk], expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, dangvien1=200, others=404)),
        ("org:children", [c1.pk], in_c1),
        ("org:children", [c2.pk], in_c2),
        ("org:export", [c1.pk], in_c1),
        ("org:export", [c2.pk], in_c2),
        ("org:member", [m1.pk], expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, dangvien1=200, others=404)),
        ("org:member", [m2.pk], in_c2),
        ("org:roster_import", [], expect(admin=200, xa1_bithu=200, xa2_bithu=200, others=403)),
        ("org:roster_template", [], expect(others=200)),
        ("org:roster_job", [job.pk], expect(xa1_bithu=200, others=404)),
        ("org:roster_job_status", [job.pk], expect(xa1_bithu=200, others=404)),
        ("org:transfer_requests", [], expect(admin=200, xa1_bithu=200, xa2_bithu=200, others=403)),
        ("org:transfer_request_decide", [w["transfer"].pk], expect(others=405)),
        ("login", [], expect(others=302)),
        # Management pages: in scope without the role is 403, out of scope 404.
        ("org:org_create", [c1.pk], structure_c1),
        ("org:org_edit", [c1.pk], structure_c1),
        ("org:org_move", [c1.pk], structure_c1),
        ("org:org_merge", [c1.pk], structure_c1),
        ("org:org_edit", [cell1.pk], expect(admin=200, tinh_tuyengiao=403, xa1_bithu=403, dangvien1=403, others=404)),
        (
            "org:member_create",
            [cell1.pk],
            expect(admin=200, xa1_bithu=200, tinh_tuyengiao=403, dangvien1=403, others=404),
        ),
        ("org:position_assign", [c1.pk], roster_c1),
        ("org:position_end", [w["pos1"].pk], expect(others=405)),
        ("org:member_edit", [m1.pk], expect(admin=200, xa1_bithu=200, tinh_tuyengiao=403, dangvien1=403, others=404)),
        (
            "org:member_transfer",
            [m1.pk],
            expect(admin=200, xa1_bithu=200, tinh_tuyengiao=403, dangvien1=403, others=404),
        ),
        ("org:member_edit", [m2.pk], expect(admin=200, xa2_bithu=200, tinh_tuyengiao=403, others=404)),
    ]


def api_matrix(w):
    c1, c2, m1, m2 = w["c1"], w["c2"], w["m1"], w["m2"]
    in_c1 = expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, others=404)
    return [
        ("/api/v1/orgs", expect(others=200)),
        (f"/api/v1/orgs/{c1.pk}", in_c1),
        (f"/api/v1/orgs/{c2.pk}", expect(admin=200, tinh_tuyengiao=200, xa2_bithu=200, others=404)),
        ("/api/v1/members", expect(others=200)),
        (f"/api/v1/members?org={c1.pk}", in_c1),
        (f"/api/v1/members/{m1.pk}", expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, dangvien1=200, others=404)),
        (f"/api/v1/members/{m2.pk}", expect(admin=200, tinh_tuyengiao=200, xa2_bithu=200, others=404)),
    ]


def page_rows(w):
    """The page matrix in the shape of quantriet.tests.matrix: every page here is tried with GET."""
    return [(name, args, "get", {}, codes) for name, args, codes in page_matrix(w)]


def api_rows(w):
    """The API matrix in the shape of quantriet.tests.matrix: every operation here is a GET."""
    return [("get", url, None, codes) for url, codes in api_matrix(w)]


def test_every_page_is_in_the_matrix(world):
    """A new view must be added to the matrix (and so get its negative access test)."""
    covered = {name for name, _, _ in page_matrix(world)} | {"logout"}
    named = set()
    for pattern in get_resolver().url_patterns:
        namespace = getattr(pattern, "namespace", None)
        if namespace not in {None, "org"}:
            continue  # other apps keep their own matrices
        for sub in getattr(pattern, "url_patterns", [pattern]):
            if sub.name:
                named.add(f"{namespace}:{sub.name}" if namespace else sub.name)
    assert named - covered == set()


def test_every_api_operation_is_in_the_matrix(world):
    operations = api_operations("org") | api_operations("auth")
    assert operations, "the org endpoints are not mounted"
    token = ("post", "/api/v1/auth/token")  # takes a password, not a token: see test_api.py
    assert uncovered_operations(operations, api_rows(world)) - {token} == set()


@pytest.mark.parametrize("persona", ALL)
def test_pages(persona, client_as, world):
    assert page_failures(page_rows(world), client_as, personas=[persona]) == []


@pytest.mark.parametrize("name", ["org:tree", "org:detail", "org:member", "org:export", "org:roster_import", "home"])
def test_anonymous_pages_redirect_to_login(client_as, world, name):
    rows = [row for row in page_rows(world) if row[0] == name]
    assert rows and anonymous_failures(rows, client_as) == []


@pytest.mark.parametrize("persona", ALL)
def test_api(persona, api, world):
    assert api_failures(api_rows(world), api, personas=[persona]) == []


def test_api_without_token_is_401(client_as, world):
    assert api_anonymous_failures(api_rows(world), client_as) == []


def test_admin_site_only_for_admin(client_as):
    assert client_as("admin").get("/quan-tri/").status_code == 200
    for persona in ["tinh.tuyengiao", "xa1.bithu", "dangvien1", "outsider"]:
        response = client_as(persona).get("/quan-tri/")
        assert response.status_code == 302 and "/quan-tri/login/" in response["Location"]


@pytest.mark.parametrize(
    "persona,status", [("xa2.bithu", 404), ("outsider", 404), ("dangvien1", 403), ("tinh.tuyengiao", 403)]
)
def test_writes_refused_before_any_change(persona, status, client_as, world):
    """POSTs out of scope or without the role change nothing."""
    client = client_as(persona)
    m1, c1, pos1 = world["m1"], world["c1"], world["pos1"]
    posts = [
        (reverse("org:member_edit", args=[m1.pk]), {"full_name": "Đổi Tên"}),
        (reverse("org:position_end", args=[pos1.pk]), {"end": "01/01/2026"}),
        (reverse("org:org_edit", args=[c1.pk]), {"code": "X", "name": "Đổi tên"}),
        (reverse("org:org_merge", args=[c1.pk]), {"successor": world["c2"].pk, "on": "01/01/2026"}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        expected = (
            404 if persona in ("xa2.bithu", "outsider") or "to-chuc" in url and persona == "dangvien1" else status
        )
        assert response.status_code == expected, (persona, url)
    m1.refresh_from_db(), c1.refresh_from_db(), pos1.refresh_from_db()
    assert m1.full_name != "Đổi Tên" and c1.name != "Đổi tên" and pos1.end is None and c1.valid_to is None
