"""The party document format (Hướng dẫn 36-HD/VPTW) as a small python-docx API.

Every document an app issues in the name of a committee (reports, action programmes,
evaluations, inspection conclusions) is laid out here, from plain values, so that they all look
the same and follow docs/reference/party-document-symbols.md:

    document = new_document()                  # A4, margins, Times New Roman 14 pt, page numbers
    write_header(document, OfficialHeader(...))  # issuer block | ĐẢNG CỘNG SẢN VIỆT NAM, place, date
    write_title(document, "Báo cáo", "kết quả học tập, quán triệt …")
    heading(document, "I. …"); body(document, "…"); grid(document, headers, rows, widths_mm)
    closing = body(document, "Trên đây là báo cáo …./.")
    write_signature(document, Signature("T/M BAN THƯỜNG VỤ", "BÍ THƯ", name), recipients, keep_with=[closing])
    document.save(out)

This module knows the format, not the organisations: which committee issues, its superior, its
code and who signs are worked out by the caller (`quantriet.org.letterhead` for a unit of the
tree). python-docx is imported inside the functions: it costs a fifth of a second, and only a
download of a document needs it.

Decisions where the reference is silent or unconfirmed:
- Margins 20/20/30/15 mm (top/bottom/left/right) on A4, Times New Roman 14 pt (tables 12 pt),
  page numbers centred in the header from page 2: the margins are unconfirmed in the reference,
  so they are constants.
- An unnumbered document (a draft, or one the committee office numbers when registering it)
  keeps blank room for the number: "Số      -BC/TU".
- The header block never breaks a unit's name: the two columns are sized from the width of
  their longest line (Times New Roman metrics, estimated), the issuer's lines drop to 13 then
  12 pt when the name is very long, and only a name too long even then is split, between words.
- The signature block is kept on the page of the closing sentence: the paragraphs given as
  ``keep_with`` and a gap keep with the next, and the signature table's row does not split.
"""

import datetime
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .text import printable

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
TYPE_PT = 16
#: Page margins in millimetres (unconfirmed in the reference; see the module docstring).
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
PAGE_MM = (210, 297)
#: Blank room for the number, which the committee office fills in when registering the document.
NUMBER_BLANK = "      "
NATION, NATION_PT = "ĐẢNG CỘNG SẢN VIỆT NAM", 15
#: The recipients' column of the signature block; the signature takes the rest of the width.
RECIPIENTS_MM = 80
#: Blank lines between the signer's position and name: room for the signature and the seal.
SIGNATURE_ROOM = 4
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class OfficialHeader:
    """The header block of a party document, as plain values.

    ``issuer`` and ``superior`` are names as written in sentence case ("Tỉnh ủy Vĩnh Long",
    "Đảng bộ tỉnh Vĩnh Long"); the header sets them in capitals. ``superior`` is None for a body
    with no superior line. ``type_code`` and ``issuer_code`` make the symbol "12-BC/TU";
    ``number`` None leaves the number blank for the committee office; a personal document (a
    member's self-assessment) has no type code and no number line.
    """

    issuer: str
    superior: str | None
    type_code: str
    issuer_code: str
    place: str
    date: datetime.date
    number: int | None = None

    @property
    def number_line(self) -> str:
        """ "Số 12-BC/TU" (36-HD writes "Số", a space, no colon), "Số      -BC/TU" unnumbered, "" without a type."""
        if not self.type_code:
            return ""
        code = f"-{self.type_code}/{self.issuer_code}"
        return f"Số{NUMBER_BLANK}{code}" if self.number is None else f"Số {self.number}{code}"


@dataclass(frozen=True)
class Signature:
    """The signature block: the authority ("T/M BAN THƯỜNG VỤ", "K/T BÍ THƯ"), the signer's position
    ("BÍ THƯ") and name ("" leaves it for the office to write in)."""

    authority: str
    position: str
    name: str


