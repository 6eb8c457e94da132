from django.contrib import admin

from quantriet.core.admin import AuditedAdmin

from .models import Grant, Member, MemberTransfer, Organization, Position, TransferRequest


@admin.register(Organization)
class OrganizationAdmin(AuditedAdmin):
    """Edits a unit's own fields only: adding, moving and merging go through the org pages'
    services, which keep the tree consistent and audited."""

    list_display = ["name", "code", "kind", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name_folded", "code"]
    fields = ["code", "name", "kind", "valid_from", "valid_to", "successor", "path", "depth"]
    readonly_fields = ["kind", "successor", "path", "depth"]
    ordering = ["path"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Member)
class MemberAdmin(AuditedAdmin):
    list_display = ["full_name", "card_number", "status", "cell"]
    list_filter = ["status", "gender"]
    search_fields = ["full_name_folded", "card_number", "record_number"]
    raw_id_fields = ["cell", "user"]


@admin.register(Position)
class PositionAdmin(AuditedAdmin):
    list_display = ["member", "title", "org", "start", "end"]
    list_filter = ["title"]
    raw_id_fields = ["member", "org"]


@admin.register(Grant)
class GrantAdmin(AuditedAdmin):
    list_display = ["user", "role", "org"]
    list_filter = ["role"]
    raw_id_fields = ["org"]


@admin.register(MemberTransfer)
class MemberTransferAdmin(AuditedAdmin):
    list_display = ["member", "from_cell", "to_cell", "on", "kind"]
    raw_id_fields = ["member", "from_cell", "to_cell"]


@admin.register(TransferRequest)
class TransferRequestAdmin(admin.ModelAdmin):
    """Read-only here: a request is decided on its page (/de-nghi-chuyen-sinh-hoat/), through the service."""

    list_display = ["number", "member", "to_cell", "requested_by", "status", "created_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in TransferRequest._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
