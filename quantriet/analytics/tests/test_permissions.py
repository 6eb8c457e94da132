"""Every fidelity page and API operation against the six personas, with guards that none escapes.

Leaders, office, propaganda, inspection staff and admins see their subtree's figures; a plain
member sees the plan but no unit's figures (403); a unit outside one's subtree is a 404.
"""

import pytest

from quantriet.analytics import urls
from quantriet.analytics.rollup import refresh
from quantriet.org.models import Member
from quantriet.study.demo import PLAN_SYMBOL
from quantriet.study.models import StudyPlan
from quantriet.study.tests.test_conferences_common import make_plan
from quantriet.tests.matrix import anonymous_failures, api_failures, api_operations, expect, page_failures


@pytest.fixture
def world(users):
    plan = StudyPlan.objects.get(symbol=PLAN_SYMBOL)
    other = make_plan(users["tinh.tuyengiao"], number="878")
    refresh(other)
    return {
        "plan": plan.pk,
        "other": other.pk,
        "c1": users["xa1.bithu"].grants.get().org.pk,
        "cell": users["dangvien1"].member.cell_id,
        "m1": users["dangvien1"].member.pk,
        "m2": Member.objects.in_subtree(users["xa2.bithu"].grants.get().org).order_by("id").first().pk,
    }


def page_matrix(w):
    plan, c1 = w["plan"], w["c1"]
    viewers = expect(dangvien1=403, outsider=404, others=200)
    of_c1 = expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, dangvien1=404, outsider=404, others=404)
    return [
        ("index", [], "get", {}, expect(others=200)),
        ("dashboard", [plan], "get", {}, viewers),
        ("dashboard", [plan], "get", {"org": c1}, of_c1),
        (
            "dashboard",
            [plan],
            "get",
            {"org": w["cell"]},
            expect(dangvien1=403, xa2_bithu=404, outsider=404, others=200),
        ),
        ("tree_children", [plan, c1], "get", {}, of_c1),
        ("weakest", [plan], "get", {"org": c1, "flagged": "1"}, of_c1),
        ("export_xlsx", [plan], "get", {}, viewers),
        ("compare", [plan], "get", {"other": w["other"]}, viewers),
        ("compare", [plan], "get", {"other": w["other"], "org": c1}, of_c1),
        ("report", [plan], "get", {}, viewers),
        ("report", [plan], "get", {"org": c1}, of_c1),
        ("config", [plan], "get", {}, expect(admin=200, tinh_tuyengiao=200, outsider=404, others=403)),
        ("config", [plan], "post", {"margin": "x"}, expect(admin=400, tinh_tuyengiao=400, outsider=404, others=403)),
        ("refresh", [plan], "post", {}, expect(admin=302, tinh_tuyengiao=302, outsider=404, others=403)),
        # The member's study record (an htmx partial of the member page): the member page's gate.
        (
            "member_record",
            [w["m1"]],
            "get",
            {},
            expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, dangvien1=200, others=404),
        ),
        ("member_record", [w["m2"]], "get", {}, expect(admin=200, tinh_tuyengiao=200, xa2_bithu=200, others=404)),
    ]


def test_every_page_against_every_persona(world, client_as):
    assert page_failures(page_matrix(world), client_as, "analytics") == []


def test_anonymous_users_are_sent_to_login(world, client_as):
    assert anonymous_failures(page_matrix(world), client_as, "analytics") == []


def test_refresh_is_post_only(world, client_as):
    assert client_as("admin").get(f"/chi-so-lam-ky/ke-hoach/{world['plan']}/tinh-lai/").status_code == 405


def test_every_analytics_url_is_in_the_matrix(world):
    covered = {name for name, *_ in page_matrix(world)}
    assert {p.name for p in urls.urlpatterns} - covered == set()


def api_matrix(w):
    url = f"/api/v1/plans/{w['plan']}/fidelity"
    return [
        ("get", url, None, expect(dangvien1=403, outsider=404, others=200)),
        ("get", f"{url}?org={w['c1']}", None, expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, others=404)),
    ]


def test_every_api_operation_against_every_persona(world, api):
    assert api_failures(api_matrix(world), api) == []


def test_every_fidelity_operation_is_in_the_matrix():
    assert api_operations("fidelity") == {("get", "/api/v1/plans/{plan_id}/fidelity")}