def party_date(day: datetime.date) -> str:
    """ "ngày 03 tháng 4 năm 2018": days 1–9 and months 1–2 get a leading zero, as in 36-HD's examples."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


# ---------------------------------------------------------------- the page


def text_width_mm() -> int:
    """The width between the left and right margins."""
    return PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]


def _set_fonts(rpr, size_pt=None) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    if size_pt:
        for tag in ("w:sz", "w:szCs"):
            element = rpr.find(qn(tag))
            if element is None:
                element = OxmlElement(tag)
                rpr.append(element)
            element.set(qn("w:val"), str(size_pt * 2))


def new_document():
    """An empty A4 document: Times New Roman 14 pt everywhere (Vietnamese), the margins, page numbers."""
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = docx.Document()
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, BODY_PT)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "vi-VN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    if spacing is not None:
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element.get_or_add_rPr())
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    _page_numbers(section)
    return document


def _page_numbers(section) -> None:
    """A centred page number in the header from page 2 on (the first page has none)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


# ---------------------------------------------------------------- paragraphs and tables


def fill(paragraph, text="", *, size=BODY_PT, bold=False, italic=False, underline=False, align=None, after=0):
    """Write TEXT into PARAGRAPH as one run in the given style; ALIGN is a WD_ALIGN_PARAGRAPH, AFTER in pt."""
    from docx.shared import Pt

    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    if text:  # stored names may predate the entrances' refusal of control characters (Word cannot hold them)
        run = paragraph.add_run(printable(text))
        run.font.size = Pt(size)
        run.bold, run.italic, run.underline = bold, italic, underline
    return paragraph


def paragraph(container, text="", **style):
    """A new paragraph in CONTAINER (the document or a table cell); see `fill` for the style."""
    return fill(container.add_paragraph(), text, **style)


def first_paragraph(cell, text="", **style):
    """The first paragraph of a table cell (a new cell holds one empty paragraph)."""
    return fill(cell.paragraphs[0], text, **style)


def _add_line(paragraph, text: str) -> None:
    """TEXT on a new line of PARAGRAPH (a line break, not a new paragraph), in its first run's style."""
    first = paragraph.runs[0]
    run = paragraph.add_run()
    run.bold, run.italic, run.font.size = first.bold or None, first.italic or None, first.font.size
    run.add_break()
    run.add_text(printable(text))


