"""The "Chạy lại" button of a job whose worker died (core.workers), on every page showing a job."""

from django import template

register = template.Library()


@register.inclusion_tag("core/_job_rerun.html", takes_context=True)
def job_rerun_button(context, job, next_url=""):
    """The button, for a failed job that may run again (``resumable``) and a user who may start it;
    NEXT_URL: the page to come back to (default the job's own page)."""
    user = context["request"].user
    shown = job.status == "failed" and job.resumable and job.rerun_allowed(user)
    return {"shown": shown, "job": job, "next": next_url, "csrf_token": context.get("csrf_token")}
