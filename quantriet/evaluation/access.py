"""Evaluations by id, and a member's record (`access_member_record`), through the gate and the policy
(org.policy): out of scope 404, no right 403.

- `evaluation.self` on the evaluated unit (a member's cell): the committee writes for a member
  without an account, or for its own collective; the member themself always may (Rule.also).
- `evaluation.review` on the reviewing unit: a member's cell; for a collective, the committee above
  it that decides it.
- `evaluation.decide` on the deciding unit (the grassroots committee; for a collective, the level above).
"""

from quantriet.org.access import is_own_record
from quantriet.org.models import Member
from quantriet.org.policy import VIEW, access, can

from .models import Evaluation


def _org_for(evaluation: Evaluation, action: str):
    if action == "evaluation.decide" or (action == "evaluation.review" and evaluation.member_id is None):
        return evaluation.deciding_org
    return evaluation.org


def access_evaluation(user, evaluation_id, action=VIEW) -> Evaluation:
    evaluations = Evaluation.objects.visible_to(user).select_related(
        "member__user", "org", "deciding_org", "criteria_set"
    )
    own = (lambda e: e.member is not None and e.member.user_id == user.pk) if action == "evaluation.self" else None
    return access(evaluations, evaluation_id, user, action, org_of=lambda e: _org_for(e, action), also=own)


def access_member_record(user, member_id) -> Member:
    """The member MEMBER_ID whose record (each year's evaluation, the study transcript) USER reads:
    among the members in USER's scope (`Member.objects.visible_to`, else 404), with `evaluation.review`
    on their cell (else 403); the member themself always reads their own. A plain member sees no
    other member: a colleague of the same cell is out of their scope, a 404."""
    members = Member.objects.visible_to(user).select_related("cell", "user")
    return access(members, member_id, user, "evaluation.review", org_of=lambda member: member.cell,
                  also=lambda member: is_own_record(user, member))  # fmt: skip


def may_read_record(user, member) -> bool:
    """Whether USER reads MEMBER's record, as `access_member_record` decides it for a member in scope."""
    return is_own_record(user, member) or can(user, "evaluation.review", member.cell)
