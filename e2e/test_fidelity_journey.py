"""Provincial propaganda staff open the fidelity dashboard, drill into a flagged commune, download its report."""

import re

import pytest
from docx import Document as Docx
from playwright.sync_api import Page, expect

from quantriet.analytics.models import FidelityScore
from quantriet.org.models import Organization
from quantriet.org.tree import parent_path
from quantriet.study.demo import PLAN_SYMBOL

from .test_browse import log_in


def _docx_text(path: str) -> str:
    """Every paragraph of the document, those in its tables (the header block) included."""
    document = Docx(path)
    cells = [cell for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(p.text for p in [*document.paragraphs, *(p for c in cells for p in c.paragraphs)])


def _flagged_commune():
    rows = FidelityScore.objects.filter(plan__symbol=PLAN_SYMBOL, level="tren_co_so", lam_luot=True)
    return rows.select_related("org").order_by("path").first()


def test_staff_drill_into_a_flagged_commune_and_download_its_report(server, page: Page):
    flagged = _flagged_commune()
    assert flagged is not None, "the demo plan must hold at least one commune flagged 'làm lướt'"
    page.set_default_timeout(10_000)
    page.context.set_default_navigation_timeout(10_000)
    log_in(page, "tinh.tuyengiao")

    page.get_by_role("link", name="Chỉ số làm kỹ").click()
    page.get_by_role("link", name="Chỉ thị 28-CT/TU").first.click()
    province = Organization.objects.get(path=parent_path(flagged.org.path))
    expect(page.get_by_role("heading", level=1)).to_have_text(province.name)
    # The charts are drawn (Chart.js vendored, no CDN).
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-funnel') && Chart.getChart('chart-timeline')")

    node = page.locator(f"#fidelity-tree li.tree-node[data-org='{flagged.org.code}']")
    expect(node).to_contain_text("Làm lướt")
    node.get_by_role("link", name=flagged.org.name).click()

    expect(page).to_have_url(re.compile(rf"org={flagged.org_id}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(flagged.org.name)
    expect(page.locator("#org-index")).to_contain_text(
        f"{flagged.index:.1f}".replace(".", ",")
    )  # Vietnamese decimal comma
    expect(page.get_by_text("Làm lướt").first).to_be_visible()
    # Its cells load into the tree, the weakest-units table lists the commune's units only.
    expect(page.locator("#fidelity-tree > li.tree-node").first).to_be_visible()
    for code in page.locator("#weakest-table tbody tr[data-org]").evaluate_all("rows => rows.map(r => r.dataset.org)"):
        assert code.startswith(flagged.org.code), code

    with page.expect_download() as download:
        page.locator("#report-link").click()
    text = _docx_text(str(download.value.path()))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "BÁO CÁO" in text
    assert download.value.suggested_filename.endswith(".docx")


def _plan_dashboard(page: Page) -> None:
    from quantriet.study.models import StudyPlan

    plan = StudyPlan.objects.get(symbol=PLAN_SYMBOL)
    page.goto(f"/chi-so-lam-ky/ke-hoach/{plan.pk}/")
    charts = "['chart-timeline', 'chart-distribution', 'chart-funnel']"
    page.wait_for_function(f"() => window.Chart && {charts}.every((id) => Chart.getChart(id))")


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_the_charts_come_before_the_tree(server, new_context, width, height):
    """The weakest units and the charts first, the tree (collapsible, a page of units at a time) below."""
    page = new_context(viewport={"width": width, "height": height}).new_page()
    log_in(page, "tinh.tuyengiao")
    _plan_dashboard(page)
    tree = page.locator("#fidelity-tree").bounding_box()
    weakest = page.locator("#weakest-table").bounding_box()
    for chart in ("chart-timeline", "chart-distribution", "chart-funnel"):
        box = page.locator(f"#{chart}").bounding_box()
        assert box["height"] > 100, chart  # drawn, not collapsed
        assert box["y"] + box["height"] < tree["y"], chart  # above the tree, whatever its length
    assert weakest["y"] < tree["y"]
    if width >= 1000:  # on a desktop the first chart is in the first screenful, nothing scrolled
        assert page.locator("#chart-timeline").bounding_box()["y"] < height
    # The tree folds away, and shows a page of units with a "Xem thêm" for the rest.
    page.locator("#tree-section > summary").click()
    expect(page.locator("#fidelity-tree")).to_be_hidden()
    page.locator("#tree-section > summary").click()
    expect(page.locator("#fidelity-tree > li.tree-node").first).to_be_visible()
    assert page.locator("#fidelity-tree > li.tree-node").count() <= 25


def test_a_unit_not_yet_due_shows_as_such(server, page: Page):
    """A cell that has not held its conference and whose deadline has not passed: no index, no flag."""
    rows = FidelityScore.objects.filter(plan__symbol=PLAN_SYMBOL, state="chua_den_han").select_related("org")
    waiting = rows.order_by("path").first()
    assert waiting is not None, "the demo plan must hold units not yet due"
    assert not rows.filter(lam_luot=True).exists()
    log_in(page, "tinh.tuyengiao")
    page.goto(f"/chi-so-lam-ky/ke-hoach/{waiting.plan_id}/?org={waiting.org_id}")
    expect(page.locator("#org-index")).to_contain_text("chưa đến hạn")
    expect(page.locator("#not-due-note")).to_contain_text("tạm tính")
    expect(page.locator("#org-index")).not_to_contain_text("Làm lướt")
