"""Commitments, the cells' lists of them, the sample library and personal plans by id, through the
gate and the policy (org.policy): out of scope (or missing) is a 404, in scope without the right the
action's 403.

- `commitment.review` (reading a cell's list, the copy check's sources side by side, reviewing,
  sending back for rewriting) is checked on the commitment's cell (the cell it was written in), or
  on the organisation a list shows; the cell's current secretary holds it on their cell without a
  grant (`Rule.also`), never on their own commitment.
- A member always reads and writes their own commitment and personal plans ("mine" pages: anyone
  else's is not there, a 404).
- The commitments' sample library is `sample.manage` at the top of the tree, like the essays'.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from quantriet.org.models import Organization
from quantriet.org.policy import VIEW, access, can, refusal

from .models_commitments import Commitment, PersonalPlan, secretary_cells

REVIEW = "commitment.review"


def _secretary_of(user, cell_id) -> bool:
    return cell_id in secretary_cells(user)


def access_commitment(user, commitment_id, action=VIEW) -> Commitment:
    """The commitment COMMITMENT_ID in USER's scope (else 404) on whose cell USER may do ACTION (else 403)."""
    commitments = Commitment.objects.visible_to(user).select_related("member", "cell", "reviewer")
    also = None
    if action == REVIEW:

        def also(commitment):
            return commitment.member.user_id != user.pk and _secretary_of(user, commitment.cell_id)

    return access(commitments, commitment_id, user, action, org_of=lambda commitment: commitment.cell, also=also)


def access_commitment_org(user, org_id) -> Organization:
    """The organisation ORG_ID whose commitments USER lists: in sight (else 404), with `commitment.review`
    there or as its cell's secretary (else 403)."""
    org = get_object_or_404(Organization.objects.visible_to(user), pk=org_id)
    if not can(user, REVIEW, org) and not _secretary_of(user, org.pk):
        raise refusal(REVIEW, org)
    return org


def member_of(user):
    """USER's member record, else a 403 saying that commitments and personal plans are members' own."""
    member = getattr(user, "member", None)
    if member is None:
        raise PermissionDenied(
            "Tài khoản của đồng chí không gắn với hồ sơ đảng viên nào, nên không có bản cam kết "
            "hay kế hoạch hành động cá nhân."
        )
    return member


def my_commitment(user, commitment_id) -> Commitment:
    """USER's own commitment COMMITMENT_ID (anyone else's, or none: 404)."""
    return get_object_or_404(
        Commitment.objects.filter(member__user=user).select_related("member", "cell"), pk=commitment_id
    )


def access_personal_plan(user, plan_id) -> PersonalPlan:
    """A personal plan in USER's scope (their own, or of a member of a granted subtree), else 404."""
    plans = PersonalPlan.objects.visible_to(user).select_related("member", "cell", "plan")
    return get_object_or_404(plans, pk=plan_id)


def my_personal_plan(user, plan_id) -> PersonalPlan:
    """USER's own personal plan PLAN_ID, to edit (anyone else's, or none: 404)."""
    plans = PersonalPlan.objects.filter(member__user=user).select_related("member", "cell", "plan")
    return get_object_or_404(plans, pk=plan_id)
