"""Files kept with a conference: minutes, slides, a photo of the paper attendance sheet."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quantriet.core.models import AuditEntry
from quantriet.study.models import ConferenceAttachment

from .test_conferences_common import docx_bytes, make_conference, make_plan, org


def test_board_uploads_minutes_and_members_download_them(client_as, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    conference = make_conference(make_plan(users["admin"]), org("X001"), users["admin"])
    upload = SimpleUploadedFile("Biên bản hội nghị.docx", docx_bytes("Biên bản: 45 đồng chí dự, 2 vắng có lý do."))
    response = client_as("xa1.bithu").post(
        reverse("study:conference_attachment_add", args=[conference.pk]), {"file": upload}
    )
    assert response.status_code == 302
    attachment = ConferenceAttachment.objects.get(conference=conference)
    assert attachment.name == "Biên bản hội nghị.docx" and "45 đồng chí dự" in attachment.text
    assert AuditEntry.objects.filter(action="conference.attachment_add", object_id=str(attachment.pk)).exists()
    download = client_as("xa1.bithu").get(reverse("study:conference_attachment", args=[conference.pk, attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"PK")


def test_renamed_files_are_refused_and_nothing_is_kept(client_as, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    conference = make_conference(make_plan(users["admin"]), org("X001"), users["admin"])
    fake = SimpleUploadedFile("bien-ban.pdf", b"day khong phai PDF")
    response = client_as("xa1.bithu").post(
        reverse("study:conference_attachment_add", args=[conference.pk]), {"file": fake}, follow=True
    )
    assert "không phải tệp .pdf hợp lệ" in response.content.decode()
    assert not ConferenceAttachment.objects.filter(conference=conference).exists()
    assert not any(tmp_path.rglob("*.pdf"))
