"""Shared helpers of the essay tests (no tests here): a plan requiring essays, real .docx files."""

import datetime
import io
import zipfile

import docx
from django.utils import timezone

from quantriet.org.models import Member
from quantriet.study.models import EssayAudience, StudyPlan
from quantriet.study.tests.test_conferences_common import make_plan, org

ESSAY = (
    "Qua học tập, quán triệt Chỉ thị 28-CT/TU của Ban Thường vụ Tỉnh ủy, bản thân tôi nhận thức rõ trách nhiệm "
    "nêu gương của người đảng viên trong việc học tập và làm theo nghị quyết. Ở chi bộ ấp Phú Hòa, năm qua "
    "tỷ lệ đảng viên dự sinh hoạt đạt chín mươi hai phần trăm, nhưng việc liên hệ thực tiễn còn chung chung. "
    "Tôi cam kết mỗi tháng đến thăm năm hộ dân, vận động hai hộ chuyển đổi cây trồng, và báo cáo kết quả "
    "với chi ủy vào kỳ sinh hoạt cuối quý để được góp ý, đánh giá."
)


def essay_plan(actor=None, *, audience=EssayAudience.ALL_MEMBERS, deadline_in=10, number="829") -> StudyPlan:
    """A published provincial plan (every level scheduled) requiring essays, due DEADLINE_IN days from today."""
    plan = make_plan(actor, number=number)
    plan.essay_audience = audience
    plan.essay_deadline = timezone.localdate() + datetime.timedelta(days=deadline_in)
    plan.save(update_fields=["essay_audience", "essay_deadline"])
    return plan


def set_deadline(plan, days_from_today):
    plan.essay_deadline = timezone.localdate() + datetime.timedelta(days=days_from_today)
    plan.save(update_fields=["essay_deadline"])


def member_in(code, **filters):
    """A member of the commune CODE (e.g. "X002") without a login, for essays by others."""
    return Member.objects.in_subtree(org(code)).filter(user__isnull=True, **filters).order_by("id").first()


def docx_bytes(*paragraphs) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bomb() -> bytes:
    """A real .docx with an extra part of 60 MB of zeros: tiny on disk, huge unpacked."""
    out = io.BytesIO(docx_bytes(ESSAY))
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", b"\0" * (60 * 1024 * 1024))
    return out.getvalue()
