"""Probes of the analytics actions for the permission matrix (quantriet/tests/test_policy_matrix.py).

On the demo plan: the figures of dangvien1's cell (its commune's secretary and the province see
them, the member themself does not: 403), the refresh and configuration of the plan (its
issuer's propaganda staff), and members' study records. No demo persona sees a member without
also holding a right to their results, so the probes add a cell under the second commune with
one member, and give dangvien1 an inspection grant on it: inspection staff see the cell's
members (and its fidelity figures) but not their study results.
"""

import datetime

from django.urls import reverse

from quantriet.analytics.access import FIDELITY_REFRESH, FIDELITY_VIEW, fidelity_plans
from quantriet.org.models import Gender, Grant, Member, MemberStatus, Organization, Role
from quantriet.study.demo import PLAN_SYMBOL
from quantriet.study.models import StudyPlan
from quantriet.tests.policy import Probe

from .common import add_org

STUDY_RECORD = "member.study_record"


def _inspected_member(users):
    """A member of a new cell under the second commune, which dangvien1 inspects."""
    commune = users["xa2.bithu"].grants.get().org
    cell = add_org(commune, f"{commune.code}-KTRA", "Chi bộ thử quyền kiểm tra")
    member = Member.objects.create(
        full_name="Đảng viên thử quyền kiểm tra",
        date_of_birth=datetime.date(1985, 5, 5),
        gender=Gender.FEMALE,
        joined_on=datetime.date(2012, 3, 3),
        status=MemberStatus.FULL,
        cell=cell,
    )
    inspector = users["dangvien1"]
    Grant.objects.create(user=inspector, org=cell, role=Role.INSPECTION)
    inspector.__dict__.pop("_granted_paths", None)  # granted_paths caches the grants on the user
    return member


def _sees_plan(plan):
    return lambda user: fidelity_plans().visible_to(user).filter(pk=plan.pk).exists()


def _sees_figures(plan, org):
    """In scope: the plan (not a draft) and the organisation, which lies in the plan's tree."""
    sees_plan = _sees_plan(plan)
    return lambda user: sees_plan(user) and Organization.objects.visible_to(user).filter(pk=org.pk).exists()


def _sees_member(member):
    return lambda user: Member.objects.visible_to(user).filter(pk=member.pk).exists()


def _figures(plan, org):
    """Every page and API operation showing ORG's figures under PLAN."""
    sees = _sees_figures(plan, org)
    base = f"/chi-so-lam-ky/ke-hoach/{plan.pk}"
    query = {"org": org.pk}
    return [
        Probe(FIDELITY_VIEW, reverse("analytics:dashboard", args=[plan.pk]), org, sees, data=query),
        Probe(FIDELITY_VIEW, reverse("analytics:tree_children", args=[plan.pk, org.pk]), org, sees),
        Probe(FIDELITY_VIEW, reverse("analytics:weakest", args=[plan.pk]), org, sees, data=query),
        Probe(FIDELITY_VIEW, f"{base}/chi-so.xlsx", org, sees, data=query),
        Probe(FIDELITY_VIEW, f"{base}/bao-cao.docx", org, sees, data=query),
        Probe(FIDELITY_VIEW, f"/api/v1/plans/{plan.pk}/fidelity?org={org.pk}", org, sees, api=True),
    ]


def probes(users) -> list[Probe]:
    plan = StudyPlan.objects.select_related("issuer").get(symbol=PLAN_SYMBOL)
    own = users["dangvien1"].member
    inspected = _inspected_member(users)
    sees_plan = _sees_plan(plan)
    return [
        *_figures(plan, own.cell),
        # Inspection staff see the figures of the unit they inspect (it has no row yet: the dashboard only).
        Probe(
            FIDELITY_VIEW,
            reverse("analytics:dashboard", args=[plan.pk]),
            inspected.cell,
            _sees_figures(plan, inspected.cell),
            data={"org": inspected.cell.pk},
        ),
        Probe(FIDELITY_REFRESH, reverse("analytics:refresh", args=[plan.pk]), plan.issuer, sees_plan, "post", ok=302),
        Probe(FIDELITY_REFRESH, reverse("analytics:config", args=[plan.pk]), plan.issuer, sees_plan),
        Probe(
            STUDY_RECORD,
            reverse("analytics:member_record", args=[own.pk]),
            own.cell,
            _sees_member(own),
            also=lambda user: user.pk == own.user_id,
        ),
        Probe(
            STUDY_RECORD,
            reverse("analytics:member_record", args=[inspected.pk]),
            inspected.cell,
            _sees_member(inspected),
        ),
    ]
