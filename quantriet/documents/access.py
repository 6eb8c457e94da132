"""Documents and their attachments by id, through the gate and the policy (org.policy)."""

from quantriet.org.policy import VIEW, access

from .models import Attachment, Document


def access_document(user, document_id, action=VIEW) -> Document:
    """The document DOCUMENT_ID in USER's scope (else 404) on which USER may do ACTION (else 403).

    The right is checked on the issuing organisation; a central document (no issuing organisation)
    is kept at the top of the tree (cấp tỉnh)."""
    documents = Document.objects.visible_to(user).select_related("issuing_org")
    return access(documents, document_id, user, action, org_of=lambda document: document.issuing_org)


def access_attachment(user, attachment_id, action=VIEW) -> Attachment:
    """The attachment ATTACHMENT_ID of a document in USER's scope (else 404); ACTION is checked as
    on its document (else 403)."""
    attachments = Attachment.objects.filter(document__in=Document.objects.visible_to(user))
    attachments = attachments.select_related("document__issuing_org")
    return access(attachments, attachment_id, user, action, org_of=lambda attachment: attachment.document.issuing_org)
