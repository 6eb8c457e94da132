"""The permission matrix of the plan and tracking pages, for the six personas.

The plans are issued by commune X002: xa1.bithu (the sibling commune) and dangvien1 (a member in
X001) cannot see them (404); xa2.bithu sees them but holds no propaganda role (403 on writes);
provincial propaganda staff and the admin may manage them.
"""

import pytest
from django.urls import reverse

from quantriet.core.models import Notification
from quantriet.study import views_plans
from quantriet.study.models import Obligation, PlanStatus, StudyPlan

from .test_plans_common import org, x2_plans

ALL = ["admin", "tinh.tuyengiao", "xa1.bithu", "xa2.bithu", "dangvien1", "outsider"]

pytestmark = pytest.mark.django_db


def expect(**codes):
    default = codes.pop("others", None)
    return {p: codes.get(p.replace(".", "_"), default) for p in ALL}


@pytest.fixture
def world(users):
    published, draft = x2_plans()
    node = Obligation.objects.get(plan=published, org=org("X002"))
    note = Notification.objects.create(user=users["xa2.bithu"], text="Quá hạn: thử nghiệm")
    return {"published": published, "draft": draft, "node": node, "note": note, "x2": org("X002")}


def get_matrix(w):
    """(url name, args, query, expected status per persona) for GET."""
    p, d, node, x2 = w["published"], w["draft"], w["node"], w["x2"]
    in_x2 = expect(admin=200, tinh_tuyengiao=200, xa2_bithu=200, others=404)
    manage = expect(admin=200, tinh_tuyengiao=200, xa2_bithu=403, others=404)
    post_only = expect(others=405)
    return [
        ("study:plans", [], "", expect(others=200)),
        ("study:plan_create", [], "", expect(admin=200, tinh_tuyengiao=200, others=403)),
        ("study:plan_create", [], f"?org={x2.pk}", manage),
        ("study:plan", [p.pk], "", in_x2),
        ("study:plan", [p.pk], "?trang_thai=qua_han", in_x2),
        ("study:plan", [d.pk], "", in_x2),
        ("study:plan_edit", [d.pk], "", manage),
        ("study:plan_edit", [p.pk], "", expect(admin=302, tinh_tuyengiao=302, xa2_bithu=403, others=404)),
        ("study:plan_progress", [p.pk, node.pk], "", in_x2),
        ("study:plan_publish", [d.pk], "", post_only),
        ("study:plan_close", [p.pk], "", post_only),
        ("study:todo", [], "", expect(others=200)),
        ("study:todo", [], f"?org={x2.pk}", in_x2),
        ("study:my_study", [], "", expect(others=200)),
        ("study:notifications", [], "", expect(others=200)),
        ("study:notification_read", [w["note"].pk], "", post_only),
        ("study:notifications_read_all", [], "", post_only),
    ]


def post_matrix(w):
    """(url name, args, expected status per persona, did it change?) for POST."""
    p, d = w["published"], w["draft"]
    manage = expect(admin=302, tinh_tuyengiao=302, xa2_bithu=403, others=404)
    return [
        # The edit comes first: once the draft is published it is no longer editable.
        ("study:plan_edit", [d.pk], expect(admin=200, tinh_tuyengiao=200, xa2_bithu=403, others=404), None),
        (
            "study:notification_read",
            [w["note"].pk],
            expect(xa2_bithu=302, others=404),
            lambda: Notification.objects.get(pk=w["note"].pk).read_at is not None,
        ),
        ("study:notifications_read_all", [], expect(others=302), None),
        ("study:plan_publish", [d.pk], manage, lambda: StudyPlan.objects.get(pk=d.pk).status == PlanStatus.PUBLISHED),
        ("study:plan_close", [p.pk], manage, lambda: StudyPlan.objects.get(pk=p.pk).status == PlanStatus.CLOSED),
    ]


def test_every_plan_page_is_in_the_matrix(world):
    """A new view in views_plans must be added to the matrices (and so get its negative access test)."""
    named = {f"study:{p.name}" for p in views_plans.urlpatterns}
    covered = {name for name, *_ in get_matrix(world)} | {name for name, *_ in post_matrix(world)}
    assert named - covered == set()
    assert {name for name, *_ in get_matrix(world)} >= named  # every page is also tried with GET


@pytest.mark.parametrize("persona", ALL)
def test_get(persona, client_as, world):
    client = client_as(persona)
    for name, args, query, codes in get_matrix(world):
        response = client.get(reverse(name, args=args) + query)
        assert response.status_code == codes[persona], (persona, name, args, query)


@pytest.mark.parametrize("persona", ALL)
def test_post(persona, client_as, world):
    """Each write in its own test database state: refused writes change nothing."""
    for name, args, codes, changed in post_matrix(world):
        response = client_as(persona).post(reverse(name, args=args), {})
        assert response.status_code == codes[persona], (persona, name)
        if changed is not None:
            assert changed() is (codes[persona] == 302), (persona, name)


@pytest.mark.parametrize("name", sorted(f"study:{p.name}" for p in views_plans.urlpatterns))
def test_anonymous_is_sent_to_login(name, client_as, world):
    args = next(a for n, a, *_ in get_matrix(world) if n == name)
    response = client_as(None).get(reverse(name, args=args))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
