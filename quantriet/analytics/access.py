"""Who sees a plan's fidelity figures, through the same gate as every page (out of scope = 404).

Leaders, office, propaganda, inspection staff and admins of an organisation see the rows of its
subtree; a plain member sees none (the rows name accountable heads and judge whole units).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from quantriet.org.models import Organization, Role, has_role_on
from quantriet.org.policy import role_refusal
from quantriet.study.models import PlanStatus, StudyPlan
from quantriet.study.services import widest_granted

#: Roles on an organisation that see its fidelity rows, dashboard and report.
FIDELITY_ROLES = {Role.ADMIN, Role.PROPAGANDA, Role.LEADER, Role.OFFICE, Role.INSPECTION}


def fidelity_plan(user, plan_id: int) -> StudyPlan:
    plans = StudyPlan.objects.visible_to(user).exclude(status=PlanStatus.DRAFT).select_related("issuer")
    return get_object_or_404(plans, pk=plan_id)


def fidelity_org(user, plan: StudyPlan, org_id: int | None = None) -> Organization:
    """The organisation asked for, or the user's top one in the plan's tree; 404 outside scope, 403 without a role."""
    if org_id is None:
        org = _default_org(user, plan)
    else:
        org = get_object_or_404(Organization.objects.visible_to(user), pk=org_id)
    if not org.path.startswith(plan.issuer.path):
        raise Http404
    if not has_role_on(user, org, FIDELITY_ROLES):
        raise role_refusal(FIDELITY_ROLES, org)
    return org


def _default_org(user, plan: StudyPlan) -> Organization:
    org = widest_granted(user, plan, FIDELITY_ROLES)
    if org is None:  # the plan is visible (it concerns them) but no unit's figures are theirs
        raise role_refusal(FIDELITY_ROLES, where="của một đơn vị trong kế hoạch này")
    return org
