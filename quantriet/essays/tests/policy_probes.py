"""Probes of the essays' actions for the permission matrix driven by the policy
(quantriet/tests/test_policy_matrix.py): grading (`essay.grade`, on the essay's cell or on the
organisation a board or an export shows), the sample library (`sample.manage`, at the top of the
tree), and configuring a plan's essays (`plan.manage` on its issuer: the rubric, the rescan).

The side-by-side view with a sample mixes two rules (grading the essay, then the sample the verdict
names or the library): test_permissions.py and test_compare_samples.py cover it.
"""

from django.urls import reverse

from quantriet.essays import services
from quantriet.essays.models import Essay, SampleEssay
from quantriet.org.models import Organization
from quantriet.study.models import StudyPlan
from quantriet.tests.policy import Probe

from .common import ESSAY, essay_plan


def probes(users) -> list[Probe]:
    plan = essay_plan(users["admin"], number="8611")
    writer = users["dangvien1"]
    essay = services.essay_submit(writer, plan, writer.member, ESSAY)
    points = {f"c{c.pk}": "2" for c in services.rubric_ensure(users["admin"], plan).criteria.all()}
    commune1, cell = users["xa1.bithu"].grants.get().org, writer.member.cell
    sample = SampleEssay.objects.create(title="Bài thu hoạch mẫu", text=ESSAY, uploaded_by=users["admin"])

    def plan_seen(user):
        return StudyPlan.objects.visible_to(user).filter(pk=plan.pk).exists()

    def essay_seen(user):
        return Essay.objects.visible_to(user).filter(pk=essay.pk).exists()

    def anyone(user):
        """The library is no one's scope: whoever may not keep it gets the action's 403."""
        return True

    def board(name, org):
        def seen(user):
            return plan_seen(user) and Organization.objects.visible_to(user).filter(pk=org.pk).exists()

        return Probe("essay.grade", reverse(f"essays:{name}", args=[plan.pk]) + f"?org={org.pk}", org, seen)

    document = plan.documents.get()
    plan_url = {name: reverse(f"essays:{name}", args=[plan.pk]) for name in ["rubric", "rescan"]}
    return [
        board("board", commune1),
        board("board", cell),
        board("export_xlsx", commune1),
        board("export_docx", cell),
        Probe("essay.grade", reverse("essays:compare", args=[essay.pk, "van-ban", document.pk]), cell, essay_seen),
        Probe("essay.grade", reverse("essays:grade", args=[essay.pk]), cell, essay_seen, "post", points, ok=302),
        Probe("sample.manage", reverse("essays:samples"), None, anyone),
        Probe("sample.manage", reverse("essays:samples"), None, anyone, "post", {"title": ""}, ok=400),
        Probe("sample.manage", reverse("essays:sample", args=[sample.pk]), None, anyone),
        Probe("plan.manage", plan_url["rubric"], plan.issuer, plan_seen),
        Probe("plan.manage", plan_url["rescan"], plan.issuer, plan_seen, "post", ok=302),
    ]
