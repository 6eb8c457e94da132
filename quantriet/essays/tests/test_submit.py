"""Submitting essays: typed and .docx, refused files, late flag, history, deadline and audience rules."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from quantriet.core.models import AuditEntry
from quantriet.essays import services
from quantriet.essays.models import Essay, EssayFile, EssaySource, EssayVersion
from quantriet.org.models import Position
from quantriet.study.models import EssayAudience, Obligation

from .common import ESSAY, docx_bytes, essay_plan, set_deadline, zip_bomb


@pytest.fixture
def plan(users):
    return essay_plan(users["admin"])


@pytest.fixture
def me(users):
    return users["dangvien1"].member


def refusal_code(call):
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.code


def test_typed_submission_is_stored_with_one_version_and_audited(plan, me, users):
    essay = services.essay_submit(users["dangvien1"], plan, me, "  " + ESSAY + "\r\n\r\n\r\n\x07")
    assert essay.text == ESSAY and essay.source == EssaySource.TYPED and not essay.late
    assert essay.cell == me.cell
    assert list(essay.versions.values_list("number", "text")) == [(1, ESSAY)]
    entry = AuditEntry.objects.get(action="essay.submit", object_id=str(essay.pk))
    assert entry.before is None and entry.after["version"] == 1 and entry.actor == users["dangvien1"]


def test_docx_submission_keeps_the_file_and_its_text(plan, me, users):
    data = docx_bytes("BÀI THU HOẠCH", ESSAY)
    essay = services.essay_submit_docx(users["dangvien1"], plan, me, "thu-hoach.docx", data)
    assert essay.source == EssaySource.DOCX and essay.text == "BÀI THU HOẠCH\n" + ESSAY
    version = essay.versions.get()
    assert version.upload.name == "thu-hoach.docx" and version.upload.file.read() == data


def test_the_page_takes_typed_text_and_a_docx(plan, client_as):
    client = client_as("dangvien1")
    url = reverse("essays:write", args=[plan.pk])
    assert client.post(url, {"text": ESSAY}).status_code == 302
    upload = _upload("bai.docx", docx_bytes(ESSAY + " Bổ sung."))
    assert client.post(url, {"file": upload}).status_code == 302
    essay = Essay.objects.get(plan=plan)
    assert essay.source == EssaySource.DOCX and essay.versions.count() == 2
    page = client.get(url).content.decode()
    assert "Bài đã nộp lần 2" in page and "Lần 1" in page and "bai.docx" in page


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


BAD_FILES = [
    ("bai.pdf", b"%PDF-1.4 " + ESSAY.encode(), "Chỉ nhận bài thu hoạch gõ trực tiếp hoặc tệp Word .docx"),
    ("bai.txt", ESSAY.encode(), "Chỉ nhận bài thu hoạch gõ trực tiếp hoặc tệp Word .docx"),
    ("bai.docx", b"%PDF-1.4 renamed pdf", "có thể đã bị đổi đuôi"),
    ("bai.docx", b"PK\x03\x04 not really a zip", "Không đọc được nội dung tệp"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES)
def test_other_formats_and_broken_files_are_refused_and_leave_nothing(plan, me, users, name, data, message):
    with pytest.raises(ValidationError) as caught:
        services.essay_submit_docx(users["dangvien1"], plan, me, name, data)
    assert message in " ".join(caught.value.messages)
    assert not Essay.objects.filter(plan=plan).exists() and not EssayFile.objects.exists()


def test_a_zip_bomb_is_refused_safely(plan, me, users):
    with pytest.raises(ValidationError) as caught:
        services.essay_submit_docx(users["dangvien1"], plan, me, "bai.docx", zip_bomb())
    assert "Tệp nén bất thường" in caught.value.messages[0]
    assert not EssayFile.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=20_000)
def test_an_oversize_file_is_refused_by_the_page_and_the_service(plan, me, users, client_as):
    big = docx_bytes(ESSAY * 60)
    assert len(big) > 20_000
    with pytest.raises(ValidationError, match="quá lớn"):
        services.essay_submit_docx(users["dangvien1"], plan, me, "bai.docx", big)
    response = client_as("dangvien1").post(reverse("essays:write", args=[plan.pk]), {"file": _upload("bai.docx", big)})
    assert response.status_code == 400 and "Tệp quá lớn" in response.content.decode()
    assert not Essay.objects.filter(plan=plan).exists()


def test_a_docx_whose_text_is_too_short_leaves_no_file(plan, me, users):
    with pytest.raises(ValidationError, match="quá ngắn"):
        services.essay_submit_docx(users["dangvien1"], plan, me, "bai.docx", docx_bytes("Ngắn quá."))
    assert not EssayFile.objects.exists()


def test_too_short_and_too_long_texts_are_refused(plan, me, users):
    assert refusal_code(lambda: services.essay_submit(users["dangvien1"], plan, me, "Chấp hành tốt.")) == "invalid"
    huge = "chữ " * (services.MAX_CHARS // 4 + 10)
    assert refusal_code(lambda: services.essay_submit(users["dangvien1"], plan, me, huge)) == "invalid"


def test_resubmission_before_the_deadline_keeps_the_history(plan, me, users):
    services.essay_submit(users["dangvien1"], plan, me, ESSAY)
    essay = services.essay_submit(users["dangvien1"], plan, me, ESSAY + " Tôi bổ sung thêm một cam kết.")
    assert essay.text.endswith("một cam kết.")
    assert [(v.number, v.text == ESSAY) for v in EssayVersion.objects.filter(essay=essay)] == [(2, False), (1, True)]
    entries = AuditEntry.objects.filter(action="essay.submit", object_id=str(essay.pk)).order_by("id")
    assert [e.after["version"] for e in entries] == [1, 2] and entries[1].before["version"] == 1


def test_submission_on_the_deadline_day_is_on_time(plan, me, users):
    set_deadline(plan, 0)
    assert not services.essay_submit(users["dangvien1"], plan, me, ESSAY).late


def test_after_the_deadline_the_first_submission_is_late_and_no_resubmission(plan, me, users, client_as):
    set_deadline(plan, -1)
    essay = services.essay_submit(users["dangvien1"], plan, me, ESSAY)
    assert essay.late and essay.versions.get().late
    again = lambda: services.essay_submit(users["dangvien1"], plan, me, ESSAY + " Sửa lại.")  # noqa: E731
    assert refusal_code(again) == "deadline"
    page = client_as("dangvien1").get(reverse("essays:write", args=[plan.pk])).content.decode()
    assert "Nộp muộn" in page and "không nộp lại được" in page and 'name="text"' not in page


def test_an_on_time_essay_cannot_be_replaced_after_the_deadline(plan, me, users):
    services.essay_submit(users["dangvien1"], plan, me, ESSAY)
    set_deadline(plan, -1)
    assert refusal_code(lambda: services.essay_submit(users["dangvien1"], plan, me, ESSAY + " Mới.")) == "deadline"
    assert Essay.objects.get(plan=plan, member=me).versions.count() == 1


def test_a_graded_essay_cannot_be_resubmitted(plan, me, users):
    essay = services.essay_submit(users["dangvien1"], plan, me, ESSAY)
    rubric = services.rubric_ensure(users["admin"], plan)
    services.essay_grade(users["admin"], essay, {c.pk: "1" for c in rubric.criteria.all()})
    essay.refresh_from_db()
    assert refusal_code(lambda: services.essay_submit(users["dangvien1"], plan, me, ESSAY + " Mới.")) == "graded"


def test_members_outside_the_audience_are_refused(plan, me, users, client_as):
    Position.objects.filter(member=me).delete()
    plan.essay_audience = EssayAudience.KEY_CADRES
    plan.save(update_fields=["essay_audience"])
    assert refusal_code(lambda: services.essay_submit(users["dangvien1"], plan, me, ESSAY)) == "audience"
    response = client_as("dangvien1").get(reverse("essays:write", args=[plan.pk]))
    assert response.status_code == 403
    assert "không thuộc đối tượng phải viết thu hoạch" in response.content.decode()


def test_key_cadres_means_holders_of_a_current_position(plan, users):
    plan.essay_audience = EssayAudience.KEY_CADRES
    plan.save(update_fields=["essay_audience"])
    secretary = users["xa1.bithu"].member
    assert services.must_write(plan, secretary)
    assert not services.must_write(plan, users["dangvien1"].member)


def test_a_cell_without_an_obligation_under_the_plan_does_not_write(plan, me, users):
    Obligation.objects.filter(plan=plan, org=me.cell).delete()
    assert refusal_code(lambda: services.essay_submit(users["dangvien1"], plan, me, ESSAY)) == "audience"


def test_a_user_without_a_member_record_cannot_submit(plan, users, client_as):
    assert refusal_code(lambda: services.essay_submit(users["admin"], plan, None, ESSAY)) == "not_member"
    assert client_as("admin").get(reverse("essays:write", args=[plan.pk])).status_code == 403


def test_a_closed_plan_takes_no_essays(plan, me, users):
    plan.status = "ket_thuc"
    plan.save(update_fields=["status"])
    assert refusal_code(lambda: services.essay_submit(users["dangvien1"], plan, me, ESSAY)) == "closed"


def test_the_member_sees_their_essay_grade_and_comment(plan, me, users, client_as):
    essay = services.essay_submit(users["dangvien1"], plan, me, ESSAY)
    rubric = services.rubric_ensure(users["admin"], plan)
    services.essay_grade(users["xa1.bithu"], essay, {c.pk: c.max_points for c in rubric.criteria.all()}, "Liên hệ tốt.")
    page = client_as("dangvien1").get(reverse("essays:write", args=[plan.pk])).content.decode()
    assert "Tốt" in page and "Liên hệ tốt." in page and "Bài thu hoạch đã được chấm" in page
    index = client_as("dangvien1").get(reverse("essays:index")).content.decode()
    assert "Bài thu hoạch của tôi" in index and plan.title in index
