"""The permission matrix of the plan and tracking pages, for the six personas.

The plans are issued by commune X002: xa1.bithu (the sibling commune) and dangvien1 (a member in
X001) cannot see them (404); xa2.bithu sees them but holds no propaganda role (403 on writes);
provincial propaganda staff and the admin may manage them.
"""

import pytest

from quantriet.core.models import Notification
from quantriet.study import views_plans
from quantriet.study.models import Obligation, PlanStatus, StudyPlan
from quantriet.tests.matrix import ALL, anonymous_failures, expect, page_failures

from .test_plans_common import org, x2_plans

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(users):
    published, draft = x2_plans()
    node = Obligation.objects.get(plan=published, org=org("X002"))
    note = Notification.objects.create(user=users["xa2.bithu"], text="Quá hạn: thử nghiệm")
    return {"published": published, "draft": draft, "node": node, "note": note, "x2": org("X002")}


def get_matrix(w):
    """(url name, args, "get", query, expected status per persona)."""
    p, d, node, x2 = w["published"], w["draft"], w["node"], w["x2"]
    in_x2 = expect(admin=200, tinh_tuyengiao=200, xa2_bithu=200, others=404)
    manage = expect(admin=200, tinh_tuyengiao=200, xa2_bithu=403, others=404)
    post_only = expect(others=405)
    return [
        ("plans", [], "get", {}, expect(others=200)),
        ("plan_create", [], "get", {}, expect(admin=200, tinh_tuyengiao=200, others=403)),
        ("plan_create", [], "get", {"org": x2.pk}, manage),
        ("plan", [p.pk], "get", {}, in_x2),
        ("plan", [p.pk], "get", {"trang_thai": "qua_han"}, in_x2),
        ("plan", [d.pk], "get", {}, in_x2),
        ("plan_edit", [d.pk], "get", {}, manage),
        ("plan_edit", [p.pk], "get", {}, expect(admin=302, tinh_tuyengiao=302, xa2_bithu=403, others=404)),
        ("plan_progress", [p.pk, node.pk], "get", {}, in_x2),
        ("plan_publish", [d.pk], "get", {}, post_only),
        ("plan_close", [p.pk], "get", {}, post_only),
        ("todo", [], "get", {}, expect(others=200)),
        ("todo", [], "get", {"org": x2.pk}, in_x2),
        ("my_study", [], "get", {}, expect(others=200)),
        ("notifications", [], "get", {}, expect(others=200)),
        ("notification_read", [w["note"].pk], "get", {}, post_only),
        ("notifications_read_all", [], "get", {}, post_only),
    ]


def post_matrix(w):
    """(url name, args, "post", data, expected status per persona, did it change?)."""
    p, d = w["published"], w["draft"]
    manage = expect(admin=302, tinh_tuyengiao=302, xa2_bithu=403, others=404)
    return [
        # The edit comes first: once the draft is published it is no longer editable.
        ("plan_edit", [d.pk], "post", {}, expect(admin=200, tinh_tuyengiao=200, xa2_bithu=403, others=404), None),
        (
            "notification_read",
            [w["note"].pk],
            "post",
            {},
            expect(xa2_bithu=302, others=404),
            lambda: Notification.objects.get(pk=w["note"].pk).read_at is not None,
        ),
        ("notifications_read_all", [], "post", {}, expect(others=302), None),
        (
            "plan_publish",
            [d.pk],
            "post",
            {},
            manage,
            lambda: StudyPlan.objects.get(pk=d.pk).status == PlanStatus.PUBLISHED,
        ),
        ("plan_close", [p.pk], "post", {}, manage, lambda: StudyPlan.objects.get(pk=p.pk).status == PlanStatus.CLOSED),
    ]


def changed_only_if_accepted(row, response):
    """A write took effect (its row's last item says) exactly when it was accepted (302)."""
    changed = row[-1]
    if changed is not None and changed() is not (response.status_code == 302):
        return f"changed: {changed()}"
    return None


def test_every_plan_page_is_in_the_matrix(world):
    """A new view in views_plans must be added to the matrices (and so get its negative access test)."""
    named = {p.name for p in views_plans.urlpatterns}
    covered = {name for name, *_ in get_matrix(world)} | {name for name, *_ in post_matrix(world)}
    assert named - covered == set()
    assert {name for name, *_ in get_matrix(world)} >= named  # every page is also tried with GET


@pytest.mark.parametrize("persona", ALL)
def test_get(persona, client_as, world):
    assert page_failures(get_matrix(world), client_as, "study", personas=[persona]) == []


@pytest.mark.parametrize("persona", ALL)
def test_post(persona, client_as, world):
    """Each write in its own test database state: refused writes change nothing."""
    failures = page_failures(post_matrix(world), client_as, "study", personas=[persona], check=changed_only_if_accepted)
    assert failures == []


@pytest.mark.parametrize("name", sorted(p.name for p in views_plans.urlpatterns))
def test_anonymous_is_sent_to_login(name, client_as, world):
    rows = [row for row in get_matrix(world) if row[0] == name]
    assert rows and anonymous_failures(rows, client_as, "study") == []
