"""Probes of the plans' actions for the permission matrix driven by the policy
(quantriet/tests/test_policy_matrix.py).

`programme_probes`: drafting and editing (`programme.write`), deciding (`programme.approve`),
reporting progress (`programme.report`, also the task's lead person) on the programme's unit,
following a plan's programmes (`programme.follow`) on the organisation shown.
`commitment_probes`: reviewing commitments (`commitment.review`, on the commitment's cell or the
unit listed; the cell's secretary too) and the commitments' sample library (`sample.manage`, at the
top of the tree).
"""

from datetime import date

from django.urls import reverse

from quantriet.org.models import Organization
from quantriet.plans import demo_commitments as demo
from quantriet.plans import services
from quantriet.plans.access_commitments import _secretary_of
from quantriet.plans.models import Programme
from quantriet.plans.models_commitments import Commitment, SampleCommitment
from quantriet.plans.tests.test_concreteness import COMMUNE_PROGRAMME
from quantriet.tests.policy import Probe

from .commitments_common import add_sample, write
from .common import demo_plan, places, store


def programme_probes(users) -> list[Probe]:
    plan, where = demo_plan(), places(users)
    secretary = users["xa1.bithu"]
    draft = store(secretary, plan, where["commune"], COMMUNE_PROGRAMME)
    running = store(secretary, plan, where["cell"], COMMUNE_PROGRAMME, person=users["dangvien1"].member)
    services.programme_transition(secretary, running, "submit")
    services.programme_transition(
        secretary, running, "approve", approved_on=date(2026, 11, 20), approval_ref="Biên bản"
    )
    services.programme_transition(secretary, draft, "submit")
    led = running.tasks.filter(lead_person=users["dangvien1"].member).first()
    unled = running.tasks.filter(lead_person__isnull=True).first()

    def seen(programme):
        return lambda user: Programme.objects.visible_to(user).filter(pk=programme.pk).exists()

    def org_seen(org):
        return lambda user: Organization.objects.visible_to(user).filter(pk=org.pk).exists()

    def leads(user):
        return led.lead_person.user_id == user.pk

    url = {
        "edit": reverse("plans:edit", args=[draft.pk]),
        "return": reverse("plans:transition", args=[draft.pk, "return"]),
        "report": reverse("plans:task_report", args=[led.pk]),
        "tree": reverse("plans:tree", args=[plan.pk]),
        "overdue": reverse("plans:overdue", args=[plan.pk]),
        "api": f"/api/v1/plans/{plan.pk}/programmes",
    }
    report = {"status": "dang_thuc_hien", "reported_on": "2026-12-01", "note": "Đã làm một phần"}
    commune = where["commune"]
    return [
        Probe("programme.write", url["edit"], commune, seen(draft)),
        Probe(
            "programme.write",
            reverse("plans:transition", args=[draft.pk, "withdraw"]),
            commune,
            seen(draft),
            "post",
            ok=302,
        ),  # fmt: skip
        Probe(
            "programme.approve", url["return"], commune, seen(draft), "post", {"comment": "Bổ sung chỉ tiêu"}, ok=302
        ),  # fmt: skip
        Probe("programme.report", url["report"], running.org, seen(running), "post", report, ok=302, also=leads),
        Probe(
            "programme.report",
            reverse("plans:task_report", args=[unled.pk]),
            running.org,
            seen(running),
            "post",
            report,
            ok=302,
        ),  # fmt: skip
        Probe("programme.follow", f"{url['tree']}?org={commune.pk}", commune, org_seen(commune)),
        Probe("programme.follow", f"{url['overdue']}?org={running.org.pk}", running.org, org_seen(running.org)),
        Probe("programme.follow", f"{url['api']}?org={commune.pk}", commune, org_seen(commune), api=True),
        Probe(
            "programme.follow",
            reverse("plans:tree_xlsx", args=[plan.pk]) + f"?org={commune.pk}",
            commune,
            org_seen(commune),
        ),
        Probe("programme.write", reverse("plans:import", args=[draft.pk]), commune, seen(draft), "post", ok=400),
    ]


def commitment_probes(users) -> list[Probe]:
    writer = users["dangvien1"].member
    cell = writer.cell
    commune = users["xa1.bithu"].grants.get().org
    sample = add_sample(demo.sample_text())
    commitment = write(writer, demo._lightly_edited(demo.SAMPLE))
    assert commitment.flagged and SampleCommitment.objects.filter(pk=sample.pk).exists()

    def seen(user):
        return Commitment.objects.visible_to(user).filter(pk=commitment.pk).exists()

    def org_seen(org):
        return lambda user: Organization.objects.visible_to(user).filter(pk=org.pk).exists()

    def secretary(user):
        return user.pk != writer.user_id and _secretary_of(user, cell.pk)

    def anyone(user):
        return True

    def url(name, *args):
        return reverse(f"plans:{name}", args=args)

    review = "commitment.review"
    return [
        Probe(review, url("commitment_list", cell.pk), cell, org_seen(cell), also=secretary),
        Probe(review, url("commitment_list", commune.pk) + "?loc=sao_chep", commune, org_seen(commune)),
        Probe(review, url("commitment", commitment.pk), cell, seen, also=secretary),
        Probe(review, url("commitment_compare", commitment.pk, "mau", sample.pk), cell, seen, also=secretary),
        Probe(
            review, url("commitment_review", commitment.pk), cell, seen, "post", {"review": ""}, ok=400, also=secretary
        ),  # fmt: skip
        Probe(
            review, url("commitment_return", commitment.pk), cell, seen, "post", {"reason": ""}, ok=400, also=secretary
        ),  # fmt: skip
        Probe("sample.manage", url("commitment_samples"), None, anyone),
        Probe("sample.manage", url("commitment_samples"), None, anyone, "post", {"title": ""}, ok=400),
    ]


def probes(users) -> list[Probe]:
    return programme_probes(users) + commitment_probes(users)
