"""Reading uploaded .docx and .pdf files defensively: size, type, zip bombs, broken files."""

import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError

#: An archive is refused when it unpacks to more than this, or to more than RATIO times its size.
MAX_UNPACKED = 100 * 1024 * 1024
MAX_RATIO = 100
KINDS = {".docx": "docx", ".pdf": "pdf"}


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
