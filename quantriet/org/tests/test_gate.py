"""The one access gate: grants cover whole subtrees; a plain member sees self and own cell."""

import pytest
from django.contrib.auth import get_user_model

from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Grant, Member, Organization, Role, granted_paths


@pytest.fixture
def c1(db):
    return Organization.objects.get(code=f"{ROOT_CODE}-X001")


def test_provincial_grant_sees_everything(users):
    user = users["tinh.tuyengiao"]
    assert Organization.objects.visible_to(user).count() == Organization.objects.count()
    assert Member.objects.visible_to(user).count() == Member.objects.count()


def test_commune_grant_sees_exactly_its_subtree(users, c1):
    user = users["xa1.bithu"]
    assert set(Organization.objects.visible_to(user)) == set(c1.subtree())
    assert set(Member.objects.visible_to(user)) == set(Member.objects.in_subtree(c1))
    assert list(Organization.objects.visible_roots(user)) == [c1]


def test_plain_member_sees_own_record_and_own_cell_only(users):
    user = users["dangvien1"]
    assert list(Member.objects.visible_to(user)) == [user.member]
    assert list(Organization.objects.visible_to(user)) == [user.member.cell]


def test_outsider_and_inactive_users_see_nothing(outsider, users):
    assert not Organization.objects.visible_to(outsider).exists()
    assert not Member.objects.visible_to(outsider).exists()
    user = users["xa1.bithu"]
    user.is_active = False
    assert not Organization.objects.visible_to(user).exists()
    assert not Member.objects.visible_to(user).exists()


def test_two_grants_union_and_nested_grants_collapse(users, c1):
    user = get_user_model().objects.create_user("hai.xa")
    c3 = Organization.objects.get(code=f"{ROOT_CODE}-X003")
    cell = c1.subtree().cells().first()
    Grant.objects.create(user=user, org=c1, role=Role.INSPECTION)
    Grant.objects.create(user=user, org=cell, role=Role.REPORTER)
    Grant.objects.create(user=user, org=c3, role=Role.INSPECTION)
    assert granted_paths(user) == sorted([c1.path, c3.path])
    assert set(Organization.objects.visible_to(user)) == set(c1.subtree()) | set(c3.subtree())
    assert granted_paths(user, {Role.REPORTER}) == [cell.path]


def test_sibling_path_prefix_does_not_leak(users, db):
    """A grant on node 0001 must not reveal node 00010... of a sibling with a longer code."""
    c1 = Organization.objects.get(code=f"{ROOT_CODE}-X001")
    visible = Organization.objects.visible_to(users["xa1.bithu"])
    outside = Organization.objects.exclude(path__startswith=c1.path)
    assert not visible.filter(pk__in=outside.values("pk")).exists()


def test_search_ignores_diacritics_and_d(users, c1):
    visible = Organization.objects.visible_to(users["tinh.tuyengiao"])
    folded = "dang bo phuong thanh duc"
    assert c1.name == "Đảng bộ phường Thanh Đức"
    assert c1 in visible.search(folded)
    assert c1 in visible.search("THANH ĐỨC")
    assert c1 in visible.search(c1.code)
    member = users["dangvien1"].member
    from quantriet.core.text import fold

    assert member in Member.objects.visible_to(users["xa1.bithu"]).search(fold(member.full_name).upper())
    assert member not in Member.objects.visible_to(users["xa2.bithu"]).search(fold(member.full_name))


def test_tree_page_counts_members_per_subtree(client_as, c1):
    response = client_as("xa1.bithu").get(f"/to-chuc/{c1.pk}/con/")
    assert response.status_code == 200
    for cell in Organization.objects.get_children(c1):
        assert f"{cell.name}" in response.content.decode()
        assert (
            response.context["nodes"][0].member_count
            == Member.objects.filter(cell=response.context["nodes"][0]).count()
        )
    roots = client_as("tinh.tuyengiao").get("/to-chuc/").context["nodes"]
    assert roots[0].member_count == Member.objects.count()


def test_tree_search_page(client_as, c1):
    response = client_as("xa2.bithu").get("/to-chuc/", {"q": "thanh duc"})
    assert response.context["found"] == []
    response = client_as("xa1.bithu").get("/to-chuc/", {"q": "thanh duc"})
    assert [o.pk for o in response.context["found"]] == [c1.pk]
