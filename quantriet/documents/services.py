"""Writes to party documents, their attachments and digests.

Each function runs in one transaction, keeps the document's search text current and leaves an
audit entry. Permission checks belong to the caller (views check the role, then call here).
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction

from quantriet.core.audit import audit_record, snapshot
from quantriet.core.files import read_upload, store_upload
from quantriet.core.text import nfc, vn_date

from .models import TYPE_BY_CODE, Attachment, Digest, Document
from .symbols import parse_symbol


def _apply_symbol(document: Document, text: str) -> None:
    """Set number, type code and issuer code from TEXT such as "Số: 28-CT/TƯ"."""
    symbol = parse_symbol(unicodedata.normalize("NFC", text or ""))
    document.number, document.type_code, document.issuer_code = symbol.number, symbol.type_code, symbol.issuer_code


def _infer_type(document: Document) -> None:
    if document.doc_type:
        return
    inferred = TYPE_BY_CODE.get(document.type_code)
    if inferred is None:
        raise ValidationError(
            {
                "doc_type": f"Không suy ra được loại văn bản từ ký hiệu “{document.type_code}”; "
                "hãy chọn loại văn bản (ví dụ QĐ có thể là Quyết định hoặc Quy định)."
            }
        )
    document.doc_type = inferred


def _normalise_text(document: Document) -> None:
    """NFC everywhere (pasted Vietnamese is often decomposed); one-line fields lose stray spaces."""
    document.title, document.issuer_name, document.signer = (
        nfc(document.title),
        nfc(document.issuer_name),
        nfc(document.signer),
    )
    document.body = unicodedata.normalize("NFC", document.body or "").strip()


def _check_key(document: Document) -> None:
    """Refuse a second document with the same number, symbol, issuer and date (in Vietnamese)."""
    twins = Document.objects.filter(
        number=document.number,
        type_code=document.type_code,
        issuer_code=document.issuer_code,
        issued_on=document.issued_on,
        issuing_org=document.issuing_org_id,
    ).exclude(pk=document.pk)
    if document.issued_on and twins.exists():
        raise ValidationError(
            f"Đã có văn bản số {document.symbol} ngày {vn_date(document.issued_on)} "
            "của cùng cơ quan ban hành; hãy kiểm tra lại số, ký hiệu hoặc ngày ban hành."
        )


def _save_search_text(document: Document) -> None:
    document.refresh_search_text()
    Document.objects.filter(pk=document.pk).update(search_text=document.search_text)


@transaction.atomic
def document_save(actor, document: Document, symbol: str | None = None) -> Document:
    """Create or update DOCUMENT; SYMBOL is the "số, ký hiệu" text (default: the current one).

    The type is inferred from the symbol's type code when not given. ValidationError (in
    Vietnamese) leaves the database unchanged.
    """
    creating = document.pk is None
    before = None if creating else snapshot(Document.objects.get(pk=document.pk))
    _apply_symbol(document, document.symbol if symbol is None else symbol)
    _normalise_text(document)
    _infer_type(document)
    if creating and document.created_by_id is None and getattr(actor, "pk", None):
        document.created_by = actor
    _check_key(document)
    document.full_clean()
    document.save()
    _save_search_text(document)
    audit_record(actor, "document.create" if creating else "document.update", document, before, snapshot(document))
    return document


def _attachment_state(attachment: Attachment) -> dict:
    return {
        "document": attachment.document_id,
        "name": attachment.name,
        "size": attachment.size,
        "file": attachment.file.name,
    }


def attachment_add(actor, document: Document, name: str, data: bytes) -> Attachment:
    """Store a .pdf or .docx file with its extracted text; refuse anything else (ValidationError).

    The file is read before the transaction opens, so the transaction stays short.
    """
    upload = read_upload(name, data)
    with transaction.atomic():
        attachment = store_upload(Attachment(document=document), upload)
        try:
            _save_search_text(document)
            audit_record(actor, "attachment.add", attachment, None, _attachment_state(attachment))
        except BaseException:
            attachment.file.delete(save=False)  # no file left behind by a failed write
            raise
        return attachment


@transaction.atomic
def attachment_delete(actor, attachment: Attachment) -> None:
    """Remove ATTACHMENT and its file; the document's search text forgets its words."""
    document = attachment.document
    state = _attachment_state(attachment)
    audit_record(actor, "attachment.delete", attachment, state, None)
    file = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: file.delete(save=False))
    _save_search_text(document)


@transaction.atomic
def digest_save(actor, digest: Digest) -> Digest:
    """Create or update the digest of a document for one audience."""
    creating = digest.pk is None
    before = None if creating else snapshot(Digest.objects.get(pk=digest.pk))
    if creating and Digest.objects.filter(document=digest.document_id, audience=digest.audience).exists():
        raise ValidationError(
            f"Văn bản này đã có tài liệu tóm tắt cho đối tượng “{digest.get_audience_display()}”; hãy sửa bản đã có."
        )
    digest.full_clean()
    if not digest.points():
        raise ValidationError({"key_points": "Cần ít nhất một ý cốt lõi (mỗi ý một dòng)."})
    digest.save()
    _save_search_text(digest.document)
    audit_record(actor, "digest.create" if creating else "digest.update", digest, before, snapshot(digest))
    return digest
