"""Shared fixtures and helpers of the plan and tracking tests (no tests here).

The demo seed already holds a published provincial plan; tests build their own plans and, where
counts matter, close the other plans first (each test is rolled back).
"""

import datetime

from django.utils import timezone

from quantriet.documents.models import Audience, Digest, Document
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Organization
from quantriet.study import services
from quantriet.study.models import EssayAudience, Level, PlanStatus, StudyPlan

TODAY = timezone.localdate


def org(code):
    return Organization.objects.get(code=code if code.startswith(ROOT_CODE) else f"{ROOT_CODE}-{code}")


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def make_document(number="901", issuer=None, digests=True):
    """A document; central (no issuing org) unless ISSUER is given. Central ones get two digests."""
    document = Document.objects.create(
        number=number,
        type_code="NQ" if issuer is None else "KH",
        issuer_code="TW" if issuer is None else "ĐU",
        doc_type="nghi_quyet" if issuer is None else "ke_hoach",
        title=f"Văn bản thử nghiệm số {number}",
        issuer_name="Ban Chấp hành Trung ương" if issuer is None else issuer.name,
        issuing_org=issuer,
        issued_on=datetime.date(2026, 1, 15),
    )
    if digests and issuer is None:
        Digest.objects.create(
            document=document,
            audience=Audience.KEY_CADRES,
            title="Tóm tắt cho cán bộ chủ chốt",
            key_points="Người đứng đầu chủ trì\nLiên hệ tình hình địa phương",
        )
        Digest.objects.create(
            document=document,
            audience=Audience.MEMBERS,
            title="Tóm tắt cho đảng viên",
            key_points="- Dự học đầy đủ\n- Viết thu hoạch đúng hạn",
        )
    return document


def make_plan(issuer, deadlines, *, documents=None, publish=False, actor=None, **fields):
    """A plan of ISSUER with DEADLINES ({level: date}); a draft unless PUBLISH."""
    values = {
        "title": f"Kế hoạch thử nghiệm của {issuer.name}",
        "symbol": "99-KH/TEST",
        "purpose": "Nắm vững nội dung nghị quyết.",
        "content": "Toàn văn nghị quyết.",
        "audiences": [Audience.KEY_CADRES, Audience.MEMBERS],
        "essay_audience": EssayAudience.ALL_MEMBERS,
        "essay_deadline": days(40),
    }
    values.update(fields)
    plan = StudyPlan.objects.create(issuer=issuer, **values)
    plan.documents.set(documents if documents is not None else [make_document(number=f"9{plan.pk:03d}")])
    for level, day in deadlines.items():
        plan.deadlines.create(level=level, deadline=day)
    if publish:
        services.plan_publish(actor, plan)
        plan.refresh_from_db()
    return plan


def close_other_plans(*keep):
    """Close every published plan but KEEP, so counts see only the test's plans."""
    StudyPlan.objects.filter(status=PlanStatus.PUBLISHED).exclude(pk__in=[p.pk for p in keep]).update(
        status=PlanStatus.CLOSED
    )


def commune_plan():
    """A published plan of commune X001: the commune by day 10, its cells by day 20."""
    return make_plan(org("X001"), {Level.UPPER: days(10), Level.CELL: days(20)}, publish=True)


def x2_plans():
    """Commune X002's published plan and its draft: invisible to xa1.bithu and dangvien1."""
    x2 = org("X002")
    published = make_plan(x2, {Level.UPPER: days(5), Level.CELL: days(15)}, publish=True, title="Kế hoạch X002")
    draft = make_plan(x2, {Level.UPPER: days(7)}, title="Bản nháp X002")
    return published, draft
