"""Writes to the tree and the roster: each runs in one transaction and leaves an audit entry."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from quantriet.core.audit import audit_record, snapshot

from .models import (
    Member,
    MemberTransfer,
    Organization,
    Position,
    Title,
    TransferKind,
    TransferRequest,
    TransferRequestStatus,
)


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
    if not new_parent.is_active:
        raise ValidationError(f"{new_parent.name} đã hết hiệu lực; không thể chuyển tổ chức vào đó.")
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
    if not successor.is_active:
        raise ValidationError(f"{successor.name} đã hết hiệu lực; hãy chọn đơn vị kế thừa đang hoạt động.")
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


@transaction.atomic
def org_create(actor, parent: Organization | None, **fields) -> Organization:
    """Add a sub-unit under PARENT, or a new root (a province) when PARENT is None."""
    if parent is not None and parent.is_cell:
        raise ValidationError("Chi bộ không có tổ chức trực thuộc.")
    child = Organization(**fields)
    child.full_clean(exclude=["path", "depth", "numchild", "name_folded"])
    if parent is None:
        child = Organization.objects.add_root(instance=child)
    else:
        child = Organization.objects.add_child(parent, instance=child)
    audit_record(actor, "org.create", child, None, snapshot(child, ["code", "name", "kind", "valid_from"]))
    return child


@transaction.atomic
def org_update(actor, org: Organization, **fields) -> Organization:
    """Change an organisation's own fields (not its place in the tree)."""
    before = snapshot(org, list(fields))
    for key, value in fields.items():
        setattr(org, key, value)
    org.full_clean(exclude=["path", "depth", "numchild", "name_folded", "successor"])
    org.save()
    audit_record(actor, "org.update", org, before, snapshot(org, list(fields)))
    return org


@transaction.atomic
def member_save(actor, member: Member) -> Member:
    """Create or update MEMBER after validating it like an imported row."""
    before = snapshot(Member.objects.get(pk=member.pk)) if member.pk else None
    member.full_clean(exclude=["user"])
    member.save()
    audit_record(actor, "member.update" if before else "member.create", member, before, snapshot(member))
    return member


#: Positions one person holds at a time in an organisation; appointing a new holder ends the old term.
SINGLE_HOLDER = {Title.SECRETARY, Title.STANDING_DEPUTY, Title.GROUP_LEADER}


@transaction.atomic
def position_assign(actor, org: Organization, member: Member, title: str, start: datetime.date) -> Position:
    """Appoint MEMBER to TITLE in ORG from START; a single-holder title's previous term ends the day before."""
    if not member.cell.path.startswith(org.path):
        raise ValidationError("Đảng viên phải sinh hoạt trong tổ chức này (hoặc tổ chức trực thuộc).")
    if Position.objects.holding(org, title, start).filter(member=member).exists():
        raise ValidationError("Đảng viên này đang giữ chức vụ đó.")
    if title in SINGLE_HOLDER:
        for previous in Position.objects.holding(org, title, start):
            if previous.start >= start:
                raise ValidationError(
                    f"{previous.member} giữ chức vụ này từ {previous.start:%d/%m/%Y}; hãy chọn ngày sau đó."
                )
            before = snapshot(previous, ["end"])
            previous.end = start - datetime.timedelta(days=1)
            previous.save(update_fields=["end"])
            audit_record(actor, "position.end", previous, before, snapshot(previous, ["end"]))
    position = Position.objects.create(org=org, member=member, title=title, start=start)
    audit_record(actor, "position.assign", position, None, snapshot(position))
    return position


@transaction.atomic
def position_end(actor, position: Position, end: datetime.date) -> Position:
    if end < position.start:
        raise ValidationError("Ngày kết thúc phải sau ngày bắt đầu giữ chức vụ.")
    before = snapshot(position, ["end"])
    position.end = end
    position.save(update_fields=["end"])
    audit_record(actor, "position.end", position, before, snapshot(position, ["end"]))
    return position


# ---------------------------------------------------------------- transfer requests


def transfer_requests_left(actor) -> int:
    """How many more transfer requests ACTOR may open today (TRANSFER_REQUESTS_PER_DAY a day).

    The limit stops a file of guessed card numbers from telling, in bulk, which exist in other
    units: each such row opens a request the level above sees.
    """
    since = timezone.now() - datetime.timedelta(days=1)
    used = TransferRequest.objects.filter(requested_by=actor, created_at__gte=since).count()
    return max(0, settings.TRANSFER_REQUESTS_PER_DAY - used)


@transaction.atomic
def transfer_request_open(actor, member: Member, number: str, to_cell: Organization, source: str = ""):
    """The pending request to move MEMBER to TO_CELL (opened now, audited, unless one is pending)."""
    pending = TransferRequest.objects.filter(
        member=member, to_cell=to_cell, requested_by=actor, status=TransferRequestStatus.PENDING
    ).first()
    if pending:
        return pending
    request = TransferRequest.objects.create(
        member=member, number=number, to_cell=to_cell, requested_by=actor, source=source[:255]
    )
    after = {"member": member.pk, "number": number, "to_cell": to_cell.pk, "source": request.source}
    audit_record(actor, "transfer_request.open", request, None, after)
    return request


@transaction.atomic
def transfer_request_decide(actor, request: TransferRequest, approve: bool, note: str = "") -> TransferRequest:
    """Approve (the member is transferred to the requested cell) or reject a pending request."""
    request = TransferRequest.objects.select_for_update().select_related("member", "to_cell").get(pk=request.pk)
    if request.status != TransferRequestStatus.PENDING:
        raise ValidationError(f"Đề nghị này đã được xử lý ({request.get_status_display().lower()}).")
    if approve:
        if not request.to_cell.is_active:
            raise ValidationError(f"{request.to_cell.name} đã hết hiệu lực; không chuyển đến đó được.")
        member_transfer(actor, request.member, request.to_cell, note=f"Theo đề nghị chuyển sinh hoạt số {request.pk}")
    before = {"status": request.status}
    request.status = TransferRequestStatus.APPROVED if approve else TransferRequestStatus.REJECTED
    request.decided_by, request.decided_at, request.note = actor, timezone.now(), note[:255]
    request.save(update_fields=["status", "decided_by", "decided_at", "note"])
    audit_record(actor, "transfer_request.decide", request, before, {"status": request.status, "note": request.note})
    return request
