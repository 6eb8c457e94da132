"""Reading uploaded .docx and .pdf files defensively: size, type, zip bombs, broken files.

Parsing happens before any transaction opens (`read_upload`), and is bounded whatever the file
declares: bytes actually inflated (every part of a .docx is stream-decompressed with a running
count, so a part declaring 1,000 bytes that inflates to a gigabyte costs one chunk before it is
refused), XML, paragraphs, characters and time. A file beyond a bound is refused with a
Vietnamese ValidationError.
"""

import io
import os
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from urllib.parse import quote
from xml.etree.ElementTree import ParseError, XMLPullParser

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.utils.text import slugify

from .text import fold, printable

#: An archive is refused when it inflates to more than this, or to more than RATIO times its size.
MAX_UNPACKED = 100 * 1024 * 1024
MAX_RATIO = 100
#: Inflated XML of a .docx (python-docx builds a tree of it, about ten times its size in memory).
MAX_XML = 20 * 1024 * 1024
#: Far beyond any essay or party document (a 400-page book), far below what hurts the server.
MAX_PARAGRAPHS = 50_000
MAX_CHARS = 2_000_000
#: Seconds one file may take to check and read.
MAX_SECONDS = 20
CHUNK = 64 * 1024
KINDS = {".docx": "docx", ".pdf": "pdf"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TOO_BIG = "Tệp “{name}” quá lớn khi giải nén hoặc quá dài ({what}); đã từ chối. Hãy chia nhỏ hoặc lưu lại bằng Word."


def file_kind(name: str, data: bytes) -> str:
    """'docx' or 'pdf' by extension AND content; ValidationError otherwise."""
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = KINDS.get(extension)
    if kind is None:
        raise ValidationError(f"Chỉ nhận tệp {', '.join(KINDS)}; tệp “{name}” không được chấp nhận.")
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(f"Tệp “{name}” quá lớn (tối đa {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB).")
    signature = b"PK\x03\x04" if kind == "docx" else b"%PDF"
    if not data.startswith(signature):
        raise ValidationError(f"Tệp “{name}” không phải tệp {extension} hợp lệ (có thể đã bị đổi đuôi).")
    return kind


class _TooBig(Exception):
    """A bound was passed; WHAT says which, in Vietnamese."""

    def __init__(self, what: str):
        self.what = what


class _Budget:
    """The bounds of reading one file, counted as it is read."""

    def __init__(self, size: int):
        self.deadline = time.monotonic() + MAX_SECONDS
        self.inflated_limit = min(MAX_UNPACKED, MAX_RATIO * max(size, 1))
        self.inflated = self.xml = self.paragraphs = self.chars = 0

    def spend(self, **amounts):
        for key, amount in amounts.items():
            setattr(self, key, getattr(self, key) + amount)
        if self.inflated > self.inflated_limit:
            raise _TooBig(f"giải nén ra hơn {self.inflated_limit // (1024 * 1024) or 1} MB")
        if self.xml > MAX_XML:
            raise _TooBig(f"nội dung văn bản hơn {MAX_XML // (1024 * 1024)} MB")
        if self.paragraphs > MAX_PARAGRAPHS:
            raise _TooBig(f"hơn {MAX_PARAGRAPHS:,} đoạn văn".replace(",", "."))
        if self.chars > MAX_CHARS:
            raise _TooBig(f"hơn {MAX_CHARS:,} ký tự".replace(",", "."))
        if time.monotonic() > self.deadline:
            raise _TooBig(f"đọc quá {MAX_SECONDS} giây")


def extract_text(name: str, data: bytes) -> str:
    """The plain text of a .docx or .pdf upload; ValidationError with a Vietnamese message if unreadable.

    Call it outside any transaction: it takes up to MAX_SECONDS of a worker.
    """
    kind = file_kind(name, data)
    try:
        return _docx_text(data) if kind == "docx" else _pdf_text(data, _Budget(len(data)))
    except _TooBig as bound:
        raise ValidationError(TOO_BIG.format(name=name, what=bound.what)) from None
    except ValidationError:
        raise
    except Exception:  # a malformed file may fail anywhere inside the parser
        raise ValidationError(f"Không đọc được nội dung tệp “{name}”; hãy mở và lưu lại bằng Word hoặc trình xem PDF.")


def _docx_text(data: bytes) -> str:
    budget = _Budget(len(data))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        declared = sum(info.file_size for info in archive.infolist())
        if declared > MAX_UNPACKED or declared > MAX_RATIO * len(data):
            raise ValidationError("Tệp nén bất thường (có thể là tệp độc hại); đã từ chối.")
        for info in archive.infolist():
            _inflate(archive, info, budget)
    import docx  # only now: every part is known to be small enough to hold in memory

    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(line for line in lines if line.strip())


def _inflate(archive, info, budget):
    """Stream-decompress one part, counting what it really inflates to (not what it declares).

    The document's own XML also goes through a pull parser that counts paragraphs and
    characters and keeps no tree.
    """
    is_xml = info.filename.lower().endswith((".xml", ".rels"))
    parser = XMLPullParser(events=("end",)) if info.filename == "word/document.xml" else None
    with archive.open(info) as part:
        while chunk := part.read(CHUNK):
            budget.spend(inflated=len(chunk), xml=len(chunk) if is_xml else 0)
            if parser is not None:
                parser.feed(chunk)
                _count(parser, budget)
    if parser is not None:
        try:
            parser.close()
        except ParseError:
            raise ValidationError("Nội dung tệp Word bị hỏng; hãy mở và lưu lại bằng Word.") from None
        _count(parser, budget)


def _count(parser, budget):
    paragraphs = chars = 0
    for _event, element in parser.read_events():
        if element.tag == f"{_W}t":
            chars += len(element.text or "")
        elif element.tag == f"{_W}p":
            paragraphs += 1
            element.clear()  # keep no text in memory: only the counts matter here
    budget.spend(paragraphs=paragraphs, chars=chars)


def _pdf_text(data: bytes, budget: _Budget) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = []
    for page in reader.pages[:500]:
        pages.append(page.extract_text() or "")
        budget.spend(chars=len(pages[-1]))
    return "\n".join(pages)


def stored_name(name: str, kind: str) -> str:
    """An ASCII file name for the disk; the original name is kept in the model's `name`."""
    stem = os.path.splitext(name)[0]
    return f"{slugify(fold(stem))[:60] or 'tep'}.{kind}"


@dataclass(frozen=True)
class Upload:
    """An upload checked and read (`read_upload`), ready to be stored in a short transaction."""

    name: str
    kind: str
    data: bytes
    text: str


def read_upload(name: str, data: bytes) -> Upload:
    """Check and read an uploaded .pdf/.docx; a Vietnamese ValidationError for anything else.

    Call it BEFORE opening a transaction: reading takes time (up to MAX_SECONDS), and on SQLite
    a write transaction holds the database's only write lock meanwhile (every login waits).
    """
    name = os.path.basename((name or "").replace("\\", "/")).strip()
    kind = file_kind(name, data)
    text = extract_text(name, data)
    # Unprintable characters (NUL: PostgreSQL text cannot hold it) would break exports; PDFs mix
    # composed and decomposed Vietnamese.
    return Upload(name=name, kind=kind, data=data, text=unicodedata.normalize("NFC", printable(text)))


def store_upload(instance, upload: Upload):
    """Fill and save INSTANCE (a core.models.StoredFile) from UPLOAD (see `read_upload`).

    Leaves no file behind when the save fails.
    """
    instance.text = upload.text
    instance.name, instance.size = upload.name[:255], len(upload.data)
    instance.file.save(stored_name(upload.name, upload.kind), ContentFile(upload.data), save=False)
    try:
        instance.save()
    except BaseException:
        instance.file.delete(save=False)
        raise
    return instance


def download(stored) -> FileResponse:
    """The file of STORED (a StoredFile) as a download under its original name; 404 if it is gone."""
    kind = stored.file.name.rsplit(".", 1)[-1].lower()
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404("Tệp không còn trên máy chủ.")
    return FileResponse(handle, as_attachment=True, filename=stored.name, content_type=CONTENT_TYPES.get(kind))


def attachment(data: bytes, filename: str, ascii_name: str | None = None) -> FileResponse:
    """DATA (a file made for this request: an export, a report) as a download named FILENAME; Django
    writes the Content-Disposition header, quoting a Vietnamese name the way browsers read it.

    ASCII_NAME, when given, is also sent (RFC 6266 ``filename``) for old clients that cannot read the
    Vietnamese one (``filename*``), which Django alone would send without a fallback."""
    content_type = CONTENT_TYPES.get(filename.rsplit(".", 1)[-1].lower())
    response = FileResponse(io.BytesIO(data), as_attachment=True, filename=filename, content_type=content_type)
    if ascii_name is not None:
        vietnamese = quote(filename, safe="")
        response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{vietnamese}"
    return response
