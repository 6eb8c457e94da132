"""The landing page ("/"), by what the person must do, and the member's study record.

It sits in analytics, the highest app it reads from, and reads every app through its
`selectors.py` (org, study, essays, quizzes, plans, analytics): a lower app never imports a higher one.

- A leader (a grant, or secretary/deputy of a unit) first sees their work: obligations overdue
  and due in their subtrees, today's conferences, essays waiting for a grade, overdue tasks of
  their units' action programmes and those escalated from the units below; then the current
  plans' fidelity summary with the flagged units below ("làm lướt" or overdue).
- Provincial staff and admins (a grant on a top organisation) see that summary first.
- A member sees their next conference, the essay and the quiz due, and their results.
- Anyone else is told their account is linked to nothing yet.
The organisation tree stays in the menu ("Tổ chức đảng").

The member's record (`member_record`) is an htmx partial of the member page (org's
member_detail, which may not import study and above): 404 for a member the viewer may not see
(the member page's gate), 403 for one they see without the right to study results
(`member.study_record`; the member themself may read their own).
"""

from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from quantriet.essays import selectors as essays
from quantriet.org.access import access_member
from quantriet.org.models import attach_parent_names
from quantriet.org.selectors import orgs_outermost
from quantriet.plans import selectors as plans
from quantriet.quizzes import selectors as quizzes
from quantriet.study import selectors as study

from . import selectors
from .components import Settings
from .models import FidelityConfig


def _work(user, tops, today, shown):
    """A leader's work in the subtrees TOPS: obligations (the first SHOWN), today's conferences, essays to grade."""
    overdue, due, obligations = study.open_obligations(tops, today, shown)
    attach_parent_names([ob.org for ob in obligations], within=tops)
    return {
        "tops": tops,
        "overdue": overdue,
        "due": due,
        "obligations": obligations,
        "more": overdue + due - len(obligations),
        "conferences": list(study.conferences_on(tops, today)),
        "ungraded": essays.ungraded_by_plan(user, tops),
        "tasks": _overdue_tasks(tops, today),
    }


def _overdue_tasks(tops, today) -> dict:
    """Overdue tasks of the leader's own programmes, and those escalated from the units below
    after each plan's delay (its fidelity configuration)."""
    delays = dict(FidelityConfig.objects.values_list("plan_id", "escalate_after_days"))
    found, total = plans.overdue_on_todo(tops, today, delays, Settings().escalate_after_days)
    return {"list": found, "more": total - len(found)}


def _mine(member, today, now):
    """A member's next conference, the essays and quizzes due, and their results."""
    plans = study.member_plans(member, today)
    written = {e.plan_id: e for e in essays.member_essays(member)}
    quiz_list = quizzes.member_quizzes(member, plans)
    return {
        "member": member,
        "conferences": study.upcoming_conferences(member, now)[:3],
        "essays_due": sorted((p for p in plans if p.essay_due and p.pk not in written), key=lambda p: p.essay_due),
        "quizzes_due": [q for q in quiz_list if q.result is None or not q.result.passed],
        "essays": list(written.values())[:5],
        "results": list(quizzes.member_results(member)[:5]),
    }


@require_GET
def home(request):
    user = request.user
    today, now = timezone.localdate(), timezone.now()
    member = getattr(user, "member", None)
    tops = orgs_outermost(study.led_orgs(user))
    province = any(o.depth == 1 for o in tops)
    summaries = selectors.plan_summaries(user)
    for summary in summaries:
        attach_parent_names([row.org for row in summary["weakest"]], within=summary["org"])
    context = {
        "today": today,
        "work": _work(user, tops, today, 5 if province else 10) if tops else None,
        "summaries": summaries,
        "province": province,
        "mine": _mine(member, today, now) if member is not None else None,
    }
    return render(request, "analytics/home.html", context)


@require_GET
def member_record(request, pk):
    """htmx: MEMBER's study record across plans (conferences, essays with grade and verdict, quizzes)."""
    member = access_member(request.user, pk, "member.study_record")
    context = {
        "member": member,
        "conferences": study.member_conference_record(member),
        "essays": list(essays.member_essays(member)),
        "results": list(quizzes.member_results(member)),
    }
    return render(request, "analytics/_member_record.html", context)


urlpatterns = [
    path("dang-vien/<int:pk>/hoc-tap/", member_record, name="member_record"),
]
