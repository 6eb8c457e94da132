"""Study plans and conferences by id, through the gate and the policy (org.policy)."""

from quantriet.org.policy import VIEW, access

from .models import Conference, StudyPlan


def access_plan(user, plan_id, action=VIEW, *, among=None) -> StudyPlan:
    """The plan PLAN_ID in USER's scope (else 404) on whose issuer USER may do ACTION (else 403).

    AMONG narrows the plans a page is about (e.g. those with essays); a plan outside it is a 404."""
    plans = (among if among is not None else StudyPlan.objects.all()) & StudyPlan.objects.visible_to(user)
    return access(plans.select_related("issuer", "created_by"), plan_id, user, action, org_of=lambda p: p.issuer)


def access_conference(user, conference_id, action=VIEW) -> Conference:
    """The conference CONFERENCE_ID in USER's scope (else 404) whose host USER may do ACTION on (else 403).

    Running a conference is also its class board's right (`conference.run`'s rule says so)."""
    conferences = Conference.objects.visible_to(user).select_related("plan", "host", "makeup_of")
    on_board = (lambda conference: conference.has_on_board(user)) if action == "conference.run" else None
    return access(conferences, conference_id, user, action, org_of=lambda c: c.host, also=on_board)
