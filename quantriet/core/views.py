"""Pages of no one app: a background job's progress (việc nền, see core.jobs: its creator and
superusers only, else 404), the user guide (every signed-in user) and the favicon (public)."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_safe

from .guide import guide as guide_html
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
    path("huong-dan/", guide, name="guide"),
    path("favicon.ico", favicon, name="favicon"),
]
