"""Evaluations by id, through the gate and the policy (org.policy): out of scope 404, no right 403.

- `evaluation.self` on the evaluated unit (a member's cell): the committee writes for a member
  without an account, or for its own collective; the member themself always may (Rule.also).
- `evaluation.review` on the reviewing unit: a member's cell; for a collective, the committee above
  it that decides it.
- `evaluation.decide` on the deciding unit (the grassroots committee; for a collective, the level above).
"""

from quantriet.org.policy import VIEW, access

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
