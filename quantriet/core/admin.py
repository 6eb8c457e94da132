from django.conf import settings
from django.contrib import admin
from django.utils import timezone

from .audit import audit_record, snapshot
from .models import AuditEntry, Job, WorkerBeat
from .people import person_name


@admin.display(description="người thực hiện")
def actor_name(entry):
    return person_name(entry.actor)


@admin.display(description="người tạo")
def creator_name(job):
    return person_name(job.created_by)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the code writes and nobody edits in the admin: listed and opened, never added, changed or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the audit log is written by services, never edited."""

    list_display = ["at", actor_name, "action", "object_type", "object_repr"]
    list_select_related = ["actor__member"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "object_id", "actor__username"]
    date_hierarchy = "at"


class AuditedAdmin(admin.ModelAdmin):
    """Admin pages write through here so admin edits are audited like any other write."""

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        audit_record(request.user, "admin.change" if change else "admin.add", obj, before, snapshot(obj))

    def delete_model(self, request, obj):
        audit_record(request.user, "admin.delete", obj, snapshot(obj), None)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        """The inline rows (a criteria set's bands, say) are audited one by one, as the parent is."""
        before = {obj.pk: snapshot(type(obj).objects.get(pk=obj.pk)) for obj in formset.get_queryset() if obj.pk}
        super().save_formset(request, form, formset, change)
        for obj in formset.deleted_objects:
            audit_record(request.user, "admin.delete", obj, before.get(obj.pk), None)
        for obj in formset.new_objects:
            audit_record(request.user, "admin.add", obj, None, snapshot(obj))
        for obj, _fields in formset.changed_objects:
            audit_record(request.user, "admin.change", obj, before.get(obj.pk), snapshot(obj))


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Read-only: jobs are written by `core.jobs` only."""

    list_display = ["created_at", "label", "kind", "status", "done", "total", creator_name]
    list_select_related = ["created_by__member"]
    list_filter = ["status", "kind"]
    search_fields = ["label", "key", "created_by__username"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).defer("payload")  # a queued upload may weigh megabytes

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WorkerBeat)
class WorkerBeatAdmin(ReadOnlyAdmin):
    """Read-only: the task workers and their last sign of life (core.workers), for the operator
    who wonders whether the workers run."""

    list_display = ["worker_id", "host", "pid", "started_at", "seen_at", "alive"]
    ordering = ["-seen_at"]

    @admin.display(description="còn chạy", boolean=True)
    def alive(self, beat):
        return (timezone.now() - beat.seen_at).total_seconds() < settings.WORKER_DEAD_SECONDS
