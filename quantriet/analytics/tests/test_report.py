"""The official report (.docx): layout, figures read from the fidelity rows, the view's gate, LibreOffice."""

import datetime
import io
import re
import shutil
import subprocess
import time
from pathlib import Path

import docx
import pypdf
import pytest
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone

from quantriet.analytics.models import FidelityScore
from quantriet.analytics.report import MAX_LATE_ROWS, MAX_WEAK_ROWS, write_report
from quantriet.analytics.rollup import refresh
from quantriet.core.officialdoc import NUMBER_BLANK, party_date
from quantriet.org.demo import ROOT_CODE
from quantriet.org.letterhead import committee_name, issuer_code, party_name
from quantriet.org.models import Member, Organization, OrgKind, Title
from quantriet.study.demo import PLAN_SYMBOL
from quantriet.study.models import Level, StudyPlan

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def plan(db):
    plan = StudyPlan.objects.get(symbol=PLAN_SYMBOL)
    refresh(plan)
    return plan


@pytest.fixture
def commune(db):
    return Organization.objects.get(code=f"{ROOT_CODE}-X001")


def build(plan, org, today=None):
    out = io.BytesIO()
    write_report(plan, org, out, today=today)
    out.seek(0)
    return docx.Document(out)


def lines(cell):
    return [p.text for p in cell.paragraphs]


def body(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def table_with(document, header: str):
    """The table whose first row has a cell reading HEADER."""
    return next(t for t in document.tables if header in [c.text for c in t.rows[0].cells])


def vn(number) -> str:
    return f"{number:,}".replace(",", ".")


def dec(value) -> str:
    return f"{value:.1f}".replace(".", ",")


def pct(part, whole) -> str:
    return f"{dec(100 * part / whole)}%"


def status_counts(rows, today):
    counts = {"units": 0, "on_time": 0, "late": 0, "overdue": 0, "not_due": 0}
    for row in rows:
        if row.deadline is None:
            continue
        counts["units"] += 1
        if row.held_on is not None:
            counts["on_time" if row.held_on <= row.deadline else "late"] += 1
        else:
            counts["overdue" if row.deadline < today else "not_due"] += 1
    return counts


def place_of_commune(org) -> str:
    return re.sub(r"^Đảng bộ (xã|phường|đặc khu) ", "", org.name)


# ---------------------------------------------------------------- layout


def test_province_header_title_and_signature(plan):
    document = build(plan, plan.issuer, today=datetime.date(2026, 2, 3))
    left, right = document.tables[0].rows[0].cells
    assert lines(left) == ["TỈNH ỦY VĨNH LONG", "*", f"Số{NUMBER_BLANK}-BC/TU"]
    assert lines(right) == ["ĐẢNG CỘNG SẢN VIỆT NAM", "", "Vĩnh Long, ngày 03 tháng 02 năm 2026"]
    assert right.paragraphs[0].runs[0].bold and right.paragraphs[0].runs[0].underline
    assert right.paragraphs[2].runs[0].italic
    texts = [p.text for p in document.paragraphs]
    assert texts[1:3] == [
        "BÁO CÁO",
        "kết quả học tập, quán triệt Chỉ thị số 28-CT/TU, ngày 19/10/2022 của Ban Thường vụ Tỉnh ủy Trà Vinh",
    ]
    for heading in ("I. KẾT QUẢ HỌC TẬP, QUÁN TRIỆT", "II. ĐÁNH GIÁ MỨC ĐỘ LÀM KỸ (CHỈ SỐ LÀM KỸ)"):
        assert heading in texts
    assert "III. CÁC ĐƠN VỊ CHẬM TRỄ VÀ CÓ DẤU HIỆU LÀM LƯỚT" in texts
    assert "IV. ĐỀ XUẤT, KIẾN NGHỊ" in texts
    assert texts[-2].startswith("Trên đây là báo cáo kết quả học tập, quán triệt Chỉ thị 28-CT/TU")
    assert texts[-2].endswith("của Ban Thường vụ Tỉnh ủy Vĩnh Long./.")
    recipients, signature = document.tables[-1].rows[0].cells
    assert lines(signature)[:2] == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]
    assert all(not text for text in lines(signature)[2:-1])  # room to sign and seal
    secretary = plan.issuer.holder(Title.SECRETARY, on=datetime.date(2026, 2, 3))
    assert lines(signature)[-1] == secretary.full_name  # the secretary on the report's date signs
    # A province reports to its own standing bodies, not to the Ban Bí thư (configurable per plan).
    assert lines(recipients) == [
        "Nơi nhận:",
        "- Thường trực Tỉnh ủy Vĩnh Long (để báo cáo),",
        "- Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy Vĩnh Long,",
        "- Ban Tuyên giáo và Dân vận Tỉnh ủy Vĩnh Long,",
        "- Các tổ chức đảng trực thuộc,",
        "- Lưu Văn phòng.",
    ]