def body(document, text, *, bold=False, italic=False):
    """A body paragraph: justified, first line indented, 6 pt after."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    added = paragraph(document, text, bold=bold, italic=italic, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6)
    added.paragraph_format.first_line_indent = Mm(10)
    added.paragraph_format.line_spacing = Pt(20)
    return added


def heading(document, text):
    """A section heading ("I. KẾT QUẢ …", "1. Tiến độ …"): a bold body paragraph."""
    return body(document, text, bold=True)


def set_widths(table, widths_mm) -> None:
    """Fix TABLE's column widths (millimetres), for Word and LibreOffice alike."""
    from docx.shared import Mm

    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)  # the grid LibreOffice lays out by
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def keep_row_together(row) -> None:
    """A table row that never splits across two pages."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def grid(document, headers, lines, widths_mm, left=(1,), size=TABLE_PT):
    """A bordered table in 12 pt (SIZE: smaller for a wide table), its header row bold and
    repeated on every page.

    LINES are rows of values (written with str()); the columns whose index is in LEFT are
    left-aligned, the others centred. A 6 pt gap follows the table.
    """
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = document.add_table(rows=1, cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        first_paragraph(cell, header, size=size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for line in lines:
        cells = table.add_row().cells
        for column, (cell, value) in enumerate(zip(cells, line, strict=True)):
            align = WD_ALIGN_PARAGRAPH.LEFT if column in left else WD_ALIGN_PARAGRAPH.CENTER
            first_paragraph(cell, str(value), size=size, align=align)
    set_widths(table, widths_mm)
    paragraph(document, after=6)
    return table


# ---------------------------------------------------------------- widths of text


#: Advance widths of Times New Roman in thousandths of an em (Adobe's Times AFM, which Liberation
#: Serif matches), (bold, regular), for A–Z and a–z; diacritics do not change a letter's width.
_CAPS = (
    "722 667 722 722 667 611 778 778 389 500 778 667 944 722 778 611 778 722 556 667 722 722 1000 722 722 667",
    "722 667 667 722 611 556 722 722 333 389 722 611 889 722 722 556 722 667 556 611 722 722 944 722 722 611",
)
_SMALL = (
    "500 556 444 556 444 333 500 556 278 333 556 278 833 556 500 556 556 444 389 333 556 500 722 500 500 444",
    "444 500 444 500 444 333 500 500 278 278 500 278 778 500 500 500 500 333 389 278 500 500 722 500 500 444",
)
_WIDTHS = [
    {
        chr(start + i): int(w)
        for start, table in ((ord("A"), caps), (ord("a"), small))
        for i, w in enumerate(table.split())
    }
    for caps, small in zip(_CAPS, _SMALL, strict=True)
]
#: The horned letters are wider than their base letters (Liberation Serif 2, as Times New Roman).
_HORNED = {"Ư": (796, 776), "ư": (600, 542), "ơ": (554, 529)}
#: Other characters: a space, a comma or a full stop is a quarter em, anything else (digits) half.
_NARROW = {" ": 250, ",": 250, ".": 250, "-": 333, "*": 500}
#: A table cell's left and right margins together (LibreOffice and Word: 1.9 mm each), with slack.
CELL_PADDING_MM = 5.0
#: The issuer's name may shrink to these sizes before it is split (36-HD: 12–13 pt for long names).
HEADER_SIZES = (14, 13, 12)
MIN_HEADER_COLUMN_MM = 70


def _base_letter(char: str) -> str:
    return "D" if char == "Đ" else "d" if char == "đ" else unicodedata.normalize("NFD", char)[0]


def text_mm(text: str, size_pt: float, bold: bool = False) -> float:
    """TEXT's width in millimetres set in Times New Roman at SIZE_PT (kerning ignored)."""
    style = 0 if bold else 1
    widths = _WIDTHS[style]

    def width(char):
        if char in _HORNED:
            return _HORNED[char][style]
        return widths.get(_base_letter(char), _NARROW.get(char, 500))

    thousandths = sum(width(char) for char in text)
    return thousandths / 1000 * size_pt * 25.4 / 72


def _split_in_two(name: str) -> str:
    """NAME in two lines, broken between the words nearest its middle (a name too long for any size)."""
    words = name.split()
    cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(name) / 2), default=len(words))
    return " ".join(words[:cut]) + "\n" + " ".join(words[cut:])


def header_layout(superior: str | None, issuer: str) -> tuple:
    """(left column mm, right column mm, issuer's size in pt, issuer's text) for the header block.

    SUPERIOR and ISSUER as printed (in capitals). The right column needs at least "ĐẢNG CỘNG SẢN
    VIỆT NAM" on one line; the left gets what the issuer's name needs at the largest of
    HEADER_SIZES at which it fits on one line, the right the rest. A name that fits at no size is
    split in two between words, at the largest size at which both lines fit.
    """
    width = text_width_mm()
    room = width - (text_mm(NATION, NATION_PT, bold=True) + CELL_PADDING_MM)

    def needed(lines, size):
        return max(text_mm(superior or "", size), *(text_mm(line, size, True) for line in lines)) + CELL_PADDING_MM

    for text in (issuer, _split_in_two(issuer)):
        lines = text.split("\n")
        size = next((size for size in HEADER_SIZES if needed(lines, size) <= room), None)
        if size is not None:
            left = max(needed(lines, size), MIN_HEADER_COLUMN_MM)
            return left, width - left, size, text
    return room, width - room, HEADER_SIZES[-1], text


def _place_lines(place: str, date: str, column_mm: float) -> str:
    """ "Place, date" on one line when it fits the column, else broken after the comma."""
    line = f"{place}, {date}"
    return line if text_mm(line, BODY_PT) + CELL_PADDING_MM <= column_mm else f"{place},\n{date}"


# ---------------------------------------------------------------- the parts of a party document


