"""The page of a background job (việc nền, see core.jobs): its creator and superusers only, else 404."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_GET

from .models import Job


def _job(request, pk):
    return get_object_or_404(Job.objects.visible_to(request.user), pk=pk)


@login_required
@require_GET
def job(request, pk):
    """Việc nền: the progress bar, polling itself until the job is finished, then the result."""
    return render(request, "core/job.html", {"job": _job(request, pk)})


@login_required
@require_GET
def job_status(request, pk):
    """The part of the job page htmx fetches every second while the job runs."""
    return render(request, "core/_job_status.html", {"job": _job(request, pk)})


urlpatterns = [
    path("viec-nen/<int:pk>/", job, name="job"),
    path("viec-nen/<int:pk>/trang-thai/", job_status, name="job_status"),
]
