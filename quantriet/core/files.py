"""Reading uploaded .docx and .pdf files defensively: size, type, zip bombs, broken files."""

import io
import os
import unicodedata
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.utils.text import slugify

from .text import fold

#: An archive is refused when it unpacks to more than this, or to more than RATIO times its size.
MAX_UNPACKED = 100 * 1024 * 1024
MAX_RATIO = 100
KINDS = {".docx": "docx", ".pdf": "pdf"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


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


def extract_text(name: str, data: bytes) -> str:
    """The plain text of a .docx or .pdf upload; ValidationError with a Vietnamese message if unreadable."""
    kind = file_kind(name, data)
    try:
        return _docx_text(data) if kind == "docx" else _pdf_text(data)
    except ValidationError:
        raise
    except Exception:  # a malformed file may fail anywhere inside the parser
        raise ValidationError(f"Không đọc được nội dung tệp “{name}”; hãy mở và lưu lại bằng Word hoặc trình xem PDF.")


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED or unpacked > MAX_RATIO * len(data):
            raise ValidationError("Tệp nén bất thường (có thể là tệp độc hại); đã từ chối.")
    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(line for line in lines if line.strip())


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join((page.extract_text() or "") for page in reader.pages[:500])


def stored_name(name: str, kind: str) -> str:
    """An ASCII file name for the disk; the original name is kept in the model's `name`."""
    stem = os.path.splitext(name)[0]
    return f"{slugify(fold(stem))[:60] or 'tep'}.{kind}"


def store_upload(instance, name: str, data: bytes):
    """Fill and save INSTANCE (a core.models.StoredFile) from an upload, text extracted.

    Refuses anything but a sound .pdf/.docx with a Vietnamese ValidationError; leaves no file
    behind when the save fails.
    """
    name = os.path.basename((name or "").replace("\\", "/")).strip()
    kind = file_kind(name, data)
    text = extract_text(name, data)
    # PostgreSQL text cannot hold NUL; PDFs mix composed and decomposed Vietnamese.
    instance.text = unicodedata.normalize("NFC", text.replace("\x00", ""))
    instance.name, instance.size = name[:255], len(data)
    instance.file.save(stored_name(name, kind), ContentFile(data), save=False)
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
