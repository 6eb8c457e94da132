"""Study plans, obligations and conferences by id, through the gate and the policy (org.policy)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from quantriet.org.models import Organization
from quantriet.org.policy import VIEW, access, refusal, widest_where

from .models import Conference, ConferenceAttachment, Obligation, StudyPlan


def access_plan(user, plan_id, action=VIEW, *, among=None) -> StudyPlan:
    """The plan PLAN_ID in USER's scope (else 404) on whose issuer USER may do ACTION (else 403).

    AMONG narrows the plans a page is about (e.g. those with essays); a plan outside it is a 404."""
    plans = (among if among is not None else StudyPlan.objects.all()) & StudyPlan.objects.visible_to(user)
    return access(plans.select_related("issuer", "created_by"), plan_id, user, action, org_of=lambda p: p.issuer)


def access_obligation(user, obligation_id, action=VIEW, *, plan=None) -> Obligation:
    """The obligation OBLIGATION_ID in USER's scope (else 404) on whose organisation USER may do
    ACTION (else 403), e.g. `conference.run` to record the conference that fulfils it.

    PLAN narrows it to one plan's obligations (a page about that plan); another's is a 404."""
    obligations = Obligation.objects.visible_to(user).select_related("plan", "org")
    if plan is not None:
        obligations = obligations.filter(plan=plan)
    return access(obligations, obligation_id, user, action, org_of=lambda ob: ob.org)


def access_plan_org(user, plan, action, org_id=None) -> Organization:
    """The organisation of PLAN's tree that a page of PLAN is about (a board, results, an export).

    ORG_ID as the page's query gave it (``?org=``): an organisation in USER's scope and in the
    issuer's subtree (else 404, and so is a value that is not an id) on which USER may do ACTION
    (else 403). Without one, the widest organisation of the plan's tree where USER may do ACTION
    (`widest_where`); the action's 403 when there is none."""
    if org_id is None:
        org = widest_where(user, action, plan.issuer)
        if org is None:
            raise refusal(action, anywhere=True)
        return org
    if not str(org_id).isdigit() or len(str(org_id)) > 18:
        raise Http404
    orgs = Organization.objects.visible_to(user).filter(path__startswith=plan.issuer.path)
    return access(orgs, int(org_id), user, action, org_of=lambda org: org)


def access_conference(user, conference_id, action=VIEW) -> Conference:
    """The conference CONFERENCE_ID in USER's scope (else 404) whose host USER may do ACTION on (else 403).

    Running a conference is also its class board's right (`conference.run`'s rule says so, and
    so does its refusal)."""
    # Not makeup_of: most conferences are no make-up session, and every check-in comes through here.
    conferences = Conference.objects.visible_to(user).select_related("plan", "host")
    on_board = (lambda conference: conference.has_on_board(user)) if action == "conference.run" else None
    return access(conferences, conference_id, user, action, org_of=lambda c: c.host, also=on_board)


def access_conference_attachment(user, conference_id, attachment_id) -> ConferenceAttachment:
    """The file ATTACHMENT_ID kept with the conference CONFERENCE_ID in USER's scope, else 404.

    Whoever sees a conference reads its files (minutes, slides); adding one is `conference.run`."""
    conference = access_conference(user, conference_id)
    return get_object_or_404(conference.attachments, pk=attachment_id)
