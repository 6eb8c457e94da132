"""The official report "Báo cáo kết quả học tập, quán triệt …" of one organisation's subtree, as .docx.

Laid out in the party document format (Hướng dẫn 36-HD/VPTW, see
shared/reference/party-document-symbols.md): the issuer block top left (the superior đảng bộ,
the issuing committee in bold, "*", the number and symbol), "ĐẢNG CỘNG SẢN VIỆT NAM" top right
with the place and date under it, the type "BÁO CÁO" and its trích yếu, the body, the signature
block ("T/M" the collective, the title, room for signature and seal) and "Nơi nhận:".

The figures come from the fidelity rows only (`FidelityScore`, refreshed by `rollup.py`), never
from raw attendance, so a report of a whole province costs a handful of aggregate queries.

Decisions where the reference is silent or unconfirmed:
- The document number is left blank for the committee office to register: the line is written
  as in drafts, "Số      -BC/TU" (the type code BC is the state one, widely used by party
  offices; TU for a tỉnh ủy, ĐU for other committees, CB for a chi bộ — CB is unconfirmed).
- A tỉnh ủy has no superior line (it sits directly under the Central Committee); every other
  organisation shows its parent's đảng bộ above its own committee name.
- The place is the commune or ward for a commune committee and the units under it, otherwise
  the province: the setting ``REPORT_PLACE`` when set, else derived from the root
  organisation's name ("Đảng bộ tỉnh Vĩnh Long" → "Vĩnh Long").
- Committees with a standing committee sign "T/M BAN THƯỜNG VỤ", grassroots committees
  "T/M ĐẢNG ỦY", cells "T/M CHI BỘ"; the title is "BÍ THƯ" and the name under the room for the
  signature is the issuing organisation's secretary on the report's date (the position record):
  the title says BÍ THƯ, so the accountable head of the obligation, who may be a deputy, is not
  used. With no secretary on record that day the name is left blank for the office to fill in.
- Recipients ("Nơi nhận:") follow the issuing level: a province reports to its own Thường trực
  and Ban Thường vụ (a directive of the province is not reported to the Ban Bí thư by default),
  a unit below to the committee directly above and its propaganda department. Each plan may set
  its own lines per level (`FidelityConfig.recipients`, "{cap_tren}" = the committee above).
- The header block never breaks a unit's name: the two columns are sized from the width of
  their longest line (Times New Roman metrics, estimated), the issuer's lines drop to 13 then
  12 pt when the name is very long, and only a name too long even then is split, between words.
- The signature block is kept on the page of the closing sentence ("Trên đây là báo cáo …"):
  that paragraph keeps with the next, the signature table's row does not split.
- Margins 20/20/30/15 mm (top/bottom/left/right) on A4, Times New Roman 14 pt (tables 12 pt),
  page numbers from page 2: the margins are unconfirmed in the reference, so they are constants.
- Long tables are capped (``MAX_LATE_ROWS``, ``MAX_WEAK_ROWS``), saying how many more units
  there are; the full list is in the .xlsx export of the dashboard.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Avg, Count, F, Max, Min, Q
from django.utils import timezone

from quantriet.core.numbers import format_integer as _int  # counts in report sentences: 27.000
from quantriet.core.text import printable, vn_date
from quantriet.org.models import CELL_KINDS, Organization, OrgKind, Title
from quantriet.org.selectors import org_ancestors
from quantriet.study.models import LEVEL_OF_KIND, Level

from .components import COMPONENTS, FLAGS, basis, lam_luot_rule
from .dashboard import BANDS, subtree_rows, weakest
from .models import FidelityScore, plan_settings

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
#: Page margins in millimetres (unconfirmed in the reference; see the module docstring).
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
PAGE_MM = (210, 297)
#: Rows of the late/overdue and the weakest-units tables; the rest are counted, not listed.
MAX_LATE_ROWS = 30
MAX_WEAK_ROWS = 20
#: Blank room for the number, which the committee office fills in when registering the report.
NUMBER_BLANK = "      "

#: Committees that have a standing committee (ban thường vụ) and sign on its behalf.
STANDING_KINDS = {OrgKind.TINH_UY, OrgKind.DANG_UY_XA, OrgKind.DANG_UY_KHOI}
COMMUNE_KINDS = {OrgKind.DANG_UY_XA}
#: Levels as the report's sentences name them (the tables use the full labels).
LEVEL_WORDS = {
    Level.PROVINCE: "cấp tỉnh",
    Level.UPPER: "cấp trực thuộc tỉnh",
    Level.GRASSROOTS: "cấp cơ sở",
    Level.CELL: "cấp chi bộ trực thuộc",
}
_PLACE_PREFIXES = re.compile(r"^(đảng bộ|(?:đảng|tỉnh|thành) (?:ủy|uỷ))\s+", re.IGNORECASE)
_COMMITTEE_PREFIX = re.compile(r"^đảng (?:ủy|uỷ)\s+", re.IGNORECASE)
_UNIT_PREFIXES = re.compile(r"^(tỉnh|thành phố|xã|phường|đặc khu)\s+", re.IGNORECASE)


# ---------------------------------------------------------------- names, place, date


def _strip_prefix(pattern, text: str) -> str:
    return pattern.sub("", text.strip(), count=1)


def committee_name(org: Organization) -> str:
    """The committee that issues ORG's documents, in sentence case: "Tỉnh ủy Vĩnh Long", "Đảng ủy xã An Bình"."""
    name = " ".join(org.name.split())
    if org.kind in CELL_KINDS:
        return name
    if org.kind == OrgKind.TINH_UY:
        rest = _strip_prefix(_PLACE_PREFIXES, name)
        match = _UNIT_PREFIXES.match(rest)
        if match and match.group(1).lower() == "thành phố":
            return f"Thành ủy {rest[match.end() :]}"
        if match:
            return f"Tỉnh ủy {rest[match.end() :]}"
        return name
    if name.lower().startswith("đảng bộ "):
        return f"Đảng ủy {name[len('đảng bộ ') :]}"
    return name


