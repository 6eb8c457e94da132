from django.contrib import admin

from quantriet.core.admin import AuditedAdmin

from . import services
from .models import Attachment, Digest, Document


def _refresh_search_text(document):
    document.refresh_search_text()
    Document.objects.filter(pk=document.pk).update(search_text=document.search_text)


@admin.register(Document)
class DocumentAdmin(AuditedAdmin):
    list_display = ["symbol", "doc_type", "issued_on", "title", "issuer_name"]
    list_filter = ["doc_type", "issuer_code"]
    search_fields = ["number", "title", "issuer_name"]
    date_hierarchy = "issued_on"
    raw_id_fields = ["issuing_org", "created_by"]

    @admin.display(description="số, ký hiệu")
    def symbol(self, obj):
        return obj.symbol

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _refresh_search_text(obj)


@admin.register(Digest)
class DigestAdmin(AuditedAdmin):
    list_display = ["title", "audience", "document", "updated_at"]
    list_filter = ["audience"]
    raw_id_fields = ["document"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _refresh_search_text(obj.document)

    def delete_model(self, request, obj):
        document = obj.document
        super().delete_model(request, obj)
        _refresh_search_text(document)


@admin.register(Attachment)
class AttachmentAdmin(AuditedAdmin):
    """Read-only apart from deletion: uploads go through the document page, which extracts the text."""

    list_display = ["name", "document", "size", "uploaded_at"]
    readonly_fields = ["document", "file", "name", "size", "text", "uploaded_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.attachment_delete(request.user, obj)
