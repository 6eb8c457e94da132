"""`{% waiting_jobs as waiting %}`: background jobs queued too long, for the admin's index page."""

from django import template
from django.urls import reverse
from django.utils import timezone

from quantriet.core.models import Job, JobStatus, queue_warning_after

from ..tasks import ROSTER_IMPORT_KIND

register = template.Library()


@register.simple_tag
def waiting_jobs() -> list[tuple[str, str]]:
    """(admin list url, warning) for the other background jobs, then for the roster imports, waiting
    longer than the warning delay."""
    delay = queue_warning_after()
    waiting = Job.objects.filter(status=JobStatus.QUEUED, created_at__lt=timezone.now() - delay)
    counts = [
        ("việc nền", waiting.exclude(kind=ROSTER_IMPORT_KIND).count(), ""),
        ("lượt nhập danh sách", waiting.filter(kind=ROSTER_IMPORT_KIND).count(), f"&kind__exact={ROSTER_IMPORT_KIND}"),
    ]
    minutes = int(delay.total_seconds() // 60)
    return [
        (
            reverse("admin:core_job_changelist") + "?status__exact=queued" + narrowed,
            f"{count} {label} đã chờ hơn {minutes} phút mà chưa được xử lý: có thể tiến trình nền (db_worker) đã dừng.",
        )
        for label, count, narrowed in counts
        if count
    ]