def write_header(document, header: OfficialHeader) -> None:
    """The header block, a borderless two-column table followed by a 12 pt gap.

    Left: the superior body (upright), the issuer (bold), "*", the number line. Right:
    "ĐẢNG CỘNG SẢN VIỆT NAM" (bold, underlined), then "Place, ngày … tháng … năm …" (italic).
    """
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center = WD_ALIGN_PARAGRAPH.CENTER
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    superior = header.superior.upper() if header.superior else None
    left_mm, right_mm, size, issuer = header_layout(superior, header.issuer.upper())
    first, *rest = issuer.split("\n")
    name = first_paragraph(left, first, size=size, bold=True, align=center)
    for line in rest:  # only a name too long for any size: a deliberate break between words
        _add_line(name, line)
    if superior:
        fill(name.insert_paragraph_before(), superior, size=size, align=center)
    paragraph(left, "*", align=center)
    if header.number_line:
        paragraph(left, header.number_line, align=center)
    first_paragraph(right, NATION, size=NATION_PT, bold=True, underline=True, align=center)
    paragraph(right, "", align=center)
    place, *date = _place_lines(header.place, party_date(header.date), right_mm).split("\n")
    dated = paragraph(right, place, italic=True, align=center)
    for line in date:
        _add_line(dated, line)
    set_widths(table, [left_mm, right_mm])
    paragraph(document, after=12)


def write_title(document, kind: str, summary: str) -> None:
    """The type name in capitals ("BÁO CÁO", "CHƯƠNG TRÌNH HÀNH ĐỘNG"), the trích yếu under it, a rule."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center = WD_ALIGN_PARAGRAPH.CENTER
    paragraph(document, kind.upper(), size=TYPE_PT, bold=True, align=center)
    paragraph(document, summary, bold=True, align=center)
    paragraph(document, "-----", align=center, after=12)


def _keep_with_next(document, paragraphs) -> None:
    """PARAGRAPHS and a small gap after them stay on the page of what comes next (a signature)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    gap = paragraph(document, after=6, align=WD_ALIGN_PARAGRAPH.LEFT)
    for kept in (*paragraphs, gap):
        kept.paragraph_format.keep_with_next = True


def write_signature(document, signature: Signature, recipients: Iterable[str], *, keep_with=()) -> None:
    """The closing block: "Nơi nhận:" and its lines on the left, the signature on the right.

    The paragraphs KEEP_WITH (the closing sentence, the last point before it) stay on the
    signature's page, so the signature never stands alone on a page.
    """
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center = WD_ALIGN_PARAGRAPH.CENTER
    _keep_with_next(document, keep_with)
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    first_paragraph(left, "Nơi nhận:", size=TABLE_PT, bold=True, italic=True, underline=True)
    for line in recipients:
        paragraph(left, line, size=TABLE_PT)
    first_paragraph(right, signature.authority, bold=True, align=center)
    paragraph(right, signature.position, bold=True, align=center)
    for _ in range(SIGNATURE_ROOM):
        paragraph(right, "", align=center)
    paragraph(right, signature.name, bold=True, align=center)
    set_widths(table, [RECIPIENTS_MM, text_width_mm() - RECIPIENTS_MM])
    keep_row_together(table.rows[0])


def write_signatures(document, left: Signature, right: Signature, *, keep_with=()) -> None:
    """Two signature blocks side by side (a member's self-assessment: the cell confirms on the left,
    the member signs on the right), kept on the page of the paragraphs KEEP_WITH."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center = WD_ALIGN_PARAGRAPH.CENTER
    _keep_with_next(document, keep_with)
    table = document.add_table(rows=1, cols=2)
    for cell, signature in zip(table.rows[0].cells, (left, right), strict=True):
        first_paragraph(cell, signature.authority, bold=True, align=center)
        paragraph(cell, signature.position, italic=not signature.position.isupper(), align=center)
        for _ in range(SIGNATURE_ROOM):
            paragraph(cell, "", align=center)
        paragraph(cell, signature.name, bold=True, align=center)
    half = text_width_mm() / 2
    set_widths(table, [half, half])
    keep_row_together(table.rows[0])
