"""Probes of study's actions for the policy matrix (quantriet/tests/test_policy_matrix.py).

`plan.manage` on plans issued by commune X002: the province's propaganda staff and the admin may;
X002's secretary sees them but may not (403); the others do not see them (404).

`conference.run` on two conferences of a provincial plan: one of commune X001, which dangvien1
(a member of an X001 cell) sees but may not run (403), and one of dangvien1's own cell, on whose
class board dangvien1 sits (the rule's `also`: allowed without a grant). X001's secretary runs
both; X002's secretary sees neither (404).

Within one persona's run the probes go in order: the pages first, then the writes, so a write
that succeeds (publish, mark held, cancel) comes after the pages that need the earlier state.
Pages that check an action "on some unit" (plan_create and conference_create without a unit)
are not probes: the harness checks a right on one organisation; test_plans_permissions and
test_conferences_permissions cover them.
"""

from django.urls import reverse

from quantriet.org.models import Organization
from quantriet.study.models import Conference, Level, Obligation, StudyPlan
from quantriet.tests.policy import Probe

from . import test_conferences_common as conferences
from . import test_plans_common as plans

#: The class board's pages (GET) of a conference.
BOARD_PAGES = [
    "conference_edit",
    "attendance",
    "attendance_import",
    "attendance_template",
    "board",
    "board_code",
    "board_stats",
]


def _seen(queryset, pk):
    """in_scope of the object PK of QUERYSET's model (whose manager has `visible_to`)."""
    return lambda user: queryset.visible_to(user).filter(pk=pk).exists()


def _plan_probes(x2):
    draft = plans.make_plan(x2, {Level.UPPER: plans.days(10)})
    published = plans.make_plan(x2, {Level.UPPER: plans.days(10)}, publish=True)

    def on_plan(name, plan, **kwargs):
        url = reverse(f"study:{name}", args=[plan.pk])
        return Probe("plan.manage", url, org=x2, in_scope=_seen(StudyPlan.objects, plan.pk), **kwargs)

    return [
        Probe(
            "plan.manage",
            f"{reverse('study:plan_create')}?org={x2.pk}",
            org=x2,
            in_scope=_seen(Organization.objects, x2.pk),
        ),
        on_plan("plan_edit", draft),
        on_plan("plan_publish", draft, method="post", ok=302),
        on_plan("plan_close", published, method="post", ok=302),
    ]


def _create_probes(plan, obligations, cell):
    """Recording the conference that fulfils an obligation: `conference.run` on its organisation."""
    create = reverse("study:conference_create")
    probes = [
        Probe("conference.run", f"{create}?obligation={ob.pk}", org=ob.org, in_scope=_seen(Obligation.objects, ob.pk))
        for ob in obligations
    ]
    plan_seen, cell_seen = _seen(StudyPlan.objects, plan.pk), _seen(Organization.objects, cell.pk)
    probes.append(
        Probe(
            "conference.run",
            f"{create}?plan={plan.pk}&org={cell.pk}",
            org=cell,
            in_scope=lambda user: plan_seen(user) and cell_seen(user),
        )
    )
    return probes


def _conference_probes(conference, member):
    """Every class board page and write of CONFERENCE, and the API's check-in code."""

    def on(name, *args, **kwargs):
        return Probe(
            "conference.run",
            reverse(f"study:{name}", args=[conference.pk, *args]),
            org=conference.host,
            in_scope=_seen(Conference.objects, conference.pk),
            also=conference.has_on_board,
            **kwargs,
        )

    return [
        *(on(name) for name in BOARD_PAGES),
        Probe(
            "conference.run",
            f"/api/v1/conferences/{conference.pk}/checkin-code",
            org=conference.host,
            in_scope=_seen(Conference.objects, conference.pk),
            also=conference.has_on_board,
            api=True,
        ),
        on("attendance_mark", member.pk, method="post", data={"status": "co_mat"}, ok=302),
        on("conference_attachment_add", method="post", ok=302),
        on("conference_held", method="post", ok=302),
        on("makeup_create"),  # held by the probe above when the persona may run it
        on("conference_cancel", method="post", data={"reason": "Trùng lịch"}, ok=302),
    ]


def probes(users):
    admin, member = users["admin"], users["dangvien1"].member
    x1, cell = conferences.org("X001"), member.cell
    plan = conferences.make_plan(admin, number="7701")
    commune = conferences.make_conference(plan, x1, admin)
    own_cell = conferences.make_conference(plan, cell, admin, board=[member])
    obligations = Obligation.objects.filter(plan=plan, org__in=[x1, cell]).select_related("org")
    return [
        *_plan_probes(conferences.org("X002")),
        *_create_probes(plan, obligations, cell),
        *_conference_probes(commune, member),
        *_conference_probes(own_cell, member),
    ]