def test_page_font_and_margins(plan):
    document = build(plan, plan.issuer)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt == 14
    sizes = {run.font.size.pt for p in document.paragraphs for run in p.runs if run.font.size}
    assert sizes <= {13, 14, 15, 16}
    assert section.different_first_page_header_footer  # page numbers from page 2


def test_commune_header_place_and_recipients(plan, commune):
    document = build(plan, commune, today=datetime.date(2026, 11, 26))
    left, right = document.tables[0].rows[0].cells
    committee = "ĐẢNG ỦY " + commune.name.upper().removeprefix("ĐẢNG BỘ ")
    assert lines(left) == ["ĐẢNG BỘ TỈNH VĨNH LONG", committee, "*", f"Số{NUMBER_BLANK}-BC/ĐU"]
    assert left.paragraphs[1].runs[0].bold and not left.paragraphs[0].runs[0].bold
    # Broken after the comma only when the line does not fit the column.
    assert lines(right)[2].replace(",\n", ", ") == f"{place_of_commune(commune)}, ngày 26 tháng 11 năm 2026"
    recipients, signature = document.tables[-1].rows[0].cells
    assert lines(signature)[0] == "T/M BAN THƯỜNG VỤ"
    assert lines(recipients)[1:3] == [
        "- Ban Thường vụ Tỉnh ủy Vĩnh Long (để báo cáo),",
        "- Ban Tuyên giáo và Dân vận Tỉnh ủy Vĩnh Long,",
    ]


def test_place_is_configurable_above_the_communes(plan, commune, settings):
    settings.REPORT_PLACE = "Trà Vinh"
    province = build(plan, plan.issuer, today=datetime.date(2026, 12, 1))
    assert lines(province.tables[0].rows[0].cells[1])[2] == "Trà Vinh, ngày 01 tháng 12 năm 2026"
    own = build(plan, commune, today=datetime.date(2026, 12, 1))
    assert lines(own.tables[0].rows[0].cells[1])[2].startswith(place_of_commune(commune) + ",")


def test_cell_report_has_no_unit_tables(plan, commune):
    cell = Organization.objects.filter(path__startswith=commune.path, depth=commune.depth + 1).order_by("path")[0]
    document = build(plan, cell)
    left = lines(document.tables[0].rows[0].cells[0])
    # A cell's name too long for one line even at 12 pt is split between words, never inside one.
    assert left[0] == commune.name.upper() and left[1].replace("\n", " ") == cell.name.upper()
    assert left[-1].endswith("-BC/CB")
    texts = [p.text for p in document.paragraphs]
    assert not any("CÁC ĐƠN VỊ CHẬM TRỄ" in t for t in texts)
    assert "III. ĐỀ XUẤT, KIẾN NGHỊ" in texts
    recipients, signature = document.tables[-1].rows[0].cells
    assert lines(signature)[0] == "T/M CHI BỘ"
    assert lines(recipients)[-1] == "- Lưu chi bộ."


@pytest.mark.parametrize(
    ("name", "kind", "committee", "party", "code"),
    [
        ("Đảng bộ tỉnh Vĩnh Long", OrgKind.TINH_UY, "Tỉnh ủy Vĩnh Long", "Đảng bộ tỉnh Vĩnh Long", "TU"),
        ("Đảng bộ thành phố Cần Thơ", OrgKind.TINH_UY, "Thành ủy Cần Thơ", "Đảng bộ thành phố Cần Thơ", "TU"),
        ("Đảng bộ xã An Bình", OrgKind.DANG_UY_XA, "Đảng ủy xã An Bình", "Đảng bộ xã An Bình", "ĐU"),
        ("Đảng uỷ Khối cơ quan", OrgKind.DANG_UY_KHOI, "Đảng uỷ Khối cơ quan", "Đảng bộ Khối cơ quan", "ĐU"),
        ("Chi bộ ấp Phú Thạnh", OrgKind.CHI_BO, "Chi bộ ấp Phú Thạnh", "Chi bộ ấp Phú Thạnh", "CB"),
    ],
)
def test_names_of_the_issuing_committee(name, kind, committee, party, code):
    org = Organization(name=name, kind=kind)
    assert (committee_name(org), party_name(org), issuer_code(org)) == (committee, party, code)


