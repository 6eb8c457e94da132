"""Who sees a plan's fidelity figures, through the gate and the policy (org.policy): out of scope
404, no right 403.

The figures of an organisation's subtree are for those who may `fidelity.view` on it (leaders,
office, propaganda, inspection staff and admins); a plain member sees the plan but no unit's
figures (the rows name accountable heads and judge whole units). Recomputing them, and setting
the weights they are computed with, is `fidelity.refresh` on the plan's issuer.
"""

from quantriet.org.models import Organization
from quantriet.org.policy import VIEW
from quantriet.study.access import access_plan, access_plan_org
from quantriet.study.models import PlanStatus, StudyPlan

FIDELITY_VIEW = "fidelity.view"
FIDELITY_REFRESH = "fidelity.refresh"


def fidelity_plans():
    """The plans that have fidelity figures (every one but drafts)."""
    return StudyPlan.objects.exclude(status=PlanStatus.DRAFT)


def access_fidelity_plan(user, plan_id: int, action: str = VIEW) -> StudyPlan:
    """The plan PLAN_ID with figures in USER's scope (else 404) on whose issuer USER may do ACTION (else 403)."""
    return access_plan(user, plan_id, action, among=fidelity_plans())


def access_fidelity_org(user, plan: StudyPlan, org_id: int | None = None) -> Organization:
    """The organisation asked for, or the user's widest one in the plan's tree; 404 outside scope or
    outside the plan's tree, 403 without the right to its figures (`study.access.access_plan_org`)."""
    return access_plan_org(user, plan, FIDELITY_VIEW, org_id)
