"""The tree: subtree queries, positions over time, merges and moves with history kept."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from quantriet.core.models import AuditEntry
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Member, MemberTransfer, Organization, Position, Title
from quantriet.org.services import member_transfer, org_merge, org_move


def org(code):
    return Organization.objects.get(code=code)


@pytest.fixture
def c1(db):
    return org(f"{ROOT_CODE}-X001")


@pytest.fixture
def c2(db):
    return org(f"{ROOT_CODE}-X002")


def test_subtree_is_a_path_prefix_query(c1):
    cells = list(c1.subtree().cells())
    assert cells and all(cell.code.startswith(c1.code) for cell in cells)
    assert "LIKE" in str(c1.subtree().query).upper()
    assert Member.objects.in_subtree(c1).count() == sum(cell.members.count() for cell in cells)


def test_who_was_secretary_on_a_date(users):
    cell = users["dangvien1"].member.cell
    old, new = Member.objects.filter(cell=cell).order_by("id")[:2]
    Position.objects.filter(org=cell, title=Title.SECRETARY).delete()
    Position.objects.create(
        member=old, org=cell, title=Title.SECRETARY, start=datetime.date(2020, 1, 1), end=datetime.date(2024, 12, 31)
    )
    Position.objects.create(member=new, org=cell, title=Title.SECRETARY, start=datetime.date(2025, 1, 1))
    assert cell.holder(Title.SECRETARY, datetime.date(2022, 6, 1)) == old
    assert cell.holder(Title.SECRETARY, datetime.date(2025, 6, 1)) == new
    assert cell.holder(Title.SECRETARY, datetime.date(2019, 6, 1)) is None
    assert cell.holder(Title.DEPUTY, datetime.date(2019, 6, 1)) is None


def test_move_into_own_subtree_is_refused(users, c1):
    cell = c1.subtree().cells().first()
    with pytest.raises(ValidationError, match="cấp dưới"):
        org_move(users["admin"], c1, Organization.objects.get_parent(cell))
    with pytest.raises(ValidationError):
        org_move(users["admin"], c1, c1)
    assert org(c1.code).path == c1.path


def test_move_carries_the_subtree_and_is_audited(users, c1, c2):
    cell = c1.subtree().cells().first()
    members_before = set(Member.objects.filter(cell=cell).values_list("pk", flat=True))
    org_move(users["admin"], cell, c2)
    cell.refresh_from_db()
    assert Organization.objects.get_parent(cell) == c2
    assert set(Member.objects.in_subtree(org(c2.code)).filter(cell=cell).values_list("pk", flat=True)) == members_before
    assert not Member.objects.in_subtree(org(c1.code)).filter(cell=cell).exists()
    entry = AuditEntry.objects.get(action="org.move", object_id=str(cell.pk))
    assert entry.actor == users["admin"] and entry.before["parent"] == c1.pk and entry.after["parent"] == c2.pk


def test_merge_keeps_history_visible_to_the_successor(users, c1, c2):
    on = datetime.date(2026, 7, 1)
    c2_cells = set(c2.subtree().cells().values_list("pk", flat=True))
    c2_members = set(Member.objects.in_subtree(c2).values_list("pk", flat=True))
    old_secretary = c2.holder(Title.SECRETARY)
    org_merge(users["admin"], [c2], c1, on)
    c1, c2 = org(c1.code), org(c2.code)
    # The merged unit is closed, points at its successor and now sits in the successor's subtree.
    assert c2.valid_to == on - datetime.timedelta(days=1) and c2.successor == c1
    assert c2.path.startswith(c1.path) and not c2.is_active
    # Its cells and members now belong under the successor.
    assert c2_cells <= set(c1.subtree().cells().values_list("pk", flat=True))
    assert c2_members <= set(Member.objects.in_subtree(c1).values_list("pk", flat=True))
    # Its leaders' terms ended the day before; "who was secretary then" still answers.
    assert c2.holder(Title.SECRETARY) is None
    assert c2.holder(Title.SECRETARY, on - datetime.timedelta(days=2)) == old_secretary
    # The successor's secretary now sees the merged unit; the merged unit's old secretary does not.
    assert Organization.objects.visible_to(users["xa1.bithu"]).filter(pk=c2.pk).exists()
    # (xa2's grant on the closed unit and their own cell remain; the cells moved to c1 do not.)
    own_cell = users["xa2.bithu"].member.cell_id
    seen_by_xa2 = Organization.objects.visible_to(users["xa2.bithu"]).exclude(pk__in=[c2.pk, own_cell])
    assert not seen_by_xa2.filter(path__startswith=c1.path).exists()
    assert AuditEntry.objects.filter(action="org.merge", object_id=str(c2.pk)).exists()


def test_merging_cells_transfers_members_with_history(users, c1):
    a, b = c1.subtree().cells().order_by("path")[:2]
    moved = list(Member.objects.filter(cell=a).values_list("pk", flat=True))
    org_merge(users["admin"], [a], b, datetime.date(2026, 7, 1))
    assert set(Member.objects.filter(cell=b, pk__in=moved).values_list("pk", flat=True)) == set(moved)
    assert MemberTransfer.objects.filter(member_id__in=moved, from_cell=a, to_cell=b).count() == len(moved)


def test_merge_refuses_mixing_cells_and_committees(users, c1, c2):
    with pytest.raises(ValidationError, match="cùng là chi bộ"):
        org_merge(users["admin"], [c2.subtree().cells().first()], c1)
    with pytest.raises(ValidationError):
        org_merge(users["admin"], [c1], c1)


def test_member_transfer_only_into_cells(users, c2):
    member = users["dangvien1"].member
    with pytest.raises(ValidationError, match="chi bộ"):
        member_transfer(users["admin"], member, c2)
    target = c2.subtree().cells().first()
    member_transfer(users["admin"], member, target)
    member.refresh_from_db()
    assert member.cell == target
    assert member.transfers.get().to_cell == target
    # dangvien1 moved out of commune 1: xa1 no longer sees the record, xa2 now does.
    assert not Member.objects.visible_to(users["xa1.bithu"]).filter(pk=member.pk).exists()
    assert Member.objects.visible_to(users["xa2.bithu"]).filter(pk=member.pk).exists()
