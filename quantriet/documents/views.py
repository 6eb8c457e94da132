"""Pages of the documents app.

Every object is fetched through ``access_document`` / ``access_attachment`` (documents/access.py):
a document out of scope is a 404, the same as one that does not exist; writes need the policy's
``document.write`` on the issuing organisation (in scope but not allowed → 403; a central document
is kept at the top of the tree). Every change goes through a service in services.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from quantriet.core.files import download
from quantriet.core.text import search_text
from quantriet.org.models import CELL_KINDS
from quantriet.org.policy import can, holds_anywhere, orgs_where, require_anywhere

from . import services
from .access import access_attachment, access_document
from .forms import AttachmentForm, DigestForm, DocumentFilterForm, DocumentForm
from .models import Audience, Digest, Document


def may_write_outside(user) -> bool:
    """Documents with no issuing organisation (central ones) are kept by province-level staff."""
    return can(user, "document.write", None)


def writable_orgs(user):
    """Active organisations (not cells) a document may be issued by, for USER's form."""
    return orgs_where(user, "document.write").active().exclude(kind__in=CELL_KINDS)


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
        "can_create": holds_anywhere(request.user, "document.write"),
    }
    return render(request, "documents/list.html", context)


def document_detail(request, pk):
    document = access_document(request.user, pk)
    digests = {d.audience: d for d in document.digests.all()}
    context = {
        "document": document,
        "attachments": document.attachments.order_by("uploaded_at", "id"),
        "audiences": [(value, label, digests.get(value)) for value, label in Audience.choices],
        "has_digests": bool(digests),
        "can_write": can(request.user, "document.write", document.issuing_org),
    }
    return render(request, "documents/detail.html", context)


@require_http_methods(["GET", "POST"])
def document_create(request):
    require_anywhere(request.user, "document.write")
    orgs, outside = writable_orgs(request.user), may_write_outside(request.user)
    form = DocumentForm(request.POST or None, orgs=orgs, allow_outside=outside)
    document = _apply(form, lambda data: services.document_save(request.user, form.instance, data["symbol"]))
    if document:
        messages.success(request, f"Đã lưu {document}.")
        return redirect("documents:detail", pk=document.pk)
    return _form_page(request, form, "Thêm văn bản", "Lưu văn bản")


@require_http_methods(["GET", "POST"])
def document_edit(request, pk):
    document = access_document(request.user, pk, "document.write")
    title = f"Sửa {document}"
    orgs, outside = writable_orgs(request.user), may_write_outside(request.user)
    editing = Document.objects.get(pk=document.pk)  # a copy for the form to change; the page shows the saved one
    form = DocumentForm(request.POST or None, instance=editing, orgs=orgs, allow_outside=outside)
    if _apply(form, lambda data: services.document_save(request.user, form.instance, data["symbol"])):
        messages.success(request, "Đã lưu văn bản.")
        return redirect("documents:detail", pk=document.pk)
    return _form_page(request, form, title, "Lưu", document)


@require_http_methods(["GET", "POST"])
def attachment_add(request, pk):
    document = access_document(request.user, pk, "document.write")
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


def attachment_download(request, pk):
    return download(access_attachment(request.user, pk))


@require_POST
def attachment_delete(request, pk):
    attachment = access_attachment(request.user, pk, "document.write")
    document = attachment.document
    services.attachment_delete(request.user, attachment)
    messages.success(request, f"Đã xóa tệp “{attachment.name}”.")
    return redirect("documents:detail", pk=document.pk)


@require_http_methods(["GET", "POST"])
def digest_edit(request, pk, audience):
    document = access_document(request.user, pk, "document.write")
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
