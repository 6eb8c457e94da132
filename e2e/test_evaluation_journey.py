"""The yearly evaluation in a browser: a member self-assesses on a phone (390×844), the commune's
secretary evaluates the cell as a collective, reviews the member with the cell's tallies and decides
the cell (collective first); a decision over the "xuất sắc" quota in a sibling cell is refused with
the numbers and nothing is decided; the commune's summary page shows the result and its biểu tổng
hợp (.docx) opens in LibreOffice."""

import shutil
import subprocess

import pypdf
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from quantriet.evaluation import services
from quantriet.evaluation.models import DECIDED, REVIEWED, Evaluation
from quantriet.evaluation.tests.test_rules import points_for
from quantriet.org.models import Member, Organization
from quantriet.org.tree import parent_path

from .test_browse import log_in
from .test_phone import PHONE

LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def _typed(points: dict) -> dict:
    """Points as a user types them, with a decimal comma."""
    return {key: str(value).replace(".", ",") for key, value in points.items()}


def _over_quota_cell(secretary, cell, year) -> Organization:
    """A sibling of CELL whose collective is decided and whose three members are reviewed "xuất sắc"."""
    commune = Organization.objects.get(path=parent_path(cell.path))
    sibling = (Organization.objects.filter(path__startswith=commune.path, depth=cell.depth, members__isnull=False)
               .exclude(pk=cell.pk).distinct().order_by("path").first())  # fmt: skip
    unit = services.evaluation_start(secretary, year, org=sibling)
    own = {k: str(v) for k, v in points_for("80", unit.criteria_set.rules()).items()}
    services.self_assess(secretary, unit, own, "Tập thể tự kiểm điểm.")
    services.submit(secretary, unit)
    services.review(secretary, unit, points=own, text="", tallies={"tot": 3}, study_reason="Theo kết quả cả năm.")
    services.decide(secretary, commune, [unit], number="40-QĐ/ĐU", decided_on=timezone.localdate())
    for member in Member.objects.filter(cell=sibling).order_by("pk")[:3]:
        evaluation = services.evaluation_start(secretary, year, member=member)
        points = {k: str(v) for k, v in points_for("95").items()}
        services.self_assess(secretary, evaluation, points, "Tự kiểm điểm.")
        services.submit(secretary, evaluation)
        services.review(secretary, evaluation, points=points, text="", tallies={"xuat_sac": 3},
                        study_reason="Chi bộ thống nhất.")  # fmt: skip
    return sibling


