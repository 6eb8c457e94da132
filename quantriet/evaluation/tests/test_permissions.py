"""Every evaluation page against the six personas, anonymous visitors, and a guard that no page
escapes the matrix. xa1.bithu leads dangvien1's commune (reviews and decides); tinh.tuyengiao is the
province's propaganda staff (reviews, does not decide); a member writes and reads their own."""

import pytest

from quantriet.evaluation import services, urls
from quantriet.evaluation.tests.test_rules import points_for
from quantriet.tests.matrix import (
    ALL,
    anonymous_failures,
    api_failures,
    api_operations,
    expect,
    page_failures,
    uncovered_operations,
)

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def world(users):
    me = users["dangvien1"]
    mine = services.evaluation_start(me, YEAR, member=me.member)
    services.self_assess(me, mine, {k: str(v) for k, v in points_for("80").items()}, "Tự kiểm điểm.")
    services.submit(me, mine)
    others = {persona: users[persona].member.pk for persona in ("xa1.bithu", "xa2.bithu")}
    return {"cell": me.member.cell, "mine": mine, "members": {p: hasattr(u, "member") for p, u in users.items()},
            "member": me.member.pk, "others": others}  # fmt: skip


def page_matrix(w):
    cell, mine, year = w["cell"].pk, w["mine"].pk, {"nam": YEAR}
    own_page = {persona.replace(".", "_"): 200 if w["members"].get(persona) else 403 for persona in ALL}
    reviewers = expect(admin=302, tinh_tuyengiao=302, xa1_bithu=302, dangvien1=403, others=404)
    deciders = expect(admin=302, xa1_bithu=302, tinh_tuyengiao=403, dangvien1=403, others=404)
    summary = expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, dangvien1=403, others=404)
    own_record = {persona.replace(".", "_"): 302 if w["members"].get(persona) else 403 for persona in ALL}
    readers = expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, dangvien1=200, others=404)
    return [
        ("index", [], "get", {}, expect(others=200)),
        ("mine", [], "get", {}, expect(**own_page)),
        ("unit", [cell], "get", year, summary),
        ("start", [cell], "post", year, reviewers),
        ("decide", [cell], "post", {**year, "number": "1-QĐ/ĐU"}, deciders),
        ("evaluation", [mine], "get", {}, readers),
        # writing the self-assessment: the member's own, or the committee's for them (no longer a draft: refused, 302)
        (
            "evaluation",
            [mine],
            "post",
            {},
            expect(admin=302, tinh_tuyengiao=302, xa1_bithu=302, dangvien1=302, others=404),
        ),  # fmt: skip
        ("review", [mine], "post", {}, reviewers),
        ("summary", [cell], "get", year, summary),
        ("summary_docx", [cell], "get", year, summary),
        ("summary_xlsx", [cell], "get", year, summary),
        ("form_docx", [mine], "get", {}, readers),
        ("form_xlsx", [mine], "get", {}, readers),
        ("reopen", [mine], "post", {"reason": "Xem lại"}, deciders),
        # the member's record: their own always, reviewers of their cell; another member never (out of scope: 404)
        ("record", [w["member"]], "get", {}, readers),
        ("record_docx", [w["member"]], "get", {}, readers),
        ("record_mine", [], "get", {}, expect(**own_record)),
        (
            "record",
            [w["others"]["xa1.bithu"]],
            "get",
            {},
            expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, others=404),
        ),  # fmt: skip
        (
            "record_docx",
            [w["others"]["xa2.bithu"]],
            "get",
            {},
            expect(admin=200, tinh_tuyengiao=200, xa2_bithu=200, others=404),
        ),  # fmt: skip
    ]


def test_every_page_against_every_persona(world, client_as):
    assert page_failures(page_matrix(world), client_as, "evaluation") == []


def test_anonymous_users_are_sent_to_login(world, client_as):
    assert anonymous_failures(page_matrix(world), client_as, "evaluation") == []


def test_every_evaluation_url_is_in_the_matrix(world):
    covered = {name for name, *_ in page_matrix(world)}
    assert {p.name for p in urls.urlpatterns} - covered == set()


def api_matrix(w):
    cell = w["cell"]
    commune = services.deciding_org_of(cell)
    return [
        (
            "get",
            f"/api/v1/orgs/{commune.pk}/evaluation-summary?year={YEAR}",
            None,
            expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, others=404),
        ),  # fmt: skip
        (
            "get",
            f"/api/v1/orgs/{cell.pk}/evaluation-summary",
            None,
            expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, dangvien1=403, others=404),
        ),  # fmt: skip
        ("get", "/api/v1/me/evaluations", None, expect(others=200)),
    ]


def test_every_api_operation_against_every_persona(world, api):
    assert api_failures(api_matrix(world), api) == []


def test_every_evaluation_api_operation_is_in_the_matrix(world):
    assert uncovered_operations(api_operations("evaluation"), api_matrix(world)) == set()
