"""Fuzz inputs as uploaded tables (.csv and .xlsx) for the sheet imports' harnesses.

Random bytes are almost never a valid .xlsx (a zip whose parts' checksums match), so the first byte of
an input chooses what the rest is:

0. the bytes of a file named .csv;
1. the bytes of a file named .xlsx (a zip or anything else);
2. the XML of the first sheet, inside an otherwise valid .xlsx (the cells calamine reads, and the
   checks of core.sheets that run before it);
3. the XML of the shared strings (the cells' texts, as Excel stores them) inside that .xlsx.

The template is the import's header and a few rows, written by openpyxl with its texts moved to a
shared strings part as Excel writes them; the seeds are that template in each of these forms, and the
sheet with openpyxl's inline strings.
"""

import csv
import io
import re
import zipfile

from openpyxl import Workbook

from quantriet.core.tests.zips import rezip

SHEET, SHARED_STRINGS = "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"
CONTENT_TYPES, WORKBOOK_RELS = "[Content_Types].xml", "xl/_rels/workbook.xml.rels"
CSV, XLSX, SHEET_XML, STRINGS_XML = range(4)
MODES = 4
#: What coverage guides the sheet harnesses besides their own import: the reading of every table.
MODULES = ["quantriet.core.sheets", "quantriet.core.text", "zipfile", "csv"]

_INLINE = re.compile(rb'<c ([^>]*?)t="inlineStr"><is><t(?: [^>]*)?>(.*?)</t></is></c>')
_SPREADSHEET = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SHARED_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SHARED_RELATION = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def with_shared_strings(data: bytes) -> bytes:
    """DATA (an .xlsx with inline strings, as openpyxl writes) with its texts in xl/sharedStrings.xml."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet, types, relations = (archive.read(name) for name in (SHEET, CONTENT_TYPES, WORKBOOK_RELS))
    texts = []

    def shared(cell):
        texts.append(cell[2])
        return b'<c %st="s"><v>%d</v></c>' % (cell[1], len(texts) - 1)

    sheet = _INLINE.sub(shared, sheet)
    table = b'<sst xmlns="%s" count="%d" uniqueCount="%d">%s</sst>' % (
        _SPREADSHEET,
        len(texts),
        len(texts),
        b"".join(b"<si><t>%s</t></si>" % text for text in texts),
    )
    types = types.replace(
        b"</Types>", b'<Override PartName="/%s" ContentType="%s"/></Types>' % (SHARED_STRINGS.encode(), _SHARED_TYPE)
    )
    relations = relations.replace(
        b"</Relationships>",
        b'<Relationship Type="%s" Target="sharedStrings.xml" Id="rIdStrings"/></Relationships>' % _SHARED_RELATION,
    )
    return rezip(
        data, replace={SHEET: sheet, CONTENT_TYPES: types, WORKBOOK_RELS: relations}, add={SHARED_STRINGS: table}
    )


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


class Tables:
    """Decodes fuzz inputs into (file bytes, file name), around a template made of ROWS."""

    def __init__(self, rows):
        self.rows = rows
        self.inline = xlsx(rows)
        self.template = with_shared_strings(self.inline)

    def seeds(self) -> list[bytes]:
        with zipfile.ZipFile(io.BytesIO(self.template)) as archive:
            sheet, strings = archive.read(SHEET), archive.read(SHARED_STRINGS)
        with zipfile.ZipFile(io.BytesIO(self.inline)) as archive:
            inline_sheet = archive.read(SHEET)
        forms = [
            (CSV, csv_bytes(self.rows)),
            (XLSX, self.template),
            (SHEET_XML, sheet),
            (SHEET_XML, inline_sheet),
            (STRINGS_XML, strings),
        ]
        return [bytes([mode]) + content for mode, content in forms]

    def decode(self, data: bytes) -> tuple[bytes, str]:
        mode, rest = (data[0] % MODES, data[1:]) if data else (CSV, b"")
        if mode == CSV:
            return rest, "danh-sach.csv"
        if mode == XLSX:
            return rest, "danh-sach.xlsx"
        part = SHEET if mode == SHEET_XML else SHARED_STRINGS
        return rezip(self.template, replace={part: rest}), "danh-sach.xlsx"
