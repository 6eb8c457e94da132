"""Writes to the tree and the roster: each runs in one transaction and leaves an audit entry."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from quantriet.core.audit import audit_record, snapshot

from .models import Member, MemberTransfer, Organization, TransferKind


def _parent_id(org):
    parent = Organization.objects.get_parent(org)
    return parent.pk if parent else None


@transaction.atomic
def org_move(actor, org: Organization, new_parent: Organization) -> Organization:
    """Move ORG (with its subtree) under NEW_PARENT. Its records stay attached to it."""
    org.refresh_from_db()
    new_parent.refresh_from_db()
    if new_parent.path.startswith(org.path):
        raise ValidationError("Không thể chuyển một tổ chức vào chính nó hoặc vào tổ chức cấp dưới của nó.")
    if new_parent.is_cell:
        raise ValidationError("Chi bộ không có tổ chức trực thuộc; hãy chọn một đảng bộ làm cấp trên.")
    before = {"parent": _parent_id(org), "path": org.path}
    Organization.objects.move(org, new_parent, "last-child")
    org.refresh_from_db()
    audit_record(actor, "org.move", org, before, {"parent": new_parent.pk, "path": org.path})
    return org


@transaction.atomic
def org_merge(actor, sources: list[Organization], successor: Organization, on: datetime.date | None = None):
    """Merge SOURCES into SUCCESSOR on date ON.

    Active sub-units and members of each source move to the successor; each source is closed
    (valid_to = the day before ON) and kept as a closed node under the successor, so what
    happened in it stays recorded against it and lies in the successor's subtree, where the
    successor's leaders see it.
    """
    on = on or timezone.localdate()
    successor.refresh_from_db()
    for source in sources:
        source.refresh_from_db()
        if source.pk == successor.pk or successor.path.startswith(source.path):
            raise ValidationError(f"Không thể hợp nhất {source.name} vào chính nó hoặc vào đơn vị trực thuộc nó.")
        if source.is_cell != successor.is_cell:
            raise ValidationError(f"{source.name} và {successor.name} phải cùng là chi bộ hoặc cùng là đảng bộ.")
    for source in sources:
        before = snapshot(source, ["valid_to", "successor"]) | {"parent": _parent_id(source)}
        for child in list(Organization.objects.get_children(source).active(on)):
            org_move(actor, child, successor)
        for member in Member.objects.filter(cell=source):
            member_transfer(actor, member, successor, on, note=f"Hợp nhất {source.name} vào {successor.name}")
        source.positions.filter(end__isnull=True).update(end=on - datetime.timedelta(days=1))
        source.refresh_from_db()
        source.valid_to = on - datetime.timedelta(days=1)
        source.successor = successor
        source.save(update_fields=["valid_to", "successor"])
        Organization.objects.move(source, successor, "last-child")
        source.refresh_from_db()
        audit_record(actor, "org.merge", source, before, snapshot(source, ["valid_to", "successor"]))
    return successor


@transaction.atomic
def member_transfer(actor, member: Member, to_cell: Organization, on=None, kind=TransferKind.OFFICIAL, note=""):
    """Move MEMBER to TO_CELL, keeping the transfer in the member's history."""
    if not to_cell.is_cell:
        raise ValidationError("Đảng viên chỉ sinh hoạt ở chi bộ.")
    if member.cell_id == to_cell.pk:
        return member
    transfer = MemberTransfer.objects.create(
        member=member, from_cell_id=member.cell_id, to_cell=to_cell, on=on or timezone.localdate(), kind=kind, note=note
    )
    before = {"cell": member.cell_id}
    member.cell = to_cell
    member.save(update_fields=["cell", "updated_at"])
    audit_record(actor, "member.transfer", member, before, {"cell": to_cell.pk, "transfer": transfer.pk})
    return member
