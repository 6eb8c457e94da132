"""The permission matrix of the documents pages against the six personas.

Reading follows Document.objects.visible_to: central documents for everyone signed in, a
level's documents for that level and every level below it, never a sibling commune's.
Writing needs Tuyên giáo or Quản trị on the issuing organisation (on a root organisation for
central documents). Out of scope is 404, in scope without the role 403, anonymous → login.
"""

import pytest
from django.urls import reverse

from quantriet.core.models import AuditEntry
from quantriet.documents import urls
from quantriet.documents.models import Attachment, Audience, Digest, Document
from quantriet.org.models import Grant, Role
from quantriet.tests.matrix import ALL, anonymous_failures, expect, page_failures

from .conftest import docx_bytes, make_document

MEMBERS = Audience.MEMBERS.value


READ = {
    "central": expect(others=200),
    "province": expect(outsider=404, others=200),
    "c1": expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, dangvien1=200, others=404),
    "c2": expect(admin=200, tinh_tuyengiao=200, xa2_bithu=200, others=404),
}
WRITE = {
    "central": expect(admin=200, tinh_tuyengiao=200, others=403),
    "province": expect(admin=200, tinh_tuyengiao=200, outsider=404, others=403),
    "c1": expect(admin=200, tinh_tuyengiao=200, xa1_bithu=403, dangvien1=403, others=404),
    "c2": expect(admin=200, tinh_tuyengiao=200, xa2_bithu=403, others=404),
}


def page_matrix(w):
    docs, files = w["docs"], w["attachments"]
    rows = [
        ("list", [], "get", {}, expect(others=200)),
        ("create", [], "get", {}, expect(admin=200, tinh_tuyengiao=200, others=403)),
    ]
    for key in ["central", "province", "c1", "c2"]:
        doc, file = docs[key], files[key]
        rows += [
            ("detail", [doc.pk], "get", {}, READ[key]),
            ("attachment", [file.pk], "get", {}, READ[key]),
            ("edit", [doc.pk], "get", {}, WRITE[key]),
            ("attachment_add", [doc.pk], "get", {}, WRITE[key]),
            ("digest_edit", [doc.pk, MEMBERS], "get", {}, WRITE[key]),
            ("attachment_delete", [file.pk], "get", {}, expect(others=405)),  # POST only; see below
        ]
    return rows


def test_every_page_is_in_the_matrix(world):
    """A new view must be added to the matrix (and so get its negative access test)."""
    covered = {name for name, *_ in page_matrix(world)}
    named = {p.name for p in urls.urlpatterns if p.name}
    assert named and named - covered == set()


@pytest.mark.parametrize("persona", ALL)
def test_pages(persona, client_as, world):
    assert page_failures(page_matrix(world), client_as, "documents", personas=[persona]) == []


def test_anonymous_is_sent_to_login(client_as, world):
    """Every page, with GET and with POST."""
    rows = [
        (name, args, method, {}, codes) for name, args, _, _, codes in page_matrix(world) for method in ("get", "post")
    ]
    assert anonymous_failures(rows, client_as, "documents") == []


def _posts(w):
    """Every write, as (url, data, which document it touches)."""
    posts = []
    for key, doc in w["docs"].items():
        posts += [
            (
                reverse("documents:edit", args=[doc.pk]),
                {"symbol": "999-CT/TU", "title": "Đổi", "issued_on": "01/01/2026"},
                key,
            ),
            (reverse("documents:attachment_add", args=[doc.pk]), {"file": _upload()}, key),
            (reverse("documents:digest_edit", args=[doc.pk, MEMBERS]), {"title": "Đổi", "key_points": "Đổi"}, key),
            (reverse("documents:attachment_delete", args=[w["attachments"][key].pk]), {}, key),
        ]
    return posts


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("moi.docx", docx_bytes("Tệp mới"))


