"""Fixtures and file builders for the documents tests: real .docx and .pdf bytes, no mocks."""

import datetime
import io
import zipfile

import pytest

from quantriet.documents import services
from quantriet.documents.models import Audience, Digest, Document
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Organization


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a per-test directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def docx_bytes(*paragraphs, table=None) -> bytes:
    """A real Word document with PARAGRAPHS and an optional table (rows of cell texts)."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bomb_docx(unpacked_mb=20) -> bytes:
    """A file that starts like a .docx but unpacks to far more than its size."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (unpacked_mb * 1024 * 1024))
    return out.getvalue()


def pdf_bytes(*lines) -> bytes:
    """A minimal, valid one-page PDF showing LINES (any Unicode) in Helvetica.

    Each character gets a one-byte code; a ToUnicode map tells readers what the codes mean,
    which is how real PDFs carry Vietnamese text.
    """
    codes = {}

    def encode(text):
        for ch in text:
            if ch not in codes:
                plain = ch.isascii() and ch not in "()\\"
                codes[ch] = ord(ch) if plain else 0x80 + sum(1 for c in codes.values() if c >= 0x80)
        return bytes(codes[ch] for ch in text)

    ops = [b"BT", b"/F1 12 Tf", b"14 TL", b"72 770 Td"]
    for line in lines:
        ops += [b"<" + encode(line).hex().encode() + b"> Tj", b"T*"]
    stream = b"\n".join([*ops, b"ET"])
    entries = "\n".join(f"<{code:02x}> <{ord(ch):04x}>" for ch, code in codes.items())
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Demo def /CMapType 2 def\n"
        "1 begincodespacerange <00> <ff> endcodespacerange\n"
        f"{len(codes)} beginbfchar\n{entries}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def make_document(symbol, org=None, *, title="Văn bản thử nghiệm", day=datetime.date(2025, 3, 3), actor=None, **kw):
    document = Document(
        title=title,
        issuer_name=kw.pop("issuer_name", org.name if org else "Ban Bí thư"),
        issuing_org=org,
        issued_on=day,
        **kw,
    )
    return services.document_save(actor, document, symbol)


@pytest.fixture
def world(users):
    """Documents at every level of the demo province, each with an attachment and a digest."""
    root = Organization.objects.get(code=ROOT_CODE)
    c1 = Organization.objects.get(code=f"{ROOT_CODE}-X001")
    c2 = Organization.objects.get(code=f"{ROOT_CODE}-X002")
    actor = users["admin"]
    docs = {
        "central": make_document("901-NQ/TW", None, title="Nghị quyết thử của Trung ương", actor=actor),
        "province": make_document("902-CT/TU", root, title="Chỉ thị thử của Tỉnh ủy", actor=actor),
        "c1": make_document("903-KH/ĐU", c1, title="Kế hoạch thử của xã thứ nhất", actor=actor),
        "c2": make_document("903-KH/ĐU", c2, title="Kế hoạch thử của xã thứ hai", actor=actor),
    }
    attachments = {
        key: services.attachment_add(actor, doc, f"tep-{key}.docx", docx_bytes(f"Nội dung tệp {key}"))
        for key, doc in docs.items()
    }
    for doc in docs.values():
        services.digest_save(
            actor, Digest(document=doc, audience=Audience.MEMBERS, title="Đảng viên cần nhớ", key_points="Ý một")
        )
    return {"root": root, "c1": c1, "c2": c2, "docs": docs, "attachments": attachments}
