"""Documents by id, through the gate and the policy (org.policy)."""

from quantriet.org.policy import VIEW, access

from .models import Document


def access_document(user, document_id, action=VIEW) -> Document:
    """The document DOCUMENT_ID in USER's scope (else 404) on which USER may do ACTION (else 403).

    The right is checked on the issuing organisation; a central document (no issuing organisation)
    is kept at the top of the tree (cấp tỉnh)."""
    documents = Document.objects.visible_to(user).select_related("issuing_org")
    return access(documents, document_id, user, action, org_of=lambda document: document.issuing_org)
