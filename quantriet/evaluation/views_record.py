"""The member's record: each year's evaluation with its evidence and the transcript of their study,
as a page and as a party-format .docx (`record`, `transcript`).

Access (`access_member_record`): the member themself always; otherwise the member must be in the
viewer's scope (out of it, a colleague of the same cell included, is a 404) and the viewer needs
`evaluation.review` on the member's cell (403 otherwise).
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET

from quantriet.core.files import attachment

from .access import access_member_record
from .models import Evaluation
from .record import member_record
from .transcript import file_names, transcript_docx

NO_MEMBER = "Trang này dành cho đảng viên: tài khoản của đồng chí chưa gắn với hồ sơ đảng viên."


@require_GET
def record(request, member_pk):
    """MEMBER's evaluations year by year and the transcript of their study."""
    member = access_member_record(request.user, member_pk)
    found = member_record(member)
    shown = {e.pk for e in found.evaluations}
    openable = set(Evaluation.objects.visible_to(request.user).filter(pk__in=shown).values_list("pk", flat=True))
    context = {
        "record": found,
        "member": member,
        "own": member.user_id == request.user.pk,
        "openable": openable,
    }
    return render(request, "evaluation/record.html", context)


@require_GET
def record_mine(request):
    """One's own record."""
    member = getattr(request.user, "member", None)
    if member is None:
        raise PermissionDenied(NO_MEMBER)
    return redirect("evaluation:record", member.pk)


@require_GET
def record_docx(request, member_pk):
    """The record as a party document (.docx) the committee prints and the member keeps."""
    member = access_member_record(request.user, member_pk)
    found = member_record(member)
    name, ascii_name = file_names(found)
    return attachment(transcript_docx(found), name, ascii_name)


urlpatterns = [
    path("ho-so/cua-toi/", record_mine, name="record_mine"),
    path("ho-so/<int:member_pk>/", record, name="record"),
    path("ho-so/<int:member_pk>/docx", record_docx, name="record_docx"),
]
