"""Probes of the plans' actions for the permission matrix driven by the policy
(quantriet/tests/test_policy_matrix.py). `commitment_probes`: reviewing commitments
(`commitment.review`, on the commitment's cell or the unit listed; the cell's secretary too) and
the commitments' sample library (`sample.manage`, at the top of the tree).
"""

from django.urls import reverse

from quantriet.org.models import Organization
from quantriet.plans import demo_commitments as demo
from quantriet.plans.access_commitments import _secretary_of
from quantriet.plans.models_commitments import Commitment, SampleCommitment
from quantriet.tests.policy import Probe

from .commitments_common import add_sample, write


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
    return commitment_probes(users)