def test_party_date_pads_days_and_the_first_two_months():
    assert party_date(datetime.date(2018, 4, 3)) == "ngày 03 tháng 4 năm 2018"
    assert party_date(datetime.date(2026, 2, 20)) == "ngày 20 tháng 02 năm 2026"
    assert party_date(datetime.date(2026, 11, 26)) == "ngày 26 tháng 11 năm 2026"


# ---------------------------------------------------------------- figures from the rows


def test_figures_match_the_rows(plan):
    today = timezone.localdate()
    document = build(plan, plan.issuer, today=today)
    text = body(document)
    own = FidelityScore.objects.get(plan=plan, org=plan.issuer)
    subs = list(FidelityScore.objects.filter(plan=plan, path__startswith=plan.issuer.path).exclude(pk=own.pk))
    counts = status_counts(subs, today)
    due = counts["on_time"] + counts["late"] + counts["overdue"]
    assert counts["late"] and counts["overdue"]  # the demo has both
    assert (
        f"Trong {vn(counts['units'])} tổ chức đảng trực thuộc có nhiệm vụ tổ chức học tập, quán triệt, "
        f"{vn(due)} đơn vị đã đến hạn hoặc đã tổ chức: {vn(counts['on_time'])} đơn vị tổ chức đúng hạn "
        f"({pct(counts['on_time'], due)}), {vn(counts['late'])} đơn vị tổ chức trễ hạn ({pct(counts['late'], due)}), "
        f"{vn(counts['overdue'])} đơn vị quá hạn chưa tổ chức ({pct(counts['overdue'], due)}); "
        f"{vn(counts['not_due'])} đơn vị chưa đến hạn."
    ) in text
    assert f"có {vn(own.members)} đảng viên; {vn(own.expected)} đảng viên" in text
    # Every rate names its base.
    assert f"Số đảng viên dự học: {vn(own.attended)} ({pct(own.attended, own.expected)} số đảng viên phải dự học)" in (
        text
    )
    assert f"vắng mặt không có lý do: {vn(own.unexcused)} ({pct(own.unexcused, own.expected)} số đảng viên phải" in (
        text
    )
    if own.took:
        assert f"({pct(own.passed, own.took)} số đảng viên đã làm bài)" in text
    assert f"Số đảng viên phải viết bài thu hoạch: {vn(own.writers)}" in text
    assert f"đã nộp {vn(own.submitted)} bài" in text
    assert f"Chỉ số làm kỹ của {plan.issuer.name} đạt {dec(own.index)}/100" in text

    progress = table_with(document, "Chưa đến hạn")
    by_label = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in progress.rows[1:]}
    every = [own, *subs]
    for level in Level:
        level_rows = [r for r in every if r.level == level.value]
        if not level_rows:
            continue
        figures = status_counts(level_rows, today)
        expected = [vn(figures[k]) for k in ("units", "on_time", "late", "overdue", "not_due")]
        assert by_label[level.label][:5] == expected

    indexes = table_with(document, "Chỉ số bình quân")
    by_label = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in indexes.rows[1:]}
    for level in Level:
        judged = [r.index for r in every if r.level == level.value and r.index is not None]
        if judged:
            assert by_label[level.label][0] == vn(len(judged))
            mean = float(by_label[level.label][1].replace(",", "."))
            assert mean == pytest.approx(sum(judged) / len(judged), abs=0.051)  # rounded to one decimal
            assert by_label[level.label][2] == dec(min(judged))
    components = table_with(document, "Thành phần")
    assert components.rows[5].cells[1].text == dec(100 * own.components["attendance"])


