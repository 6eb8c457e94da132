"""Pages of the documents app.

Every object is fetched through the access gate (``Document.objects.visible_to``), so a
document out of scope is a 404, the same as one that does not exist; then writes check the
role (in scope but not allowed → 403). Every change goes through a service in services.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from quantriet.core.files import download
from quantriet.core.text import search_text
from quantriet.org.models import CELL_KINDS, Organization, Role, granted_paths, has_role_on, subtree_q
from quantriet.org.policy import role_refusal
from quantriet.org.tree import is_root_path

from . import services
from .forms import AttachmentForm, DigestForm, DocumentFilterForm, DocumentForm
from .models import Attachment, Audience, Digest, Document

#: Roles allowed to register documents, attachments and digests for an organisation's subtree.
WRITE_ROLES = {Role.PROPAGANDA, Role.ADMIN}


def may_write_outside(user) -> bool:
    """Documents with no issuing organisation (central ones) are kept by province-level staff."""
    return any(is_root_path(path) for path in granted_paths(user, WRITE_ROLES))


def may_write(user, document: Document) -> bool:
    if document.issuing_org_id is None:
        return may_write_outside(user)
    return has_role_on(user, document.issuing_org, WRITE_ROLES)


def _write_refusal(document):
    """Central documents (no issuing organisation) are written by provincial staff only (may_write_outside)."""
    return role_refusal(WRITE_ROLES, document.issuing_org, where=None if document.issuing_org_id else "cấp tỉnh")


def writable_orgs(user):
    """Active organisations (not cells) a document may be issued by, for USER's form."""
    orgs = Organization.objects.filter(subtree_q(granted_paths(user, WRITE_ROLES))).active()
    return orgs.exclude(kind__in=CELL_KINDS)


def _visible_document(request, pk):
    queryset = Document.objects.visible_to(request.user).select_related("issuing_org")
    return get_object_or_404(queryset, pk=pk)


def _writable_document(request, pk):
    document = _visible_document(request, pk)
    if not may_write(request.user, document):
        raise _write_refusal(document)
    return document


def _apply(form, action):
    """Run ACTION if FORM is valid; a service's ValidationError becomes form errors."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except ValidationError as error:
        errors = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
        for field, items in errors.items():
            for item in items:
                form.add_error(field if field in form.fields else None, item)
        return None


def _form_page(request, form, title, submit, document=None, multipart=False):
    """The shared form page; Cancel goes back to DOCUMENT, or to the list for a new one."""
    cancel_url = _detail_url(document) if document else reverse("documents:list")
    context = {"form": form, "title": title, "submit": submit, "document": document, "cancel_url": cancel_url}
    return render(request, "documents/form.html", context | {"multipart": multipart})


@login_required
def document_list(request):
    query = request.GET.copy()
    if "q" in query:
        query["q"] = search_text(query["q"])  # bounded before it is searched, echoed or linked
    filters = DocumentFilterForm(query)
    documents = filters.filter(Document.objects.visible_to(request.user).select_related("issuing_org"))
    page = Paginator(documents, 30).get_page(request.GET.get("page"))
    query.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "query_string": query.urlencode(),
        "searching": bool(filters.cleaned_data.get("q") or filters.cleaned_data.get("loai")),
        "can_create": bool(granted_paths(request.user, WRITE_ROLES)),
    }
    return render(request, "documents/list.html", context)


@login_required
def document_detail(request, pk):
    document = _visible_document(request, pk)
    digests = {d.audience: d for d in document.digests.all()}
    context = {
        "document": document,
        "attachments": document.attachments.order_by("uploaded_at", "id"),
        "audiences": [(value, label, digests.get(value)) for value, label in Audience.choices],
        "has_digests": bool(digests),
        "can_write": may_write(request.user, document),
    }
    return render(request, "documents/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def document_create(request):
    if not granted_paths(request.user, WRITE_ROLES):
        raise role_refusal(WRITE_ROLES)
    orgs, outside = writable_orgs(request.user), may_write_outside(request.user)
    form = DocumentForm(request.POST or None, orgs=orgs, allow_outside=outside)
    document = _apply(form, lambda data: services.document_save(request.user, form.instance, data["symbol"]))
    if document:
        messages.success(request, f"Đã lưu {document}.")
        return redirect("documents:detail", pk=document.pk)
    return _form_page(request, form, "Thêm văn bản", "Lưu văn bản")


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request, pk):
    document = _writable_document(request, pk)
    title = f"Sửa {document}"
    orgs, outside = writable_orgs(request.user), may_write_outside(request.user)
    editing = Document.objects.get(pk=document.pk)  # a copy for the form to change; the page shows the saved one
    form = DocumentForm(request.POST or None, instance=editing, orgs=orgs, allow_outside=outside)
    if _apply(form, lambda data: services.document_save(request.user, form.instance, data["symbol"])):
        messages.success(request, "Đã lưu văn bản.")
        return redirect("documents:detail", pk=document.pk)
    return _form_page(request, form, title, "Lưu", document)


@login_required
@require_http_methods(["GET", "POST"])
def attachment_add(request, pk):
    document = _writable_document(request, pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)

    def add(data):
        upload = data["file"]
        return services.attachment_add(request.user, document, upload.name, upload.read())

    attachment = _apply(form, add)
    if attachment:
        messages.success(request, f"Đã đính kèm tệp “{attachment.name}”.")
        return redirect("documents:detail", pk=document.pk)
    title = f"Đính kèm tệp vào {document}"
    return _form_page(request, form, title, "Tải lên", document, multipart=True)


def _visible_attachment(request, pk):
    visible = Attachment.objects.filter(document__in=Document.objects.visible_to(request.user))
    return get_object_or_404(visible.select_related("document__issuing_org"), pk=pk)


@login_required
def attachment_download(request, pk):
    return download(_visible_attachment(request, pk))


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment = _visible_attachment(request, pk)
    document = attachment.document
    if not may_write(request.user, document):
        raise _write_refusal(document)
    services.attachment_delete(request.user, attachment)
    messages.success(request, f"Đã xóa tệp “{attachment.name}”.")
    return redirect("documents:detail", pk=document.pk)


@login_required
@require_http_methods(["GET", "POST"])
def digest_edit(request, pk, audience):
    document = _writable_document(request, pk)
    if audience not in Audience.values:
        raise Http404
    digest = Digest.objects.filter(document=document, audience=audience).first() or Digest(
        document=document, audience=audience, title=_digest_title(document, audience)
    )
    form = DigestForm(request.POST or None, instance=digest)
    if _apply(form, lambda data: services.digest_save(request.user, form.instance)):
        messages.success(request, f"Đã lưu tài liệu tóm tắt cho {digest.get_audience_display().lower()}.")
        return redirect("documents:detail", pk=document.pk)
    title = f"Tài liệu tóm tắt {document} — {digest.get_audience_display()}"
    return _form_page(request, form, title, "Lưu", document)


def _digest_title(document, audience):
    return f"{document.get_doc_type_display()} {document.symbol}: những điều {Audience(audience).label.lower()} cần nhớ"


def _detail_url(document):
    return reverse("documents:detail", args=[document.pk])
