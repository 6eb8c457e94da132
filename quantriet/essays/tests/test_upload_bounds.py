"""A hostile .docx cannot lock the database or exhaust memory.

Probing found a 1.5 MB .docx of 2.9 million tiny paragraphs (101 MB unpacked) that passed the
size and ratio checks and, submitted as an essay by a plain member, was parsed inside the write
transaction (SQLite's write lock held for minutes) while the worker grew to 2.1 GB; and a file
declaring 1,000 bytes for a part that inflates to far more cost gigabytes before it was refused.
"""

import io
import re
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from quantriet.core import files
from quantriet.core.tests.zips import set_declared_size
from quantriet.essays import services
from quantriet.essays.models import Essay, EssayFile

from .common import ESSAY, docx_bytes, essay_plan

#: Peak Python memory allowed while a hostile file is refused (generous: the files inflate to far more).
MEMORY_BOUND = 60 * 1024 * 1024
BODY = re.compile(rb"<w:body>.*</w:body>", re.S)


def with_document(xml_body_chunks) -> bytes:
    """A real .docx whose word/document.xml body is the concatenation of XML_BODY_CHUNKS (streamed)."""
    base = docx_bytes(ESSAY)
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    head, tail = BODY.split(parts["word/document.xml"])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name != "word/document.xml":
                archive.writestr(name, data)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(head + b"<w:body>")
            for chunk in xml_body_chunks:
                part.write(chunk)
            part.write(b"</w:body>" + tail)
    return out.getvalue()


def dense_docx() -> bytes:
    """300,000 tiny paragraphs (numbered, so the file compresses like a real one: within the ratio check)."""
    return with_document(
        b"".join(b"<w:p><w:r><w:t>%d</w:t></w:r></w:p>" % n for n in range(start, start + 10_000))
        for start in range(0, 300_000, 10_000)
    )


def lying_docx() -> bytes:
    """word/document.xml declares 1,000 bytes and inflates to 300 MB (of XML white space)."""
    return set_declared_size(with_document(b" " * (1 << 20) for _ in range(300)), "word/document.xml", 1000)


def refused_with_bounded_memory(call) -> str:
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as caught:
            call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_BOUND, f"{peak / 1e6:.0f} MB"
    return " ".join(caught.value.messages)


def test_a_dense_docx_is_refused_by_its_paragraph_count():
    data = dense_docx()
    assert len(data) < 2 * 1024 * 1024  # small enough to pass the upload size check
    message = refused_with_bounded_memory(lambda: files.extract_text("bai.docx", data))
    assert "đoạn văn" in message and "đã từ chối" in message


def test_a_docx_lying_about_its_size_is_refused_without_inflating_it():
    data = lying_docx()
    message = refused_with_bounded_memory(lambda: files.extract_text("bai.docx", data))
    assert "tệp" in message.lower()


def test_characters_and_xml_are_bounded_too(monkeypatch):
    long_paragraph = docx_bytes("Đảng viên " * 2_000)
    monkeypatch.setattr(files, "MAX_CHARS", 10_000)
    assert "ký tự" in refused_with_bounded_memory(lambda: files.extract_text("bai.docx", long_paragraph))
    monkeypatch.setattr(files, "MAX_CHARS", 1_000_000)
    monkeypatch.setattr(files, "MAX_XML", 1024)
    assert "MB" in refused_with_bounded_memory(lambda: files.extract_text("bai.docx", long_paragraph))


def test_reading_is_bounded_in_time(monkeypatch):
    monkeypatch.setattr(files, "MAX_SECONDS", -1)  # already past the deadline at the first chunk
    message = refused_with_bounded_memory(lambda: files.extract_text("bai.docx", docx_bytes(ESSAY)))
    assert "giây" in message


def test_an_ordinary_docx_still_reads():
    assert files.extract_text("bai.docx", docx_bytes("BÀI THU HOẠCH", ESSAY)) == "BÀI THU HOẠCH\n" + ESSAY


@pytest.fixture
def depth_while_reading(monkeypatch):
    """The transaction depth seen inside every extraction, next to the depth of the caller."""
    seen = []
    extract = files.extract_text

    def spy(name, data):
        seen.append(len(connection.atomic_blocks))
        return extract(name, data)

    monkeypatch.setattr(files, "extract_text", spy)
    return seen


def test_a_plain_member_submitting_the_dense_docx_is_refused_outside_any_transaction(users, depth_while_reading):
    plan = essay_plan(users["admin"])
    me = users["dangvien1"].member
    outer = len(connection.atomic_blocks)  # the test's own transaction
    message = refused_with_bounded_memory(
        lambda: services.essay_submit_docx(users["dangvien1"], plan, me, "bai.docx", dense_docx())
    )
    assert "đoạn văn" in message
    assert depth_while_reading == [outer]  # parsed before the service opened its transaction
    assert not Essay.objects.filter(plan=plan).exists() and not EssayFile.objects.exists()


def test_every_upload_is_read_before_its_transaction(users, depth_while_reading):
    """Essays, document attachments and conference files all read the file first."""
    from quantriet.documents import services as documents
    from quantriet.documents.models import Document
    from quantriet.study import services as study
    from quantriet.study.tests.test_conferences_common import make_conference, make_plan, org

    outer = len(connection.atomic_blocks)
    plan = essay_plan(users["admin"])
    services.essay_submit_docx(users["dangvien1"], plan, users["dangvien1"].member, "bai.docx", docx_bytes(ESSAY))
    documents.attachment_add(None, Document.objects.first(), "phu-luc.docx", docx_bytes("Phụ lục"))
    conference = make_conference(make_plan(users["admin"]), org("X001"), users["admin"])
    study.conference_attachment_add(users["admin"], conference, "bien-ban.docx", docx_bytes("Biên bản"))
    assert depth_while_reading == [outer, outer, outer]