def test_decay_story_names_the_levels_below_their_parents(plan):
    text = body(build(plan, plan.issuer))
    subs = FidelityScore.objects.filter(plan=plan, decay__isnull=False, level=Level.CELL)
    below = subs.filter(decay__gt=0).count()
    assert f"Ở cấp chi bộ trực thuộc, {vn(below)}/{vn(subs.count())} đơn vị có chỉ số thấp hơn cấp trên" in text
    assert "“cấp trên làm kỹ, cấp dưới làm lướt”" in text


def test_late_and_weak_tables_list_the_right_units(plan):
    today = timezone.localdate()
    document = build(plan, plan.issuer, today=today)
    rows = FidelityScore.objects.filter(plan=plan, path__startswith=plan.issuer.path).exclude(org=plan.issuer)
    rows = list(rows.select_related("org", "head"))
    overdue = sorted(
        (r for r in rows if r.held_on is None and r.deadline and r.deadline < today), key=lambda r: (r.deadline, r.path)
    )
    late = sorted(
        (r for r in rows if r.held_on and r.deadline and r.held_on > r.deadline),
        key=lambda r: (r.deadline, -r.held_on.toordinal(), r.path),
    )
    expected = (overdue + late)[:MAX_LATE_ROWS]
    table = table_with(document, "Tình trạng")
    listed = table.rows[1:]
    assert len(listed) == len(expected)
    for line, row in zip(listed, expected, strict=True):
        cells = [c.text for c in line.cells]
        assert cells[1].startswith(row.org.name)
        assert cells[2] == row.deadline.strftime("%d/%m/%Y")
        assert cells[5] == (row.head.full_name if row.head else "—")
        if row.held_on is None:
            assert cells[3] == "—" and cells[4] == f"Quá hạn {(today - row.deadline).days} ngày"
        else:
            assert cells[4] == f"Trễ {(row.held_on - row.deadline).days} ngày"
    more = len(overdue) + len(late) - len(expected)
    if more:
        assert f"Ngoài ra còn {vn(more)} đơn vị khác" in body(document)

    weak = sorted((r for r in rows if r.lam_luot and r.index is not None), key=lambda r: (r.index, r.path))
    assert weak
    table = table_with(document, "Cảnh báo khác")
    listed = table.rows[1:]
    assert len(listed) == min(len(weak), MAX_WEAK_ROWS)
    for line, row in zip(listed, weak, strict=False):
        cells = [c.text for c in line.cells]
        assert cells[1].startswith(row.org.name)
        assert cells[2] == dec(row.index)
        assert cells[3] == (dec(row.decay) if row.decay is not None else "—")
        assert cells[5] == (row.head.full_name if row.head else "—")
    assert f"Có {vn(len(weak))} đơn vị có dấu hiệu làm lướt" in body(document)


def test_report_reads_the_rows_a_skimming_cell_shows_up(plan, commune):
    """Edit one cell's row by hand: the report follows the row, not raw attendance."""
    today = timezone.localdate()
    row = FidelityScore.objects.filter(plan=plan, parent_org=commune).order_by("path").last()
    FidelityScore.objects.filter(pk=row.pk).update(
        held_on=None,
        deadline=today - datetime.timedelta(days=5),
        index=12.5,
        decay=70.0,
        flags=["lam_luot", "qua_han"],
        lam_luot=True,
    )
    document = build(plan, commune, today=today)
    late = table_with(document, "Tình trạng")
    line = next(r for r in late.rows[1:] if r.cells[1].text == row.org.name)
    assert line.cells[4].text == "Quá hạn 5 ngày"
    weak = table_with(document, "Cảnh báo khác")
    first = [c.text for c in weak.rows[1].cells]
    assert first[1:5] == [row.org.name, "12,5", "70,0", "Quá hạn chưa tổ chức"]
    proposals = body(document)
    assert "tổ chức đảng quá hạn chưa tổ chức học tập, quán triệt khẩn trương tổ chức" in proposals
    assert "có dấu hiệu làm lướt vào chương trình kiểm tra, giám sát" in proposals


# ---------------------------------------------------------------- the view


def url(plan, org=None):
    base = reverse("analytics:report", args=[plan.pk])
    return f"{base}?org={org.pk}" if org else base


