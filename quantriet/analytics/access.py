"""Who sees a plan's fidelity figures, through the gate and the policy (org.policy): out of scope
404, no right 403.

The figures of an organisation's subtree are for those who may `fidelity.view` on it (leaders,
office, propaganda, inspection staff and admins); a plain member sees the plan but no unit's
figures (the rows name accountable heads and judge whole units). Recomputing them, and setting
the weights they are computed with, is `fidelity.refresh` on the plan's issuer.
"""

from django.http import Http404

from quantriet.org import policy
from quantriet.org.access import access_org
from quantriet.org.models import Organization
from quantriet.org.policy import VIEW
from quantriet.study.access import access_plan
from quantriet.study.models import PlanStatus, StudyPlan

FIDELITY_VIEW = "fidelity.view"
FIDELITY_REFRESH = "fidelity.refresh"


def fidelity_plans():
    """The plans that have fidelity figures (every one but drafts)."""
    return StudyPlan.objects.exclude(status=PlanStatus.DRAFT)


def fidelity_plan(user, plan_id: int, action: str = VIEW) -> StudyPlan:
    """The plan PLAN_ID with figures in USER's scope (else 404) on whose issuer USER may do ACTION (else 403)."""
    return access_plan(user, plan_id, action, among=fidelity_plans())


def fidelity_org(user, plan: StudyPlan, org_id: int | None = None) -> Organization:
    """The organisation asked for, or the user's widest one in the plan's tree; 404 outside scope or
    outside the plan's tree, 403 without the right to its figures."""
    if org_id is None:
        org = _default_org(user, plan)
    else:
        org = access_org(user, org_id)
    if not org.path.startswith(plan.issuer.path):
        raise Http404
    policy.require(user, FIDELITY_VIEW, org)
    return org


def _default_org(user, plan: StudyPlan) -> Organization:
    org = policy.widest_where(user, FIDELITY_VIEW, plan.issuer)
    if org is None:  # the plan is visible (it concerns them) but no unit's figures are theirs
        rule = policy.rule(FIDELITY_VIEW)
        raise policy.role_refusal(rule.roles, where="của một đơn vị trong kế hoạch này", action=rule.label)
    return org
