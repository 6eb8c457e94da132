"""Uploads: real .docx and .pdf files are read and made searchable; anything else is refused."""

import datetime
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quantriet.core.models import AuditEntry
from quantriet.documents import services
from quantriet.documents.models import Attachment, Document
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Organization

from .conftest import docx_bytes, make_document, pdf_bytes, zip_bomb_docx

pytestmark = pytest.mark.django_db


@pytest.fixture
def document():
    root = Organization.objects.get(code=ROOT_CODE)
    return make_document("950-KH/TU", root, day=datetime.date(2025, 7, 1), title="Kế hoạch có tệp đính kèm")


def visible_ids(user, text):
    return set(Document.objects.visible_to(user).search(text).values_list("pk", flat=True))


def stored_files(media_root):
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def test_docx_text_is_extracted_and_searchable(document, users, media_root):
    data = docx_bytes(
        "Phụ lục: lịch học tập Nghị quyết",
        "Đợt một dành cho cán bộ chủ chốt",
        table=[["Đơn vị", "Thời gian"], ["Xã Đông Hải", "tháng 9"]],
    )
    attachment = services.attachment_add(users["tinh.tuyengiao"], document, "Phụ lục lịch học.docx", data)
    assert "Đợt một dành cho cán bộ chủ chốt" in attachment.text
    assert "Xã Đông Hải tháng 9" in attachment.text  # table cells too
    assert attachment.name == "Phụ lục lịch học.docx" and attachment.size == len(data)
    assert attachment.file.name.startswith(f"documents/{document.pk}/") and attachment.file.name.endswith(".docx")
    assert attachment.file.read() == data
    assert document.pk in visible_ids(users["xa1.bithu"], "dot mot can bo chu chot dong hai")
    entry = AuditEntry.objects.get(action="attachment.add", object_id=str(attachment.pk))
    assert entry.actor == users["tinh.tuyengiao"] and entry.after["name"] == "Phụ lục lịch học.docx"


def test_pdf_text_is_extracted_and_searchable(document, users):
    data = pdf_bytes("Kế hoạch học tập Nghị quyết 57 (đợt 2)", "Chuyển đổi số quốc gia")
    attachment = services.attachment_add(None, document, "ke-hoach.pdf", data)
    assert "Kế hoạch học tập Nghị quyết 57 (đợt 2)" in attachment.text
    assert document.pk in visible_ids(users["dangvien1"], "dot 2 chuyen doi so")


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("ghi-chu.pdf", "Đây là tệp văn bản thuần, không phải PDF".encode(), "không phải tệp .pdf hợp lệ"),
        ("ghi-chu.docx", b"plain text renamed", "không phải tệp .docx hợp lệ"),
        ("ghi-chu.txt", b"plain text", "Chỉ nhận tệp .docx, .pdf"),
        ("chuong-trinh.exe", b"MZ\x90\x00", "Chỉ nhận tệp .docx, .pdf"),
        ("khong-duoi", b"%PDF-1.4", "Chỉ nhận tệp .docx, .pdf"),
        ("bom.docx", None, "Tệp nén bất thường"),
        ("hong.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog", "Không đọc được nội dung tệp"),
        ("hong.docx", b"PK\x03\x04 not really a zip", "Không đọc được nội dung tệp"),
    ],
)
def test_bad_files_refused_and_nothing_kept(document, media_root, name, data, message):
    data = zip_bomb_docx() if data is None else data
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        services.attachment_add(None, document, name, data)
    assert message in error.value.messages[0]
    assert not document.attachments.exists()
    assert stored_files(media_root) == []
    assert AuditEntry.objects.count() == audits


def test_oversize_file_refused(document, settings, media_root):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    noise = random.Random(1).randbytes(1_200_000).hex()  # compresses only by half
    data = docx_bytes("Phụ lục", noise)  # a real .docx, over 1 MB
    assert len(data) > settings.UPLOAD_MAX_BYTES
    with pytest.raises(ValidationError) as error:
        services.attachment_add(None, document, "lon.docx", data)
    assert "quá lớn (tối đa 1 MB)" in error.value.messages[0]
    assert not document.attachments.exists() and stored_files(media_root) == []


def test_path_in_name_is_dropped(document):
    attachment = services.attachment_add(None, document, "../../etc/Kế hoạch.pdf", pdf_bytes("Noi dung"))
    assert attachment.name == "Kế hoạch.pdf"
    assert attachment.file.name.startswith(f"documents/{document.pk}/ke-hoach")


def test_delete_removes_file_words_and_audits(document, users, media_root, django_capture_on_commit_callbacks):
    attachment = services.attachment_add(None, document, "a.docx", docx_bytes("Từ khóa riêng Xờ Lờ Mờ"))
    pk = attachment.pk
    assert document.pk in visible_ids(users["admin"], "xo lo mo")
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(users["admin"], attachment)
    assert not Attachment.objects.filter(pk=pk).exists()
    assert document.pk not in visible_ids(users["admin"], "xo lo mo")
    assert stored_files(media_root) == []
    entry = AuditEntry.objects.get(action="attachment.delete", object_id=str(pk))
    assert entry.actor == users["admin"] and entry.before["name"] == "a.docx" and entry.after is None


# ------------------------------------------------------------------ through the pages


def upload(client, document, name, data):
    return client.post(
        reverse("documents:attachment_add", args=[document.pk]), {"file": SimpleUploadedFile(name, data)}
    )


def test_upload_page_and_download(document, client_as):
    client = client_as("tinh.tuyengiao")
    data = pdf_bytes("Tai lieu hoi nghi")
    response = upload(client, document, "Tài liệu hội nghị.pdf", data)
    assert response.status_code == 302 and response["Location"] == reverse("documents:detail", args=[document.pk])
    attachment = document.attachments.get()
    assert attachment.text.strip() == "Tai lieu hoi nghi"
    detail = client.get(response["Location"]).content.decode()
    assert reverse("documents:attachment", args=[attachment.pk]) in detail and "Tài liệu hội nghị.pdf" in detail
    download = client_as("dangvien1").get(reverse("documents:attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == data


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("doi-duoi.pdf", b"chi la van ban", "không phải tệp .pdf hợp lệ"),
        ("bang-tinh.xlsx", b"PK\x03\x04", "Chỉ nhận tệp .docx, .pdf"),
        ("bom.docx", None, "Tệp nén bất thường"),
    ],
)
def test_upload_page_shows_the_reason(document, client_as, name, data, message):
    response = upload(client_as("admin"), document, name, zip_bomb_docx() if data is None else data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not document.attachments.exists()


def test_upload_page_refuses_oversize_before_reading(document, client_as, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    response = upload(client_as("admin"), document, "lon.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    assert response.status_code == 200
    assert "quá lớn (tối đa 1 MB)" in response.content.decode()
    assert not document.attachments.exists()


def test_download_of_a_missing_file_is_404(document, client_as):
    attachment = services.attachment_add(None, document, "a.pdf", pdf_bytes("x"))
    attachment.file.storage.delete(attachment.file.name)
    assert client_as("admin").get(reverse("documents:attachment", args=[attachment.pk])).status_code == 404


def test_delete_through_the_page(document, client_as):
    attachment = services.attachment_add(None, document, "a.pdf", pdf_bytes("x"))
    response = client_as("admin").post(reverse("documents:attachment_delete", args=[attachment.pk]))
    assert response.status_code == 302
    assert not document.attachments.exists()
