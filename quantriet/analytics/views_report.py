"""The official report (báo cáo kết quả học tập, quán triệt) as .docx.

Gated like every fidelity page (`access.py`: out of scope 404, no role 403). An organisation
without a fidelity row yet is sent back to its dashboard with a message saying why, rather than
handed an empty report.
"""

import io
import re

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse

from quantriet.core.files import attachment
from quantriet.core.text import fold

from .access import access_fidelity_org, access_fidelity_plan
from .models import FidelityScore
from .report import write_report
from .views import _org_param


def _file_names(plan, org) -> tuple[str, str]:
    """The report's Vietnamese file name, and an ASCII one for old clients."""
    ascii_name = re.sub(r"[^a-z0-9]+", "-", fold(f"bao cao ket qua {plan.pk} {org.code}")).strip("-") + ".docx"
    return f"Báo cáo kết quả học tập, quán triệt - {org.name}.docx", ascii_name


def report(request, plan_pk):
    plan = access_fidelity_plan(request.user, plan_pk)
    org = access_fidelity_org(request.user, plan, _org_param(request))
    if not FidelityScore.objects.filter(plan=plan, org=org).exists():
        messages.warning(
            request,
            f"Chưa có số liệu chỉ số làm kỹ của {org.name} trong kế hoạch này nên chưa lập được báo cáo. "
            "Đề nghị Ban Tuyên giáo tính lại chỉ số rồi tải lại báo cáo.",
        )
        return redirect(f"{reverse('analytics:dashboard', args=[plan.pk])}?org={org.pk}")
    buffer = io.BytesIO()
    write_report(plan, org, buffer)
    name, ascii_name = _file_names(plan, org)
    return attachment(buffer.getvalue(), name, ascii_name)


urlpatterns = [
    path("ke-hoach/<int:plan_pk>/bao-cao.docx", report, name="report"),
]
