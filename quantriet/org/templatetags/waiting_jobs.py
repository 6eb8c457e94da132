"""`{% waiting_jobs as waiting %}`: background jobs queued too long, for the admin's index page."""

from django import template
from django.urls import reverse
from django.utils import timezone

from quantriet.core.models import Job, JobStatus, queue_warning_after

from ..models import ImportStatus, RosterImportJob

register = template.Library()


@register.simple_tag
def waiting_jobs() -> list[tuple[str, str]]:
    """(admin list url, warning) for each kind of job waiting longer than the warning delay."""
    delay = queue_warning_after()
    before = timezone.now() - delay
    counts = [
        ("việc nền", Job.objects.filter(status=JobStatus.QUEUED, created_at__lt=before).count(), "core_job"),
        (
            "lượt nhập danh sách",
            RosterImportJob.objects.filter(status=ImportStatus.QUEUED, created_at__lt=before).count(),
            "org_rosterimportjob",
        ),
    ]
    minutes = int(delay.total_seconds() // 60)
    return [
        (
            reverse(f"admin:{name}_changelist") + "?status__exact=queued",
            f"{count} {label} đã chờ hơn {minutes} phút mà chưa được xử lý: có thể tiến trình nền (db_worker) đã dừng.",
        )
        for label, count, name in counts
        if count
    ]
