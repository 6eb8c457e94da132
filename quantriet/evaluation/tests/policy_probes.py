"""Probes of the evaluation's actions for the permission matrix driven by the policy
(quantriet/tests/test_policy_matrix.py): writing a self-assessment for a unit or a member without
an account (`evaluation.self`), the cell's review (`evaluation.review`), the committee's decision
(`evaluation.decide`, on the deciding organisation)."""

from django.urls import reverse

from quantriet.evaluation import services
from quantriet.evaluation.models import Evaluation
from quantriet.evaluation.tests.test_rules import points_for
from quantriet.org.models import Member, Organization
from quantriet.tests.policy import Probe

YEAR = 2026


def probes(users) -> list[Probe]:
    me = users["dangvien1"]
    cell = me.member.cell
    mine = services.evaluation_start(me, YEAR, member=me.member)
    services.self_assess(me, mine, {k: str(v) for k, v in points_for("80").items()}, "Tự kiểm điểm.")
    services.submit(me, mine)
    commune = services.deciding_org_of(cell)

    def org_seen(user):
        return Organization.objects.visible_to(user).filter(pk=cell.pk).exists()

    def seen(user):
        return Evaluation.objects.visible_to(user).filter(pk=mine.pk).exists()

    def member_seen(user):
        return Member.objects.visible_to(user).filter(pk=me.member.pk).exists()

    year = {"nam": YEAR}
    return [
        Probe("evaluation.self", reverse("evaluation:start", args=[cell.pk]), cell, org_seen, "post", year, ok=302),
        Probe("evaluation.review", reverse("evaluation:unit", args=[cell.pk]), cell, org_seen),
        Probe("evaluation.review", reverse("evaluation:review", args=[mine.pk]), cell, seen, "post", {}, ok=302),
        # the member's record: reviewers of the cell, and the member themself
        Probe(
            "evaluation.review",
            reverse("evaluation:record", args=[me.member.pk]),
            cell,
            member_seen,
            also=lambda user: user.pk == me.pk,
        ),  # fmt: skip
        Probe(
            "evaluation.decide",
            reverse("evaluation:decide", args=[cell.pk]),
            commune,
            org_seen,
            "post",
            {**year, "number": "1-QĐ/ĐU"},
            ok=302,
        ),  # fmt: skip
        Probe(
            "evaluation.decide",
            reverse("evaluation:reopen", args=[mine.pk]),
            commune,
            seen,
            "post",
            {"reason": "Xem lại"},
            ok=302,
        ),  # fmt: skip
    ]
