"""Organisations and members by id, through the gate and the policy (org.policy)."""

from .models import Member, Organization
from .policy import VIEW, access


def access_org(user, org_id, action=VIEW) -> Organization:
    """The organisation ORG_ID in USER's scope (else 404) on which USER may do ACTION (else 403)."""
    return access(Organization.objects.visible_to(user), org_id, user, action, org_of=lambda org: org)


def access_member(user, member_id, action=VIEW) -> Member:
    """The member MEMBER_ID in USER's scope (else 404); ACTION is checked on their cell (else 403).

    A member's own study record is theirs to read (the rule `member.study_record` says so)."""
    members = Member.objects.visible_to(user).select_related("cell", "user")
    themself = (lambda member: member.user_id == user.pk) if action == "member.study_record" else None
    return access(members, member_id, user, action, org_of=lambda member: member.cell, also=themself)