def reporter_name(org: Organization) -> str:
    """Who reports, in the body's words: "Ban Thường vụ Tỉnh ủy Vĩnh Long", "Đảng ủy …", "Chi bộ …"."""
    name = committee_name(org)
    return f"Ban Thường vụ {name}" if org.kind in STANDING_KINDS else name


def party_name(org: Organization) -> str:
    """The đảng bộ (or chi bộ) an organisation is, as the superior line names it."""
    name = " ".join(org.name.split())
    match = _COMMITTEE_PREFIX.match(name)
    return f"Đảng bộ {name[match.end() :]}" if match else name


def issuer_code(org: Organization) -> str:
    if org.kind == OrgKind.TINH_UY:
        return "TU"
    if org.kind in CELL_KINDS:
        return "CB"
    return "ĐU"


def _place_of(org: Organization) -> str:
    """ "Vĩnh Long" from "Đảng bộ tỉnh Vĩnh Long", "An Bình" from "Đảng bộ xã An Bình"."""
    return _strip_prefix(_UNIT_PREFIXES, _strip_prefix(_PLACE_PREFIXES, org.name))


def report_place(org: Organization, ancestors: list[Organization]) -> str:
    """Where the report is issued: the commune for a commune and its units, else the province."""
    for unit in [org, *reversed(ancestors)]:
        if unit.kind in COMMUNE_KINDS:
            return _place_of(unit)
    configured = settings.REPORT_PLACE
    if configured:
        return configured
    return _place_of(ancestors[0] if ancestors else org)


def party_date(day) -> str:
    """ "ngày 03 tháng 4 năm 2018": days 1–9 and months 1–2 get a leading zero, as in 36-HD's examples."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


# ---------------------------------------------------------------- numbers in Vietnamese


def _dec(value, digits=1) -> str:
    if value is None:
        return "—"
    text = f"{value:,.{digits}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def _pct(part, whole) -> str:
    return f"{_dec(100 * part / whole)}%" if whole else "—"


def band_label(index) -> str:
    if index is None:
        return "chưa đánh giá"
    return next(label for floor, _, label in BANDS if index >= floor)


# ---------------------------------------------------------------- the figures


@dataclass
class Progress:
    units: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    not_due: int = 0
    shared: int = 0  # studied at an upper level's conference (bridging point)

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.overdue


def _progress_counts(today) -> dict:
    return {
        "units": Count("id", filter=Q(deadline__isnull=False)),
        "on_time": Count("id", filter=Q(held_on__isnull=False, deadline__isnull=False, held_on__lte=F("deadline"))),
        "late": Count("id", filter=Q(held_on__isnull=False, deadline__isnull=False, held_on__gt=F("deadline"))),
        "overdue": Count("id", filter=Q(held_on__isnull=True, deadline__lt=today)),
        "not_due": Count("id", filter=Q(held_on__isnull=True, deadline__gte=today)),
        "shared": Count("id", filter=Q(inherited=True, deadline__isnull=False)),
    }


def progress(rows, today) -> Progress:
    return Progress(**rows.aggregate(**_progress_counts(today)))


def by_level(rows, today, margin) -> list[dict]:
    """Per level of the cascade (top first): progress, index and decay figures, in one query."""
    figures = {
        row["level"]: row
        for row in rows.exclude(level="")
        .values("level")
        .annotate(
            **_progress_counts(today),
            last_deadline=Max("deadline"),
            judged=Count("id", filter=Q(index__isnull=False)),
            mean=Avg("index"),
            low=Min("index"),
            compared=Count("id", filter=Q(decay__isnull=False)),
            below=Count("id", filter=Q(decay__gt=0)),
            beyond=Count("id", filter=Q(decay__gt=margin)),
            mean_decay=Avg("decay"),
            flagged=Count("id", filter=Q(lam_luot=True)),
        )
    }
    return [
        {**figures[level.value], "label": level.label, "words": LEVEL_WORDS[level]}
        for level in Level
        if level.value in figures
    ]


def flag_counts(rows) -> dict[str, int]:
    counts = dict.fromkeys(FLAGS, 0)
    for flags in rows.values_list("flags", flat=True).iterator(chunk_size=2000):
        for flag in flags or []:
            if flag in counts:
                counts[flag] += 1
    return counts


def late_units(rows, today):
    """Overdue units (oldest deadline first), then late ones (per deadline, most days late first); and how many."""
    overdue = rows.filter(held_on__isnull=True, deadline__lt=today).order_by("deadline", "path")
    late = rows.filter(held_on__isnull=False, deadline__isnull=False, held_on__gt=F("deadline"))
    late = late.order_by("deadline", "-held_on", "path")
    related = ("org", "head", "parent_org")
    listed = list(overdue.select_related(*related)[:MAX_LATE_ROWS])
    listed += list(late.select_related(*related)[: MAX_LATE_ROWS - len(listed)])
    return listed, overdue.count() + late.count()


def _unit_name(row: FidelityScore, org: Organization) -> str:
    parent = row.parent_org
    if parent is None or parent.pk == org.pk:
        return row.org.name
    return f"{row.org.name} ({parent.name})"


def _head(row: FidelityScore) -> str:
    return row.head.full_name if row.head else "—"


def _documents_phrase(plan) -> str:
    """ "Chỉ thị số 28-CT/TU, ngày 19/10/2022 của Ban Thường vụ Tỉnh ủy Trà Vinh" (or the plan's title)."""
    parts = []
    for document in plan.documents.order_by("issued_on", "id"):
        part = f"{document.get_doc_type_display()} số {document.symbol}, ngày {vn_date(document.issued_on)}"
        if document.issuer_name:
            part += f" của {document.issuer_name}"
        parts.append(part)
    return "; ".join(parts) if parts else f"theo {plan.title}"


def _short_documents(plan) -> str:
    symbols = [f"{d.get_doc_type_display()} {d.symbol}" for d in plan.documents.order_by("issued_on", "id")]
    return ", ".join(symbols) if symbols else f"theo {plan.title}"


# ---------------------------------------------------------------- python-docx helpers


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


def _new_document():
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


def _text_width_mm() -> int:
    return PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]