@pytest.mark.parametrize("persona", ["xa1.bithu", "xa2.bithu", "dangvien1", "outsider"])
def test_writes_refused_before_any_change(persona, client_as, world):
    client = client_as(persona)
    before = (
        list(Document.objects.order_by("pk").values_list("number", "title")),
        Attachment.objects.count(),
        list(Digest.objects.order_by("pk").values_list("title", "key_points")),
        AuditEntry.objects.count(),
    )
    for url, data, key in _posts(world):
        assert client.post(url, data).status_code == WRITE[key][persona], (persona, url)
    data = {"symbol": "998-CT/TU", "title": "Mới", "issued_on": "01/01/2026"}
    assert client.post(reverse("documents:create"), data).status_code == 403
    after = (
        list(Document.objects.order_by("pk").values_list("number", "title")),
        Attachment.objects.count(),
        list(Digest.objects.order_by("pk").values_list("title", "key_points")),
        AuditEntry.objects.count(),
    )
    assert after == before


@pytest.fixture
def commune_propagandist(users, world):
    """xa1.bithu also holds Tuyên giáo on the first commune (a commune-level writer)."""
    user = users["xa1.bithu"]
    Grant.objects.create(user=user, org=world["c1"], role=Role.PROPAGANDA)
    return user


def test_commune_writer_writes_only_for_their_commune(commune_propagandist, client_as, world):
    client = client_as("xa1.bithu")
    docs = world["docs"]
    assert client.get(reverse("documents:edit", args=[docs["c1"].pk])).status_code == 200
    assert client.get(reverse("documents:edit", args=[docs["province"].pk])).status_code == 403
    assert client.get(reverse("documents:edit", args=[docs["central"].pk])).status_code == 403
    assert client.get(reverse("documents:edit", args=[docs["c2"].pk])).status_code == 404
    form = client.get(reverse("documents:create")).context["form"]
    choices = set(form.fields["issuing_org"].queryset.values_list("pk", flat=True))
    assert world["c1"].pk in choices and world["root"].pk not in choices and world["c2"].pk not in choices
    assert form.fields["issuing_org"].required  # no central documents for a commune writer
    data = {"symbol": "10-KH/ĐU", "title": "Kế hoạch của xã", "issued_on": "02/02/2026"}
    refused = client.post(reverse("documents:create"), data | {"issuing_org": world["root"].pk})
    assert refused.status_code == 200 and not Document.objects.filter(number="10", issuer_code="ĐU").exists()
    missing = client.post(reverse("documents:create"), data)
    assert missing.status_code == 200 and missing.context["form"].errors["issuing_org"]
    created = client.post(reverse("documents:create"), data | {"issuing_org": world["c1"].pk})
    assert created.status_code == 302
    document = Document.objects.get(number="10", issuer_code="ĐU", issuing_org=world["c1"])
    assert document.issuer_name == world["c1"].name  # taken from the organisation when left blank
    assert client_as("xa2.bithu").get(reverse("documents:detail", args=[document.pk])).status_code == 404


def test_edit_links_only_for_writers(client_as, world):
    url = reverse("documents:detail", args=[world["docs"]["province"].pk])
    edit = reverse("documents:edit", args=[world["docs"]["province"].pk])
    assert edit in client_as("tinh.tuyengiao").get(url).content.decode()
    for persona in ["xa1.bithu", "dangvien1"]:
        page = client_as(persona).get(url).content.decode()
        assert edit not in page and "Xóa" not in page
    assert "Thêm văn bản" in client_as("tinh.tuyengiao").get(reverse("documents:list")).content.decode()
    assert "Thêm văn bản" not in client_as("xa1.bithu").get(reverse("documents:list")).content.decode()


def test_unknown_audience_is_404(client_as, world):
    url = reverse("documents:digest_edit", args=[world["docs"]["province"].pk, "ai-do"])
    assert client_as("admin").get(url).status_code == 404


def test_list_shows_only_visible_documents(client_as, world):
    docs = world["docs"]
    page = client_as("xa1.bithu").get(reverse("documents:list"), {"q": "thu"}).content.decode()
    assert "Kế hoạch thử của xã thứ nhất" in page and "Kế hoạch thử của xã thứ hai" not in page
    page = client_as("outsider").get(reverse("documents:list"), {"q": "thu"}).content.decode()
    assert docs["central"].title in page and docs["province"].title not in page


@pytest.mark.django_db
def test_inactive_user_sees_nothing(users):
    user = users["tinh.tuyengiao"]
    make_document("960-NQ/TW", None)
    user.is_active = False
    assert not Document.objects.visible_to(user).exists()
