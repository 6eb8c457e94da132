"""Probes of the quizzes' actions for the permission matrix driven by the policy
(quantriet/tests/test_policy_matrix.py): keeping a document's question bank (`quiz.bank`, on its
issuing organisation, at the top of the tree for a central document), reading results
(`quiz.results`, on the organisation a page shows), and configuring a plan's quiz (`plan.manage`
on its issuer). Taking a quiz needs no right beyond being asked to: test_permissions.py covers it.
"""

import datetime

from django.urls import reverse

from quantriet.documents.models import DocType, Document
from quantriet.org.models import Organization
from quantriet.study.models import StudyPlan
from quantriet.tests.policy import Probe

from .common import add_questions, quiz_plan


def probes(users) -> list[Probe]:
    quiz = quiz_plan(users["tinh.tuyengiao"], number="8612")
    plan = quiz.plan
    commune1, cell = users["xa1.bithu"].grants.get().org, users["dangvien1"].member.cell
    central = plan.documents.get()
    local = Document.objects.create(
        number="8613",
        type_code="NQ",
        issuer_code="ĐU",
        doc_type=DocType.RESOLUTION,
        title="Về lãnh đạo học tập nghị quyết ở cơ sở (thử nghiệm)",
        issuer_name=commune1.name,
        issuing_org=commune1,
        issued_on=datetime.date(2026, 1, 6),
    )
    add_questions(users["admin"], local, count=2)

    def plan_seen(user):
        return StudyPlan.objects.visible_to(user).filter(pk=plan.pk).exists()

    def bank(document):
        def seen(user):
            return Document.objects.visible_to(user).filter(pk=document.pk).exists()

        question = document.quiz_questions.order_by("id").first()
        edit = reverse("quizzes:question_edit", args=[document.pk, question.pk])
        return [
            Probe("quiz.bank", reverse("quizzes:bank", args=[document.pk]), document.issuing_org, seen),
            Probe("quiz.bank", edit, document.issuing_org, seen),
        ]

    def results(name, org):
        def seen(user):
            return plan_seen(user) and Organization.objects.visible_to(user).filter(pk=org.pk).exists()

        return Probe("quiz.results", reverse(f"quizzes:{name}", args=[plan.pk]) + f"?org={org.pk}", org, seen)

    return [
        *bank(central),
        *bank(local),
        results("results", commune1),
        results("results", cell),
        results("results_xlsx", commune1),
        Probe("plan.manage", reverse("quizzes:quiz_edit", args=[plan.pk]), plan.issuer, plan_seen),
    ]
