"""The document pages as a writer and a reader use them."""

import datetime

import pytest
from django.urls import reverse

from quantriet.core.models import AuditEntry
from quantriet.documents.models import Audience, Digest, DocType, Document
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Organization

from .conftest import make_document

pytestmark = pytest.mark.django_db

FORM = {
    "symbol": "Số: 970 - CT/TƯ",
    "doc_type": "",
    "title": "Về tăng cường học tập nghị quyết ở chi bộ",
    "issuer_name": "Ban Thường vụ Tỉnh ủy",
    "issued_on": "19/10/2025",
    "signer": "Nguyễn Văn Hai",
    "body": "1. Bí thư chi bộ trực tiếp quán triệt.\n2. Đảng viên viết thu hoạch.",
}


@pytest.fixture
def root():
    return Organization.objects.get(code=ROOT_CODE)


def test_create_page_parses_symbol_and_infers_type(client_as, root, users):
    client = client_as("tinh.tuyengiao")
    form = client.get(reverse("documents:create")).context["form"]
    assert not form.fields["issuing_org"].required  # province staff may register central documents
    response = client.post(reverse("documents:create"), FORM | {"issuing_org": root.pk})
    assert response.status_code == 302
    document = Document.objects.get(number="970", type_code="CT", issuer_code="TU", issuing_org=root)
    assert response["Location"] == reverse("documents:detail", args=[document.pk])
    assert document.doc_type == DocType.DIRECTIVE
    assert document.issued_on == datetime.date(2025, 10, 19)
    assert AuditEntry.objects.get(action="document.create", object_id=str(document.pk)).actor == users["tinh.tuyengiao"]


def test_central_document_needs_an_issuer_name(client_as):
    client = client_as("tinh.tuyengiao")
    response = client.post(reverse("documents:create"), FORM | {"symbol": "971-NQ/TW", "issuer_name": ""})
    assert response.status_code == 200
    assert "Hãy ghi cơ quan ban hành" in response.content.decode()
    response = client.post(reverse("documents:create"), FORM | {"symbol": "971-NQ/TW", "issuer_name": "Bộ Chính trị"})
    assert response.status_code == 302
    assert Document.objects.get(number="971", issuing_org=None).issuer_name == "Bộ Chính trị"


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"symbol": "30/2020/NĐ-CP"}, "không đúng dạng số và ký hiệu văn bản của Đảng"),
        ({"symbol": "972-QĐ/TW"}, "Không suy ra được loại văn bản từ ký hiệu “QĐ”"),
        ({"issued_on": "2025-31-12"}, "Nhập một ngày hợp lệ"),
        ({"title": ""}, "Trường này là bắt buộc"),
    ],
)
def test_create_page_shows_errors_in_vietnamese(client_as, changes, message):
    response = client_as("admin").post(reverse("documents:create"), FORM | changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Document.objects.filter(title=FORM["title"]).exists()


def test_duplicate_shown_on_the_form(client_as, root):
    make_document("973-CT/TU", root, day=datetime.date(2025, 10, 19))
    response = client_as("admin").post(
        reverse("documents:create"), FORM | {"symbol": "973-CT/TU", "issuing_org": root.pk}
    )
    assert response.status_code == 200
    assert "Đã có văn bản số 973-CT/TU ngày 19/10/2025" in response.content.decode()


def test_edit_page_shows_symbol_and_saves(client_as, root):
    document = make_document("974-KH/TU", root, day=datetime.date(2025, 1, 5), title="Cũ")
    client = client_as("tinh.tuyengiao")
    page = client.get(reverse("documents:edit", args=[document.pk])).content.decode()
    assert 'value="974-KH/TU"' in page and 'value="05/01/2025"' in page
    data = FORM | {"symbol": "974-KH/TU", "issued_on": "05/01/2025", "title": "Mới", "issuing_org": root.pk}
    assert client.post(reverse("documents:edit", args=[document.pk]), data).status_code == 302
    document.refresh_from_db()
    assert document.title == "Mới" and document.doc_type == DocType.PLAN
    entry = AuditEntry.objects.get(action="document.update", object_id=str(document.pk))
    assert entry.before["title"] == "Cũ" and entry.after["title"] == "Mới"


def test_detail_page(client_as, root):
    document = make_document(
        "975-CT/TU", root, day=datetime.date(2022, 10, 19), title="Về nêu cao trách nhiệm", signer="Kim Ngọc Thái"
    )
    document.body = "Đoạn một.\n\nĐoạn hai."
    document.save()
    Digest.objects.create(
        document=document, audience=Audience.PUBLIC, title="Bà con cần biết", key_points="- Ý thứ nhất\n- Ý thứ hai"
    )
    page = client_as("dangvien1").get(reverse("documents:detail", args=[document.pk])).content.decode()
    for text in ["Chỉ thị số 975-CT/TU", "19/10/2022", "Kim Ngọc Thái", "Về nêu cao trách nhiệm", "Đoạn hai."]:
        assert text in page, text
    assert "<li>Ý thứ nhất</li>" in page and "<li>Ý thứ hai</li>" in page and "Nhân dân" in page


def test_digest_page_creates_then_updates(client_as, root, users):
    document = make_document("976-NQ/TU", root, day=datetime.date(2025, 2, 2))
    url = reverse("documents:digest_edit", args=[document.pk, Audience.KEY_CADRES])
    client = client_as("tinh.tuyengiao")
    form = client.get(url).context["form"]
    assert form.initial["title"].startswith("Nghị quyết 976-NQ/TU")
    data = {"title": "Cán bộ chủ chốt cần làm", "key_points": "Chủ trì hội nghị\nLiên hệ thực tiễn"}
    assert client.post(url, data).status_code == 302
    digest = Digest.objects.get(document=document, audience=Audience.KEY_CADRES)
    assert digest.points() == ["Chủ trì hội nghị", "Liên hệ thực tiễn"]
    assert client.post(url, data | {"key_points": "Chủ trì hội nghị"}).status_code == 302
    assert Digest.objects.get(pk=digest.pk).points() == ["Chủ trì hội nghị"]
    assert [e.action for e in AuditEntry.objects.filter(object_id=str(digest.pk), object_type="documents.digest")] == [
        "digest.update",
        "digest.create",
    ]
    assert client.post(url, {"title": "x", "key_points": " - "}).status_code == 200
    detail = client_as("dangvien1").get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert "Cán bộ chủ chốt cần làm" in detail and "<li>Chủ trì hội nghị</li>" in detail
