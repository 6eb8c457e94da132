"""Organisations, members, positions and transfer requests by id, through the gate and the policy (org.policy)."""

from django.shortcuts import get_object_or_404

from .models import Member, Organization, Position, TransferRequest
from .policy import VIEW, access, can, require


def access_org(user, org_id, action=VIEW) -> Organization:
    """The organisation ORG_ID in USER's scope (else 404) on which USER may do ACTION (else 403)."""
    return access(Organization.objects.visible_to(user), org_id, user, action, org_of=lambda org: org)


def access_member(user, member_id, action=VIEW) -> Member:
    """The member MEMBER_ID in USER's scope (else 404); ACTION is checked on their cell (else 403).

    A member's own study record is theirs to read (the rule `member.study_record` says so)."""
    members = Member.objects.visible_to(user).select_related("cell", "user")
    themself = (lambda member: is_own_record(user, member)) if action == "member.study_record" else None
    return access(members, member_id, user, action, org_of=lambda member: member.cell, also=themself)


def is_own_record(user, member) -> bool:
    return member.user_id == user.pk


def may_read_study_record(user, member) -> bool:
    """`member.study_record` on MEMBER's cell, or MEMBER is USER themself (as `access_member` checks it)."""
    return is_own_record(user, member) or can(user, "member.study_record", member.cell)


def access_position(user, position_id, action=VIEW) -> Position:
    """The position POSITION_ID in an organisation of USER's scope (else 404); ACTION is checked on
    that organisation (else 403)."""
    positions = Position.objects.filter(org__in=Organization.objects.visible_to(user)).select_related("org", "member")
    return access(positions, position_id, user, action, org_of=lambda position: position.org)


def transfer_request_units(row: TransferRequest) -> tuple[Organization, Organization]:
    """The two units a transfer request moves a member between: the member's cell and the requested cell."""
    return row.member.cell, row.to_cell


def may_decide(user, row: TransferRequest) -> bool:
    """Deciding a transfer request takes the roster right on both of its units."""
    return all(can(user, "roster.manage", unit) for unit in transfer_request_units(row))


def access_transfer_request(user, request_id, action=VIEW) -> TransferRequest:
    """The transfer request REQUEST_ID in USER's scope (else 404); ACTION is checked on both of its
    units (else 403, naming the unit where the right is missing); deciding one is `roster.manage`."""
    rows = TransferRequest.objects.visible_to(user).select_related("member__cell", "to_cell")
    row = get_object_or_404(rows, pk=request_id)
    if action != VIEW:
        for unit in transfer_request_units(row):
            require(user, action, unit)
    return row
