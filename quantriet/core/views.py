"""Pages of no one app: a background job's progress (việc nền, see core.jobs: its creator and
superusers only, else 404) and its "Chạy lại" after a worker died (core.workers), the user guide
(every signed-in user), the favicon and the balancer's /healthz (public)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe

from .guide import guide as guide_html
from .jobs import job_rerun
from .models import Job


def _job(request, pk):
    return get_object_or_404(Job.objects.visible_to(request.user).defer("payload"), pk=pk)


@require_GET
def job(request, pk):
    """Việc nền: the progress bar, polling itself until the job is finished, then the result."""
    return render(request, "core/job.html", {"job": _job(request, pk)})


@require_GET
def job_status(request, pk):
    """The part of the job page htmx fetches every second while the job runs."""
    return render(request, "core/_job_status.html", {"job": _job(request, pk)})


#: Why only a job's creator starts it again: the work runs in the creator's name (their rights, their file).
RERUN_CREATOR_ONLY = "Chỉ người tạo việc nền này mới chạy lại được: việc chạy dưới tên người đó."


@require_POST
def job_rerun_view(request, pk):
    """The "Chạy lại" button: start again the work of a job whose worker died (core.workers);
    `Job.rerun_allowed` says who may. Back to the page the button was on (the roster import has its own job page)."""
    job = _job(request, pk)
    if not job.rerun_allowed(request.user):
        raise PermissionDenied(RERUN_CREATOR_ONLY)
    if job_rerun(request.user, job):
        messages.success(request, "Đã đưa việc vào hàng đợi để chạy lại từ đầu.")
    else:
        messages.info(request, "Việc này không cần chạy lại.")
    back = request.POST.get("next", "")
    inside = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    return redirect(back if back and inside else job.get_absolute_url())


@require_GET
def guide(request):
    """Hướng dẫn sử dụng: docs/huong-dan-su-dung.md (raw HTML in it is escaped, see core.guide)."""
    body, toc = guide_html()
    return render(request, "core/guide.html", {"body": mark_safe(body), "toc": mark_safe(toc)})  # noqa: S308


@login_not_required
@require_GET
@cache_control(max_age=7 * 24 * 3600, public=True)
def favicon(request):
    """/favicon.ico, which browsers ask for on their own, before and without login."""
    icon = settings.BASE_DIR / "quantriet" / "static" / "favicon.ico"
    return FileResponse(icon.open("rb"), content_type="image/x-icon")


@login_not_required
@require_safe
@never_cache
def healthz(request):
    """/healthz, what the load balancer probes: this process answers.

    It touches no table on purpose: a slow database must not take every node out of the pool at
    once (the pages' own errors show that), and the check-in benchmark measures the framework's
    bare cost against it (`bare_rps`)."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("viec-nen/<int:pk>/", job, name="job"),
    path("viec-nen/<int:pk>/trang-thai/", job_status, name="job_status"),
    path("viec-nen/<int:pk>/chay-lai/", job_rerun_view, name="job_rerun"),
    path("huong-dan/", guide, name="guide"),
    path("favicon.ico", favicon, name="favicon"),
]