def test_view_downloads_the_report(plan, commune, client_as):
    response = client_as("tinh.tuyengiao").get(url(plan))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="bao-cao-ket-qua-{plan.pk}-tvl.docx"')
    assert "filename*=UTF-8''B%C3%A1o%20c%C3%A1o" in disposition
    document = docx.Document(io.BytesIO(response.getvalue()))
    assert lines(document.tables[0].rows[0].cells[0])[0] == "TỈNH ỦY VĨNH LONG"

    response = client_as("xa1.bithu").get(url(plan))  # the secretary's own commune by default
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.getvalue()))
    assert lines(document.tables[0].rows[0].cells[0])[1] == "ĐẢNG ỦY " + commune.name.upper().removeprefix("ĐẢNG BỘ ")
    assert client_as("xa1.bithu").get(url(plan, commune)).status_code == 200


def test_view_gate(plan, commune, users, client_as):
    assert client_as(None).get(url(plan)).status_code == 302  # login required
    assert client_as("outsider").get(url(plan)).status_code == 404
    assert client_as("outsider").get(url(plan, commune)).status_code == 404
    assert client_as("dangvien1").get(url(plan)).status_code == 403  # sees the plan, no unit's figures
    assert client_as("dangvien1").get(url(plan, users["dangvien1"].member.cell)).status_code == 403
    assert client_as("xa2.bithu").get(url(plan, commune)).status_code == 404
    assert client_as("xa1.bithu").get(url(plan, plan.issuer)).status_code == 404


def test_view_without_a_row_explains_and_returns_to_the_dashboard(plan, commune, client_as):
    FidelityScore.objects.filter(plan=plan, org=commune).delete()
    response = client_as("xa1.bithu").get(url(plan, commune), follow=True)
    dashboard = f"{reverse('analytics:dashboard', args=[plan.pk])}?org={commune.pk}"
    assert response.redirect_chain == [(dashboard, 302)]
    assert f"Chưa có số liệu chỉ số làm kỹ của {commune.name} trong kế hoạch này nên chưa lập được báo cáo" in (
        response.content.decode()
    )


# ---------------------------------------------------------------- LibreOffice


LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")