def _fill(paragraph, text="", *, size=BODY_PT, bold=False, italic=False, underline=False, align=None, after=0):
    from docx.shared import Pt

    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    if text:  # stored names may predate the entrances' refusal of control characters (Word cannot hold them)
        run = paragraph.add_run(printable(text))
        run.font.size = Pt(size)
        run.bold, run.italic, run.underline = bold, italic, underline
    return paragraph


def _para(container, text="", **style):
    """A new paragraph in CONTAINER (the document or a table cell); see `_fill` for the style."""
    return _fill(container.add_paragraph(), text, **style)


def _first_para(cell, text="", **style):
    """The first paragraph of a table cell (a new cell holds one empty paragraph)."""
    return _fill(cell.paragraphs[0], text, **style)


def _body(document, text, *, bold=False, italic=False):
    """A body paragraph: justified, first line indented, 6 pt after."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    paragraph = _para(document, text, bold=bold, italic=italic, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6)
    paragraph.paragraph_format.first_line_indent = Mm(10)
    paragraph.paragraph_format.line_spacing = Pt(20)
    return paragraph


def _heading(document, text):
    return _body(document, text, bold=True)


def _widths(table, widths_mm) -> None:
    from docx.shared import Mm

    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)  # the grid LibreOffice lays out by
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _grid(document, headers, lines, widths_mm, left=(1,)):
    """A bordered table in 12 pt, its header row bold and repeated on every page."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = document.add_table(rows=1, cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _first_para(cell, header, size=TABLE_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for line in lines:
        cells = table.add_row().cells
        for column, (cell, value) in enumerate(zip(cells, line, strict=True)):
            align = WD_ALIGN_PARAGRAPH.LEFT if column in left else WD_ALIGN_PARAGRAPH.CENTER
            _first_para(cell, str(value), size=TABLE_PT, align=align)
    _widths(table, widths_mm)
    _para(document, after=6)
    return table


