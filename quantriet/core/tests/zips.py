"""Hand-made zip archives for the upload tests (no tests here): .xlsx and .docx files are zips."""

import io
import struct
import zipfile


def set_declared_size(data, name, size):
    """DATA (a zip) with the uncompressed size of NAME in the central directory set to SIZE."""
    data = bytearray(data)
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) != -1:
        length = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + length]).decode() == name:
            struct.pack_into("<I", data, pos + 24, size)
            return bytes(data)
        pos += 4
    raise KeyError(name)


def rezip(data, replace=None, add=None):
    """DATA (a zip) with some members' contents REPLACEd and ADDed, deflated."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, (replace or {}).get(info.filename, source.read(info.filename)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()
