"""The official report (báo cáo kết quả học tập, quán triệt) as .docx.

Gated like every fidelity page (`access.py`: out of scope 404, no role 403). An organisation
without a fidelity row yet is sent back to its dashboard with a message saying why, rather than
handed an empty report.
"""

import io
import re
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse

from quantriet.core.officialdoc import DOCX_CONTENT_TYPE
from quantriet.core.text import fold

from .access import fidelity_org, fidelity_plan
from .models import FidelityScore
from .report import write_report
from .views import _org_param


def _disposition(plan, org) -> str:
    """An ASCII filename for old clients and the Vietnamese one (RFC 6266 ``filename*``) for the rest."""
    ascii_name = re.sub(r"[^a-z0-9]+", "-", fold(f"bao cao ket qua {plan.pk} {org.code}")).strip("-") + ".docx"
    name = f"Báo cáo kết quả học tập, quán triệt - {org.name}.docx"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


@login_required
def report(request, plan_pk):
    plan = fidelity_plan(request.user, plan_pk)
    org = fidelity_org(request.user, plan, _org_param(request))
    if not FidelityScore.objects.filter(plan=plan, org=org).exists():
        messages.warning(
            request,
            f"Chưa có số liệu chỉ số làm kỹ của {org.name} trong kế hoạch này nên chưa lập được báo cáo. "
            "Đề nghị Ban Tuyên giáo tính lại chỉ số rồi tải lại báo cáo.",
        )
        return redirect(f"{reverse('analytics:dashboard', args=[plan.pk])}?org={org.pk}")
    buffer = io.BytesIO()
    write_report(plan, org, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = _disposition(plan, org)
    return response


urlpatterns = [
    path("ke-hoach/<int:plan_pk>/bao-cao.docx", report, name="report"),
]