# ---------------------------------------------------------------- the document's parts


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
NATION, NATION_PT = "ĐẢNG CỘNG SẢN VIỆT NAM", 15


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

    The right column needs at least "ĐẢNG CỘNG SẢN VIỆT NAM" on one line; the left gets what the
    issuer's name needs at the largest of HEADER_SIZES at which it fits on one line, the right the
    rest. A name that fits at no size is split in two between words, at the largest size at
    which both lines fit.
    """
    width = _text_width_mm()
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


def _header(document, plan, org, ancestors, day) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center = WD_ALIGN_PARAGRAPH.CENTER
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    parent = ancestors[-1] if ancestors else None
    superior = party_name(parent).upper() if parent is not None and org.kind != OrgKind.TINH_UY else None
    left_mm, right_mm, size, issuer = header_layout(superior, committee_name(org).upper())
    first, *rest = issuer.split("\n")
    paragraph = _first_para(left, first, size=size, bold=True, align=center)
    for line in rest:  # only a name too long for any size: a deliberate break between words
        run = paragraph.add_run()
        run.bold, run.font.size = True, paragraph.runs[0].font.size
        run.add_break()
        run.add_text(printable(line))
    if superior:
        _fill(paragraph.insert_paragraph_before(), superior, size=size, align=center)
    _para(left, "*", align=center)
    _para(left, f"Số{NUMBER_BLANK}-BC/{issuer_code(org)}", align=center)
    _first_para(right, NATION, size=NATION_PT, bold=True, underline=True, align=center)
    _para(right, "", align=center)
    place, *date = _place_lines(report_place(org, ancestors), party_date(day), right_mm).split("\n")
    dated = _para(right, place, italic=True, align=center)
    for line in date:
        run = dated.add_run()
        run.italic, run.font.size = True, dated.runs[0].font.size
        run.add_break()
        run.add_text(printable(line))
    _widths(table, [left_mm, right_mm])
    _para(document, after=12)


def _title(document, plan) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(document, "BÁO CÁO", size=16, bold=True, align=center)
    form = plan.get_form_display().lower()
    _para(document, f"kết quả {form} {_documents_phrase(plan)}", bold=True, align=center)
    _para(document, "-----", align=center, after=12)


def _opening(document, plan, org, row) -> None:
    reference = ""
    if plan.symbol or plan.published_at:
        bits = [f"số {plan.symbol}"] if plan.symbol else []
        if plan.published_at:
            bits.append(f"ngày {vn_date(timezone.localtime(plan.published_at).date())}")
        reference = f" ({', '.join(bits)})"
    form = plan.get_form_display().lower()
    _body(
        document,
        f"Thực hiện {plan.title}{reference}, {reporter_name(org)} báo cáo kết quả {form} "
        f"{_short_documents(plan)} trong {org.name} như sau:",
    )
    refreshed = timezone.localtime(row.refreshed_at)
    _body(
        document,
        f"(Số liệu tổng hợp từ chỉ số làm kỹ trên hệ thống Quán Triệt, cập nhật lúc {refreshed:%H:%M} "
        f"ngày {vn_date(refreshed.date())}.)",
        italic=True,
    )


def _own_conference(row: FidelityScore, org, today) -> str:
    if row.deadline is None:
        return f"{org.name} không có nhiệm vụ tự tổ chức hội nghị trong kế hoạch này."
    deadline = vn_date(row.deadline)
    if row.held_on is None:
        if row.deadline < today:
            days = (today - row.deadline).days
            return f"{org.name} chưa tổ chức hội nghị học tập, quán triệt, đã quá hạn {days} ngày (hạn {deadline})."
        return f"{org.name} chưa tổ chức hội nghị học tập, quán triệt; hạn tổ chức là ngày {deadline}."
    text = f"{org.name} đã tổ chức hội nghị học tập, quán triệt ngày {vn_date(row.held_on)} (hạn {deadline}"
    late = (row.held_on - row.deadline).days
    text += f", trễ {late} ngày)" if late > 0 else ", đúng hạn)"
    if row.inherited:
        return text + ", học tập chung tại hội nghị của cấp trên."
    if row.chaired_by_secretary and row.presented_by_secretary:
        text += "; đồng chí bí thư trực tiếp chủ trì và quán triệt"
    elif row.chaired_by_secretary:
        text += "; đồng chí bí thư chủ trì nhưng không trực tiếp quán triệt"
    elif row.presented_by_secretary:
        text += "; đồng chí bí thư trực tiếp quán triệt nhưng không chủ trì"
    else:
        text += "; đồng chí bí thư không chủ trì, không trực tiếp quán triệt"
    if row.duration:
        text += f"; thời lượng {row.duration} phút"
    return text + "."


def _progress_section(document, row, org, subs, levels, today) -> Progress:
    _heading(document, "1. Tiến độ tổ chức hội nghị học tập, quán triệt")
    _body(document, _own_conference(row, org, today))
    counts = progress(subs, today)
    if counts.units:
        text = (
            f"Trong {_int(counts.units)} tổ chức đảng trực thuộc có nhiệm vụ tổ chức học tập, quán triệt, "
            f"{_int(counts.due)} đơn vị đã đến hạn hoặc đã tổ chức: {_int(counts.on_time)} đơn vị tổ chức đúng hạn "
            f"({_pct(counts.on_time, counts.due)}), {_int(counts.late)} đơn vị tổ chức trễ hạn "
            f"({_pct(counts.late, counts.due)}), {_int(counts.overdue)} đơn vị quá hạn chưa tổ chức "
            f"({_pct(counts.overdue, counts.due)}); {_int(counts.not_due)} đơn vị chưa đến hạn."
        )
        if counts.shared:
            text += f" Có {_int(counts.shared)} đơn vị học tập chung tại hội nghị của cấp trên (điểm cầu)."
        _body(document, text)
    if levels:
        _body(document, "Tiến độ theo từng cấp (kể cả cấp báo cáo):", italic=True)
        _grid(
            document,
            ["Cấp", "Số đơn vị", "Đúng hạn", "Trễ hạn", "Quá hạn", "Chưa đến hạn", "Hạn"],
            [
                [
                    level["label"],
                    _int(level["units"]),
                    _int(level["on_time"]),
                    _int(level["late"]),
                    _int(level["overdue"]),
                    _int(level["not_due"]),
                    vn_date(level["last_deadline"]),
                ]
                for level in levels
            ],
            [47, 18, 18, 18, 18, 18, 28],
            left=(0,),
        )
    return counts


def _members_section(document, plan, row, org) -> None:
    _heading(document, "2. Đảng viên dự học")
    text = f"{org.name} có {_int(row.members)} đảng viên"
    if row.expected:
        text += (
            f"; {_int(row.expected)} đảng viên thuộc các đơn vị đã tổ chức hoặc đã quá hạn tổ chức phải dự học. "
            f"Số đảng viên dự học: {_int(row.attended)} ({_pct(row.attended, row.expected)} số đảng viên phải dự học); "
            f"vắng mặt không có lý do: {_int(row.unexcused)} ({_pct(row.unexcused, row.expected)} số đảng viên phải "
            "dự học)."
        )
    else:
        text += "; chưa có đơn vị nào đến hạn tổ chức nên chưa tính tỷ lệ dự học."
    _body(document, text)

    _heading(document, "3. Bài thu hoạch")
    if not plan.essay_audience:
        _body(document, "Kế hoạch không yêu cầu viết bài thu hoạch.")
    elif not row.writers:
        _body(document, "Chưa có số liệu về đảng viên phải viết bài thu hoạch.")
    else:
        deadline = f" (hạn nộp ngày {vn_date(plan.essay_deadline)})" if plan.essay_deadline else ""
        text = (
            f"Số đảng viên phải viết bài thu hoạch: {_int(row.writers)}{deadline}; đã nộp {_int(row.submitted)} bài "
            f"({_pct(row.submitted, row.writers)} số đảng viên phải viết). Đã chấm {_int(row.graded)} bài"
        )
        text += f", điểm bình quân đạt {_dec(row.grade_pct_sum / row.graded)}% số điểm tối đa." if row.graded else "."
        if row.checked:
            copied = row.checked - row.independent
            text += (
                f" Đã kiểm tra tính độc lập {_int(row.checked)} bài: {_int(row.independent)} bài tự viết "
                f"({_pct(row.independent, row.checked)} số bài đã kiểm tra), {_int(copied)} bài có dấu hiệu sao chép."
            )
        _body(document, text)

    _heading(document, "4. Bài kiểm tra nhận thức")
    if not plan.quiz_required:
        _body(document, "Kế hoạch không yêu cầu làm bài kiểm tra.")
    elif not row.takers:
        _body(document, "Chưa có số liệu bài kiểm tra.")
    else:
        text = (
            f"Số đảng viên phải làm bài kiểm tra: {_int(row.takers)}; "
            f"đã làm {_int(row.took)} ({_pct(row.took, row.takers)} số đảng viên phải làm)"
        )
        if row.took:
            text += (
                f"; điểm bình quân {_dec(row.quiz_pct_sum / row.took)}%; đạt yêu cầu {_int(row.passed)} "
                f"({_pct(row.passed, row.took)} số đảng viên đã làm bài)"
            )
        _body(document, text + ".")


def _index_section(document, row, org, levels, config) -> None:
    _heading(document, "1. Chỉ số làm kỹ của " + org.name)
    if row.not_due:
        _body(
            document,
            f"{org.name} chưa đến hạn tổ chức hội nghị (hạn {vn_date(row.deadline)}) nên chưa được đánh giá chỉ số "
            "làm kỹ; các số liệu đảng viên nêu trên là số liệu tạm tính.",
        )
    elif row.index is None:
        _body(document, "Chưa đủ dữ liệu để tính chỉ số làm kỹ.")
    else:
        text = f"Chỉ số làm kỹ của {org.name} đạt {_dec(row.index)}/100, mức “{band_label(row.index)}”"
        if row.parent_index is not None and row.decay is not None:
            side = "thấp hơn" if row.decay > 0 else "cao hơn" if row.decay < 0 else "bằng"
            gap = f" {_dec(abs(row.decay))} điểm" if row.decay else ""
            text += f"; {side} cấp trên trực tiếp{gap} (cấp trên đạt {_dec(row.parent_index)})"
        _body(document, text + ". Kết quả từng thành phần:")
        _grid(
            document,
            ["Thành phần", "Kết quả (%)", "Tính trên"],
            [
                [
                    c.label,
                    _dec(None if row.components.get(c.key) is None else 100 * row.components[c.key]),
                    basis(c.key, row) or "hội nghị của đơn vị",
                ]
                for c in COMPONENTS
            ],
            [75, 22, _text_width_mm() - 97],
            left=(0, 2),
        )
    if not levels:
        return
    _heading(document, "2. Chỉ số làm kỹ theo cấp")
    _grid(
        document,
        ["Cấp", "Số đơn vị được đánh giá", "Chỉ số bình quân", "Thấp nhất", "Thấp hơn cấp trên", "Làm lướt"],
        [
            [
                level["label"],
                _int(level["judged"]),
                _dec(level["mean"]),
                _dec(level["low"]),
                f"{_int(level['below'])}/{_int(level['compared'])}",
                _int(level["flagged"]),
            ]
            for level in levels
        ],
        [55, 22, 22, 20, 26, 20],
        left=(0,),
    )
    _heading(document, "3. Mức suy giảm từ cấp trên xuống cấp dưới")
    chain = "; ".join(f"{level['words']} {_dec(level['mean'])}" for level in levels if level["mean"] is not None)
    if chain:
        _body(document, f"Chỉ số bình quân theo cấp, từ trên xuống: {chain}.")
    falling = [level for level in levels if level["compared"] and (level["mean_decay"] or 0) > 0]
    for level in levels:
        if not level["compared"]:
            continue
        mean_decay = level["mean_decay"] or 0
        side = "thấp hơn" if mean_decay > 0 else "cao hơn" if mean_decay < 0 else "bằng"
        gap = f" {_dec(abs(mean_decay))} điểm" if mean_decay else ""
        _body(
            document,
            f"Ở {level['words']}, {_int(level['below'])}/{_int(level['compared'])} đơn vị có chỉ số thấp hơn cấp "
            f"trên trực tiếp, bình quân {side} cấp trên{gap}; {_int(level['beyond'])} đơn vị thấp hơn cấp trên quá "
            f"{_dec(config.margin, 0)} điểm.",
        )
    if falling:
        worst = max(falling, key=lambda level: level["mean_decay"])
        names = ", ".join(level["words"] for level in falling)
        _body(
            document,
            f"Như vậy, chỉ số làm kỹ giảm so với cấp trên ở {names}: biểu hiện của tình trạng “cấp trên làm kỹ, "
            f"cấp dưới làm lướt” cần được chấn chỉnh. Suy giảm nhiều nhất ở {worst['words']} (bình quân thấp hơn "
            f"cấp trên {_dec(worst['mean_decay'])} điểm).",
        )
    elif any(level["compared"] for level in levels):
        _body(document, "Chưa thấy tình trạng cấp dưới có chỉ số làm kỹ thấp hơn cấp trên.")


def _late_table(document, org, subs, today) -> None:
    _heading(document, "1. Các đơn vị tổ chức trễ hạn, quá hạn")
    listed, total = late_units(subs, today)
    if not total:
        _body(document, "Không có đơn vị nào tổ chức trễ hạn hoặc quá hạn chưa tổ chức.")
        return
    lines = []
    for number, row in enumerate(listed, start=1):
        if row.held_on is None:
            status = f"Quá hạn {(today - row.deadline).days} ngày"
        else:
            status = f"Trễ {(row.held_on - row.deadline).days} ngày"
        lines.append(
            [number, _unit_name(row, org), vn_date(row.deadline), vn_date(row.held_on) or "—", status, _head(row)]
        )
    _grid(
        document,
        ["STT", "Tổ chức đảng", "Hạn", "Ngày tổ chức", "Tình trạng", "Người chịu trách nhiệm"],
        lines,
        [13, 45, 25, 25, 27, 30],
    )
    if total > len(listed):
        _body(
            document,
            f"Ngoài ra còn {_int(total - len(listed))} đơn vị khác (xem bảng chỉ số làm kỹ .xlsx).",
            italic=True,
        )


def _weak_table(document, org, subs, config) -> None:
    _heading(document, "2. Các đơn vị có dấu hiệu làm lướt")
    rows = weakest(subs, flagged=True).select_related("parent_org")
    total = rows.count()
    _body(document, f"Tiêu chí: {lam_luot_rule(config)}.", italic=True)
    if not total:
        _body(document, "Không có đơn vị nào có dấu hiệu làm lướt.")
        return
    _body(document, f"Có {_int(total)} đơn vị có dấu hiệu làm lướt, chỉ số thấp nhất trước:")
    lines = []
    for number, row in enumerate(rows[:MAX_WEAK_ROWS], start=1):
        flags = "; ".join(FLAGS[f] for f in row.flags if f in FLAGS and f != "lam_luot") or "—"
        lines.append([number, _unit_name(row, org), _dec(row.index), _dec(row.decay), flags, _head(row)])
    _grid(
        document,
        ["STT", "Tổ chức đảng", "Chỉ số", "Thấp hơn cấp trên (điểm)", "Cảnh báo khác", "Người chịu trách nhiệm"],
        lines,
        [13, 45, 17, 20, 40, 30],
    )
    if total > MAX_WEAK_ROWS:
        _body(
            document,
            f"Ngoài ra còn {_int(total - MAX_WEAK_ROWS)} đơn vị khác (xem bảng chỉ số làm kỹ .xlsx).",
            italic=True,
        )


def proposals(plan, org, row, flags: dict[str, int], config, today) -> list[str]:
    """Short proposals generated from the flags of the units below and the organisation's own figures."""
    found = []
    who = reporter_name(org)
    if flags["qua_han"]:
        found.append(
            f"Yêu cầu {_int(flags['qua_han'])} tổ chức đảng quá hạn chưa tổ chức học tập, quán triệt khẩn trương "
            f"tổ chức, báo cáo kết quả về {who}; người đứng đầu chịu trách nhiệm về việc chậm trễ."
        )
    if flags["tre_han"] or flags["truoc_cap_tren"]:
        text = f"Chấn chỉnh {_int(flags['tre_han'])} đơn vị tổ chức trễ hạn"
        if flags["truoc_cap_tren"]:
            text += f" và {_int(flags['truoc_cap_tren'])} đơn vị tổ chức trước khi cấp trên quán triệt"
        found.append(text + "; người đứng đầu kiểm điểm, rút kinh nghiệm, bảo đảm đúng trình tự, đúng thời gian.")
    if flags["khong_bi_thu"]:
        found.append(
            f"Ở {_int(flags['khong_bi_thu'])} đơn vị, bí thư không trực tiếp chủ trì hoặc quán triệt: yêu cầu bí thư "
            "cấp ủy trực tiếp chủ trì, quán triệt; trường hợp vắng mặt phải có lý do và báo cáo cấp trên."
        )
    if flags["thieu_lien_he"] or flags["chep_lien_he"]:
        text = f"Yêu cầu {_int(flags['thieu_lien_he'] + flags['chep_lien_he'])} đơn vị chưa liên hệ tình hình thực tế"
        if flags["chep_lien_he"]:
            text += f" (trong đó {_int(flags['chep_lien_he'])} đơn vị chép phần liên hệ của cấp trên)"
        found.append(text + " bổ sung, xây dựng chương trình hành động cụ thể, sát với tình hình đơn vị.")
    if flags["lam_luot"]:
        found.append(
            f"Đưa {_int(flags['lam_luot'])} đơn vị có dấu hiệu làm lướt vào chương trình kiểm tra, giám sát; đơn vị "
            f"có chỉ số dưới {_dec(config.floor, 0)} tổ chức học tập lại hoặc học bù."
        )
    if row.expected and row.attended < row.expected:
        missing = row.expected - row.attended
        found.append(
            f"Tổ chức học bù cho {_int(missing)} đảng viên chưa dự học; "
            "xem xét trách nhiệm các trường hợp vắng mặt không có lý do."
        )
    if plan.essay_audience and row.writers and row.submitted < row.writers:
        missing, deadline = _int(row.writers - row.submitted), plan.essay_deadline
        if deadline is not None and deadline < today:
            found.append(
                f"Yêu cầu {missing} đảng viên chưa nộp bài thu hoạch (quá hạn từ ngày {vn_date(deadline)}) nộp bài; "
                "việc chậm nộp được xem xét khi đánh giá, xếp loại đảng viên."
            )
        else:
            by = f" trước ngày {vn_date(deadline)}" if deadline else ""
            found.append(f"Đôn đốc {missing} đảng viên chưa nộp bài thu hoạch hoàn thành bài{by}.")
    if row.checked and row.independent < row.checked:
        found.append(
            f"Yêu cầu {_int(row.checked - row.independent)} đảng viên có bài thu hoạch sao chép viết lại; kết quả "
            "học tập được xem xét khi đánh giá, xếp loại đảng viên cuối năm."
        )
    if not found:
        found.append("Tiếp tục duy trì nền nếp, chất lượng học tập, quán triệt; nhân rộng cách làm tốt của các đơn vị.")
    return found