@pytest.mark.skipif(LIBREOFFICE is None, reason="LibreOffice is not installed (CI installs libreoffice-writer-nogui)")
def test_self_assess_on_a_phone_review_decide_refuse_over_quota_and_print_the_summary(new_context, tmp_path):
    year = timezone.localdate().year
    users = get_user_model().objects
    me, secretary = users.get(username="dangvien1"), users.get(username="xa1.bithu")
    cell = me.member.cell
    commune = Organization.objects.get(path=parent_path(cell.path))

    # 1. The member, on a phone: start, score every criterion (decimal commas), write, send.
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(phone, "dangvien1")
    phone.goto(f"/danh-gia/cua-toi/?nam={year}")
    phone.get_by_role("button", name=f"Bắt đầu tự đánh giá năm {year}").click()
    expect(phone.locator("#self-form")).to_be_visible()
    own = _typed(points_for("84.5"))
    for key, value in own.items():
        phone.locator(f"#p_{key}").fill(value)
    phone.locator("#self_text").fill("Ưu điểm: dự đủ các buổi học tập. Hạn chế: nộp thu hoạch muộn.")
    _fits(phone)
    phone.screenshot(path=str(tmp_path / "self.png"), full_page=True)
    phone.get_by_role("button", name="Gửi bản tự đánh giá").click()
    expect(phone.locator(".alert-success")).to_contain_text("Đã gửi bản tự đánh giá cho chi bộ")
    expect(phone.locator("#state")).to_have_text("Đã tự đánh giá")
    _fits(phone)
    mine = Evaluation.objects.get(year=year, member=me.member)
    assert sum(float(v) for v in mine.self_points.values()) == 84.5

    # 2. The commune's secretary: the cell as a collective first, then the member's review.
    desk = new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(desk, "xa1.bithu")
    desk.goto(f"/danh-gia/don-vi/{cell.pk}/?nam={year}")
    desk.get_by_role("button", name="Bắt đầu đánh giá tập thể").click()
    unit = Evaluation.objects.get(year=year, org=cell, member__isnull=True)
    for key, value in _typed(points_for("80", unit.criteria_set.rules())).items():
        desk.locator(f"#p_{key}").fill(value)
    desk.get_by_role("button", name="Gửi bản tự đánh giá").click()
    desk.locator("#t_tot").fill("3")
    desk.get_by_role("button", name="Ghi nhận xét của chi bộ").click()
    expect(desk.locator(".alert-success")).to_contain_text("Đã ghi nhận xét của chi bộ")

    desk.goto(f"/danh-gia/{mine.pk}/")
    expect(desk.locator("#proposal")).to_contain_text("Đề xuất điểm học tập")
    proposed = mine.study_proposal["points_text"]
    expect(desk.locator("#r_hoc_tap")).to_have_value(proposed)  # the form starts from the records' proposal
    desk.locator("#r_hoc_tap").fill(own["hoc_tap"])  # the cell keeps the member's own: a reason is required
    desk.get_by_role("button", name="Ghi nhận xét của chi bộ").click()
    expect(desk.locator(".alert-danger")).to_contain_text(f"Điểm học tập khác đề xuất của hệ thống ({proposed} điểm")
    desk.locator("#r_hoc_tap").fill(own["hoc_tap"])
    desk.locator("#study_reason").fill("Đồng chí học bù đầy đủ, có xác nhận của chi bộ.")
    desk.locator("#review_text").fill("Chi bộ nhất trí với bản tự đánh giá.")
    desk.locator("#t_tot").fill("3")
    desk.get_by_role("button", name="Ghi nhận xét của chi bộ").click()
    expect(desk.locator("#state")).to_have_text("Chi bộ đã nhận xét")

    desk.goto(f"/danh-gia/don-vi/{cell.pk}/?nam={year}")
    desk.locator("#number").fill("15-QĐ/ĐU")
    desk.locator("#decided_on").fill(timezone.localdate().isoformat())
    desk.get_by_role("button", name="Quyết định").click()
    expect(desk.locator(".alert-success")).to_contain_text("Đã quyết định xếp loại 2 bản đánh giá")
    mine.refresh_from_db()
    assert mine.state == DECIDED and mine.band == "tot" and mine.decision_number == "15-QĐ/ĐU"

    # 3. Over the quota: refused with the numbers, nothing decided.
    sibling = _over_quota_cell(secretary, cell, year)
    desk.goto(f"/danh-gia/don-vi/{sibling.pk}/?nam={year}")
    desk.locator("#number").fill("16-QĐ/ĐU")
    desk.locator("#decided_on").fill(timezone.localdate().isoformat())
    desk.get_by_role("button", name="Quyết định").click()
    expect(desk.locator(".alert-danger")).to_contain_text(
        f"{commune.name}: 3 đảng viên “Hoàn thành xuất sắc nhiệm vụ” vượt mức 20% của 4 đảng viên"
    )
    expect(desk.locator(".alert-danger")).to_contain_text("(tối đa 0)")
    assert not Evaluation.objects.filter(year=year, org=sibling, member__isnull=False).exclude(state=REVIEWED).exists()

    # 4. The member reads the decision on the phone; the commune's summary and its .docx.
    phone.reload()
    expect(phone.locator("#band")).to_have_text("Hoàn thành tốt nhiệm vụ")
    desk.goto(f"/danh-gia/tong-hop/{commune.pk}/?nam={year}")
    row = desk.locator(f'#summary-table tr[data-org="{cell.pk}"]')
    expect(row).to_contain_text("1 (100%)")
    expect(desk.locator("#chart-bands")).to_be_visible()
    desk.screenshot(path=str(tmp_path / "summary.png"), full_page=True)
    with desk.expect_download() as download:
        desk.get_by_role("link", name="Biểu tổng hợp (.docx)").first.click()
    source = tmp_path / "bieu-tong-hop.docx"
    download.value.save_as(source)
    profile = (tmp_path / "profile").as_uri()  # a fresh profile: parallel test processes do not clash
    subprocess.run(  # noqa: S603
        [LIBREOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(tmp_path / "bieu-tong-hop.pdf").pages)
    assert "BIỂU TỔNG HỢP" in text and cell.name in text and "Trên đây là kết quả đánh giá" in text
