"""The demo province: its shape, determinism, idempotence and the demo personas."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from quantriet.org.demo import COMMITTEES, ROOT_CODE, DemoBuilder
from quantriet.org.models import Grant, Member, MemberStatus, Organization, OrgKind, Role, Title


def test_shape_of_the_province(db):
    root = Organization.objects.get(code=ROOT_CODE)
    children = Organization.objects.get_children(root)
    assert children.filter(kind=OrgKind.DANG_UY_XA).count() == COMMITTEES
    assert children.filter(kind=OrgKind.DANG_UY_KHOI).count() == 4
    assert {"Đảng bộ Quân sự tỉnh", "Đảng bộ Công an tỉnh"} <= set(children.values_list("name", flat=True))
    assert not Organization.objects.cells().filter(members__isnull=True).exists()
    ethnicities = set(Member.objects.values_list("ethnicity", flat=True))
    assert {"Kinh", "Khmer"} <= ethnicities
    assert Member.objects.filter(status=MemberStatus.PROBATIONARY, card_number__isnull=True).exists()
    assert not Member.objects.filter(status=MemberStatus.FULL, card_number__isnull=True).exists()


def test_every_committee_and_cell_has_a_secretary(db):
    for org in Organization.objects.filter(kind__in=[OrgKind.DANG_UY_XA, OrgKind.TINH_UY]):
        assert org.holder(Title.SECRETARY) is not None, org
        assert org.holder(Title.STANDING_DEPUTY) is not None, org
    cells = Organization.objects.cells()
    with_secretary = cells.filter(positions__title=Title.SECRETARY, positions__end__isnull=True).distinct()
    assert with_secretary.count() == cells.count()


def test_demo_members_pass_their_own_validation(db):
    for member in Member.objects.order_by("?")[:200]:
        member.full_clean(exclude=["user"])


def test_personas(users):
    c1 = Organization.objects.get(code=f"{ROOT_CODE}-X001")
    c2 = Organization.objects.get(code=f"{ROOT_CODE}-X002")
    assert users["admin"].is_superuser
    assert Grant.objects.filter(user=users["tinh.tuyengiao"], role=Role.PROPAGANDA, org__code=ROOT_CODE).exists()
    assert c1.holder(Title.SECRETARY) == users["xa1.bithu"].member
    assert c2.holder(Title.SECRETARY) == users["xa2.bithu"].member
    plain = users["dangvien1"]
    assert not plain.grants.exists() and not plain.member.positions.exists()
    assert plain.member.cell.path.startswith(c1.path)


def test_seeding_again_changes_nothing(db):
    before = (Organization.objects.count(), Member.objects.count(), get_user_model().objects.count())
    call_command("seed_demo", scale=0.01, quiet=True, essays=False, stdout=open("/dev/null", "w"))
    assert (Organization.objects.count(), Member.objects.count(), get_user_model().objects.count()) == before


def test_the_plan_is_deterministic():
    first, second = DemoBuilder(0.3), DemoBuilder(0.3)
    first.plan_tree()
    second.plan_tree()
    assert first.plan.orgs == second.plan.orgs
    assert len([o for o in first.plan.orgs if o[3] in (OrgKind.CHI_BO, OrgKind.CHI_BO_CO_SO)]) > 1000


@pytest.mark.parametrize("scale", [0, -1, 3])
def test_scale_is_checked(db, scale):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--scale"):
        call_command("seed_demo", scale=scale, quiet=True)