def _signature(document, org, lines: list[str], signer: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center = WD_ALIGN_PARAGRAPH.CENTER
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    _first_para(left, "Nơi nhận:", size=12, bold=True, italic=True, underline=True)
    for line in lines:
        _para(left, line, size=12)
    _first_para(right, signing_collective(org), bold=True, align=center)
    _para(right, "BÍ THƯ", bold=True, align=center)
    for _ in range(4):  # room for the signature and the seal
        _para(right, "", align=center)
    _para(right, signer, bold=True, align=center)
    _widths(table, [80, _text_width_mm() - 80])
    _keep_row_together(table.rows[0])


def signer_name(org: Organization, day) -> str:
    """Who signs: the issuing organisation's secretary on DAY ("" when none is on record)."""
    secretary = org.holder(Title.SECRETARY, on=day)
    return secretary.full_name if secretary else ""


def _keep_row_together(row) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def signing_collective(org: Organization) -> str:
    if org.kind in STANDING_KINDS:
        return "T/M BAN THƯỜNG VỤ"
    if org.kind in CELL_KINDS:
        return "T/M CHI BỘ"
    return "T/M ĐẢNG ỦY"


def _above(org: Organization, ancestors: list[Organization]) -> str:
    """The committee ORG reports to, as a recipient line names it ("" at the top of the tree)."""
    parent = ancestors[-1] if ancestors else None
    if parent is None:
        return ""
    standing = parent.kind in STANDING_KINDS and org.kind not in CELL_KINDS
    return f"{'Ban Thường vụ ' if standing else ''}{committee_name(parent)}"


def default_recipients(org: Organization, ancestors: list[Organization]) -> list[str]:
    """By the issuing level: the top of the tree reports to its own standing bodies (a province's
    report of its own directive does not go to the Ban Bí thư), a unit below to the committee above.

    Units directly under the province send a copy to the province's Ban Tuyên giáo và Dân vận;
    units under a commune or bloc committee to that committee's Ban Xây dựng Đảng (which took
    over propaganda work in 2025).
    """
    lines = []
    root = ancestors[0] if ancestors else org
    if not ancestors:
        name = committee_name(org)
        if org.kind in STANDING_KINDS:
            lines.append(f"- Thường trực {name} (để báo cáo),")
            lines.append(f"- Các đồng chí Ủy viên Ban Thường vụ {name},")
        else:
            lines.append(f"- {name} (để báo cáo),")
    else:
        lines.append(f"- {_above(org, ancestors)} (để báo cáo),")
    if len(ancestors) <= 1 and root.kind == OrgKind.TINH_UY:
        lines.append(f"- Ban Tuyên giáo và Dân vận {committee_name(root)},")
    elif len(ancestors) >= 2:  # below a commune or bloc committee: its party-building department
        lines.append(f"- Ban Xây dựng Đảng {committee_name(ancestors[1])},")
    if org.kind not in CELL_KINDS:
        lines.append("- Các tổ chức đảng trực thuộc,")
        lines.append("- Lưu Văn phòng.")
    else:
        lines.append("- Lưu chi bộ.")
    return lines


def recipients(org: Organization, ancestors: list[Organization], configured: dict | None = None) -> list[str]:
    """The plan's lines for ORG's level when it set them ("{cap_tren}": the committee above), else the default."""
    lines = (configured or {}).get(LEVEL_OF_KIND.get(org.kind, ""))
    if not lines:
        return default_recipients(org, ancestors)
    above = _above(org, ancestors)
    return [line.replace("{cap_tren}", above) for line in lines]


# ---------------------------------------------------------------- entry point


def write_report(plan, org, out, today=None) -> None:
    """Write the report of ORG's subtree under PLAN to OUT (a path or a binary file object).

    ORG must have a fidelity row (`FidelityScore.DoesNotExist` otherwise): run `refresh(plan)`.
    """
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    today = today or timezone.localdate()
    row = FidelityScore.objects.select_related("head").get(plan=plan, org=org)
    config = plan_settings(plan, today)
    ancestors = org_ancestors(org)
    rows = subtree_rows(plan, org)
    subs = rows.exclude(org=org)
    has_units = subs.exists()  # a cell's report has no units below to tabulate
    levels = by_level(rows, today, config.margin) if has_units else []
    numerals = iter(["I", "II", "III", "IV"])

    document = _new_document()
    _header(document, plan, org, ancestors, today)
    _title(document, plan)
    _opening(document, plan, org, row)
    _heading(document, f"{next(numerals)}. KẾT QUẢ {plan.get_form_display().upper()}")
    _progress_section(document, row, org, subs, levels, today)
    _members_section(document, plan, row, org)
    _heading(document, f"{next(numerals)}. ĐÁNH GIÁ MỨC ĐỘ LÀM KỸ (CHỈ SỐ LÀM KỸ)")
    _index_section(document, row, org, levels, config)
    if has_units:
        _heading(document, f"{next(numerals)}. CÁC ĐƠN VỊ CHẬM TRỄ VÀ CÓ DẤU HIỆU LÀM LƯỚT")
        _late_table(document, org, subs, today)
        _weak_table(document, org, subs, config)
    _heading(document, f"{next(numerals)}. ĐỀ XUẤT, KIẾN NGHỊ")
    for number, text in enumerate(proposals(plan, org, row, flag_counts(subs), config, today), start=1):
        last = _body(document, f"{number}. {text}")
    form = plan.get_form_display().lower()
    documents = _short_documents(plan)
    closing = _body(document, f"Trên đây là báo cáo kết quả {form} {documents} của {reporter_name(org)}./.")
    gap = _para(document, after=6, align=WD_ALIGN_PARAGRAPH.LEFT)
    # The signature never stands alone on a page: the last proposal, the closing sentence and the
    # gap keep with what follows, and the signature table's one row does not split.
    for paragraph in (last, closing, gap):
        paragraph.paragraph_format.keep_with_next = True
    _signature(document, org, recipients(org, ancestors, config.recipients), signer_name(org, today))
    document.save(out)
