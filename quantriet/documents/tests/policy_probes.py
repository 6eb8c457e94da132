"""Probes of `document.write` for the permission matrix driven by the policy
(quantriet/tests/test_policy_matrix.py): editing a document, its attachments and digests needs the
right on its issuing organisation, at the top of the tree (cấp tỉnh) for a central document;
the form for a new document needs it on some unit.

Reading (the list, a document, an attachment) only needs scope: test_permissions.py covers it.
"""

from django.urls import reverse

from quantriet.documents import services
from quantriet.documents.models import Audience, Document
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Organization
from quantriet.tests.policy import Probe

from .conftest import docx_bytes, make_document


def _anyone(user):
    """The form for a new document is about no one document: without the right anywhere, 403."""
    return True


def probes(users) -> list[Probe]:
    commune1 = users["xa1.bithu"].grants.get().org
    root = Organization.objects.get(code=ROOT_CODE)
    actor = users["admin"]
    documents = [
        make_document("951-NQ/TW", None, title="Nghị quyết thử của Trung ương (ma trận quyền)", actor=actor),
        make_document("952-CT/TU", root, title="Chỉ thị thử của Tỉnh ủy (ma trận quyền)", actor=actor),
        make_document("953-KH/ĐU", commune1, title="Kế hoạch thử của xã (ma trận quyền)", actor=actor),
    ]
    probes = [Probe("document.write", reverse("documents:create"), None, _anyone, anywhere=True)]
    for document in documents:
        org = document.issuing_org

        def seen(user, document=document):
            return Document.objects.visible_to(user).filter(pk=document.pk).exists()

        file = services.attachment_add(actor, document, "tep.docx", docx_bytes("Nội dung tệp"))
        probes += [
            Probe("document.write", reverse("documents:edit", args=[document.pk]), org, seen),
            Probe("document.write", reverse("documents:attachment_add", args=[document.pk]), org, seen),
            Probe(
                "document.write",
                reverse("documents:digest_edit", args=[document.pk, Audience.MEMBERS.value]),
                org,
                seen,
            ),
            Probe("document.write", reverse("documents:attachment_delete", args=[file.pk]), org, seen, "post", ok=302),
        ]
    return probes
