"""Fuzz the reading of an essay submitted as a Word file: core.files.read_upload, then essays.text.

A .docx is either refused with a Vietnamese ValidationError or read into printable NFC text, which
the essay's cleaning leaves stable. The first byte of an input chooses what the rest is: the bytes
of the file (0), or the XML of its body (word/document.xml) inside an otherwise valid .docx (1).
"""

if __name__ == "__main__":
    from fuzz.common import setup_django

    setup_django()

import io
import unicodedata
import zipfile

import docx
from django.core.exceptions import ValidationError

from quantriet.core.files import read_upload
from quantriet.core.tests.zips import rezip
from quantriet.core.text import unprintable_problem
from quantriet.essays.tests.common import ESSAY
from quantriet.essays.text import clean_text, word_count

from .common import entry

NAME = "essay_docx"
MODULES = ["quantriet.core.files", "quantriet.essays.text", "zipfile", "xml.etree", "docx"]
BODY = "word/document.xml"
FILE, BODY_XML = range(2)
#: The parts a .docx needs to be read (python-docx's own template adds 800 KB of styles, which only
#: slow each run down): the content types, the package's relation to its body, the body.
_TYPES = (
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELATIONS = (
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="word/document.xml"/></Relationships>'
)


def _template() -> bytes:
    """A small .docx with paragraphs and a table, as Word and python-docx write its body."""
    document = docx.Document()
    document.add_paragraph("Bài thu hoạch")
    document.add_paragraph(ESSAY)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Người viết", "Nguyễn Văn An"
    out = io.BytesIO()
    document.save(out)
    with zipfile.ZipFile(out) as full:
        body = full.read(BODY)
    small = io.BytesIO()
    with zipfile.ZipFile(small, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("_rels/.rels", _RELATIONS)
        archive.writestr(BODY, body)
    return small.getvalue()


TEMPLATE = _template()


def seeds() -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(TEMPLATE)) as archive:
        body = archive.read(BODY)
    return [bytes([FILE]) + TEMPLATE, bytes([BODY_XML]) + body]


def _file(data: bytes) -> bytes:
    mode, rest = (data[0] % 2, data[1:]) if data else (FILE, b"")
    return rest if mode == FILE else rezip(TEMPLATE, replace={BODY: rest})


def parse(data: bytes):
    """Read DATA as an essay's .docx and check the text; ValidationError when it is refused."""
    upload = read_upload("bai-thu-hoach.docx", _file(data))
    assert upload.kind == "docx"
    assert not unprintable_problem(upload.text), repr(upload.text[:200])
    assert unicodedata.is_normalized("NFC", upload.text)
    cleaned = clean_text(upload.text)
    assert clean_text(cleaned) == cleaned
    assert word_count(cleaned) >= 0


test_one_input = entry(parse, ValidationError)


if __name__ == "__main__":
    from fuzz.common import main

    main(NAME, test_one_input, seeds, MODULES)