@pytest.mark.skipif(LIBREOFFICE is None, reason="LibreOffice is not installed (CI installs libreoffice-writer-nogui)")
def test_report_converts_to_pdf_in_libreoffice(plan, tmp_path):
    source = tmp_path / "bao-cao.docx"
    write_report(plan, plan.issuer, source)
    profile = (tmp_path / "profile").as_uri()  # a fresh profile: parallel test processes do not clash
    started = time.monotonic()
    subprocess.run(  # noqa: S603
        [LIBREOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir"]
        + [str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    print(f"LibreOffice conversion: {time.monotonic() - started:.1f} s")  # shown with -s
    pdf = Path(tmp_path / "bao-cao.pdf")
    assert pdf.exists() and pdf.stat().st_size > 1000
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = [page.extract_text() for page in pypdf.PdfReader(pdf).pages]
    # The signature is on the page of the closing sentence, never alone on a page of its own.
    assert "BÍ THƯ" in pages[-1] and "Trên đây là báo cáo" in pages[-1]
    # The issuer's name is on one line of the header block.
    assert "\nTỈNH ỦY VĨNH LONG\n" in f"\n{pages[0]}"


# ---------------------------------------------------------------- signer, recipients, layout


def test_the_signer_is_the_secretary_on_the_report_date(plan, commune):
    from quantriet.org.models import Position

    day = datetime.date(2026, 11, 26)
    secretary = commune.holder(Title.SECRETARY, on=day)
    assert secretary is not None
    document = build(plan, commune, today=day)
    assert lines(document.tables[-1].rows[0].cells[1])[-1] == secretary.full_name
    Position.objects.filter(org=commune, title=Title.SECRETARY).update(end=day - datetime.timedelta(days=1))
    document = build(plan, commune, today=day)
    assert lines(document.tables[-1].rows[0].cells[1])[-1] == ""  # nobody on record: the office writes it


def test_recipients_are_configurable_per_level(plan, commune):
    from quantriet.analytics.models import FidelityConfig

    FidelityConfig.objects.create(
        plan=plan,
        recipients={
            Level.UPPER: ["- {cap_tren} (để báo cáo),", "- Ban Tuyên giáo và Dân vận Tỉnh ủy,", "- Lưu Văn phòng."],
            Level.PROVINCE: ["- Ban Bí thư (để báo cáo),", "- Lưu Văn phòng."],
        },
    )
    own = lines(build(plan, commune).tables[-1].rows[0].cells[0])
    assert own == [
        "Nơi nhận:",
        "- Ban Thường vụ Tỉnh ủy Vĩnh Long (để báo cáo),",
        "- Ban Tuyên giáo và Dân vận Tỉnh ủy,",
        "- Lưu Văn phòng.",
    ]
    assert lines(build(plan, plan.issuer).tables[-1].rows[0].cells[0])[1] == "- Ban Bí thư (để báo cáo),"


def test_staff_set_the_recipients_on_the_config_page(plan, client_as):
    from quantriet.analytics.components import DEFAULT_WEIGHTS
    from quantriet.analytics.models import FidelityConfig

    data = {f"w_{key}": weight for key, weight in DEFAULT_WEIGHTS.items()} | {"margin": "15", "floor": "50"}
    url_config = reverse("analytics:config", args=[plan.pk])
    response = client_as("tinh.tuyengiao").post(url_config, data | {"r_tinh": "- Thường trực Tỉnh ủy,\n\n- Lưu."})
    assert response.status_code == 302
    assert FidelityConfig.objects.get(plan=plan).recipients == {"tinh": ["- Thường trực Tỉnh ủy,", "- Lưu."]}
    too_many = "\n".join(f"- Nơi {i}," for i in range(16))
    refused = client_as("tinh.tuyengiao").post(url_config, data | {"r_chi_bo": too_many})
    assert refused.status_code == 400 and "Tối đa 15 nơi nhận" in refused.content.decode()


@pytest.mark.parametrize(
    "name",
    ["ĐẢNG ỦY PHƯỜNG THANH ĐỨC", "ĐẢNG ỦY XÃ VĨNH THÀNH", "ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG TỈNH"],
)
def test_the_header_keeps_a_units_name_on_one_line(name):
    from quantriet.core.officialdoc import CELL_PADDING_MM, header_layout, text_mm

    left_mm, right_mm, size, text = header_layout("ĐẢNG BỘ TỈNH VĨNH LONG", name)
    assert text == name  # not split
    assert left_mm >= text_mm(name, size, bold=True) + CELL_PADDING_MM
    assert right_mm >= text_mm("ĐẢNG CỘNG SẢN VIỆT NAM", 15, bold=True) + CELL_PADDING_MM
    assert left_mm + right_mm == pytest.approx(165)


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("ĐẢNG ỦY PHƯỜNG TRƯỜNG LONG HÒA", "ĐẢNG ỦY PHƯỜNG"),
        ("CHI BỘ CƠ QUAN ĐẢNG - MẶT TRẬN - ĐOÀN THỂ", "CHI BỘ CƠ QUAN ĐẢNG -"),
    ],
)
def test_a_name_too_long_for_any_size_is_split_between_words(name, first):
    from quantriet.core.officialdoc import CELL_PADDING_MM, header_layout, text_mm

    left_mm, _, size, text = header_layout("ĐẢNG BỘ TỈNH VĨNH LONG", name)
    assert text.split("\n")[0] == first and text.replace("\n", " ") == name
    assert size == 14  # in two lines the name keeps the full size
    assert all(left_mm >= text_mm(line, size, bold=True) + CELL_PADDING_MM for line in text.split("\n"))


def test_the_closing_sentence_keeps_with_the_signature(plan):
    document = build(plan, plan.issuer)
    closing = next(p for p in document.paragraphs if p.text.startswith("Trên đây là báo cáo"))
    assert closing.paragraph_format.keep_with_next
    assert document.paragraphs[-1].paragraph_format.keep_with_next  # the gap before the signature table


def test_the_report_survives_control_characters_already_stored(plan, commune):
    """Text stored before the entrances refused control characters must not break the report (500)."""
    junk = "\x01"  # PostgreSQL text cannot hold a NUL; python-docx refuses \x01 just the same
    units = Organization.objects.filter(path__startswith=commune.path)
    units.update(name=Concat(F("name"), Value(junk)))
    heads = FidelityScore.objects.filter(plan=plan, path__startswith=commune.path).values("head_id")
    Member.objects.filter(pk__in=heads).update(full_name=Concat(F("full_name"), Value(f"{junk}\x1b")))
    commune.refresh_from_db()
    text = body(build(plan, commune)) + "".join(
        c.text for t in build(plan, commune).tables for r in t.rows for c in r.cells
    )
    assert junk not in text and commune.name.replace(junk, "").upper() in text.upper()
