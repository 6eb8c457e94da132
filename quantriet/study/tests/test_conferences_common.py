"""Shared helpers of the conference, attendance and check-in tests (no tests here).

The demo seed holds its own plan and conferences; these tests build their own plan (published
through ``plan_publish``) and conferences, so counts never depend on the seed. Every test is
rolled back.
"""

import datetime

from django.utils import timezone

from quantriet.documents.models import Audience, DocType, Document
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Member, Organization, Title
from quantriet.study import checkin as codes
from quantriet.study import services
from quantriet.study.models import CheckinOutcome, Conference, EssayAudience, Level, LevelDeadline, StudyPlan


def org(code):
    return Organization.objects.get(code=code if code.startswith(ROOT_CODE) else f"{ROOT_CODE}-{code}")


def make_plan(actor=None, audiences=(Audience.MEMBERS,), number="828"):
    """A provincial plan for one document, every level scheduled, published (obligations created)."""
    today = timezone.localdate()
    document = Document.objects.create(
        number=number,
        type_code="CT",
        issuer_code="TU",
        doc_type=DocType.DIRECTIVE,
        title="Về nêu cao trách nhiệm, gương mẫu của người đứng đầu trong học tập nghị quyết (thử nghiệm)",
        issuer_name="Tỉnh ủy Vĩnh Long",
        issued_on=datetime.date(2026, 1, 5),
    )
    plan = StudyPlan.objects.create(
        issuer=org(ROOT_CODE),
        symbol=f"{number}-KH/TU",
        title=f"Kế hoạch học tập, quán triệt Chỉ thị {number}-CT/TU",
        audiences=list(audiences),
        essay_audience=EssayAudience.NONE,
    )
    plan.documents.add(document)
    for days, level in enumerate([Level.PROVINCE, Level.UPPER, Level.GRASSROOTS, Level.CELL], start=1):
        LevelDeadline.objects.create(plan=plan, level=level, deadline=today + datetime.timedelta(days=10 * days))
    services.plan_publish(actor, plan)
    plan.refresh_from_db()
    return plan


def make_conference(plan, host, actor=None, *, starts_at=None, covered=None, board=(), **fields):
    """A conference by Chỉ thị 28's rules: the secretary chairs and presents, the standing deputy heads the board."""
    starts_at = starts_at or timezone.now() - datetime.timedelta(minutes=30)
    day = timezone.localtime(starts_at).date()
    secretary = host.holder(Title.SECRETARY, day)
    conference = Conference(
        plan=plan,
        host=host,
        title=fields.pop("title", f"Hội nghị quán triệt — {host.name}"),
        starts_at=starts_at,
        location="Hội trường",
        chair=secretary,
        board_head=host.holder(Title.STANDING_DEPUTY, day),
        **fields,
    )
    presenters = [secretary] if secretary else []
    return services.conference_save(actor, conference, covered or [host], presenters, list(board))


def code_at(conference, at=None):
    """The code the board's screen shows at AT (default now)."""
    return codes.make_code(conference, codes.current_slot(conference, at or timezone.now()))


def wrong_short_code(user, conference):
    """Six digits that USER could not have read off any screen now (so a guess, not a stale code)."""
    now = timezone.now()
    for n in range(10**6):
        digits = f"{n:06d}"
        if services._short_code_slot(user, conference, digits, now)[0] == CheckinOutcome.FORGED:
            return digits
    raise AssertionError("every six-digit code is in use")


def roster_members(conference, n=None, exclude=()):
    members = services.conference_roster(conference).exclude(pk__in=[m.pk for m in exclude]).order_by("id")
    return list(members[:n] if n else members)


def member_of(user):
    return Member.objects.get(user=user)


def docx_bytes(text: str) -> bytes:
    """A real one-paragraph .docx."""
    import io

    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
