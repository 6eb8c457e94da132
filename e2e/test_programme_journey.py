"""An action programme in a real browser: the commune drafts it, a member comments on a task from
a phone, the committee approves it with its minutes, a cell pastes it with its name changed and is
flagged with the copied passages shown side by side, and the fidelity dashboard shows the new
component for the cell."""

import re

from playwright.sync_api import expect

from quantriet.analytics.rollup import refresh
from quantriet.org.models import Organization
from quantriet.org.tree import parent_path
from quantriet.plans.models import Programme
from quantriet.plans.tests.test_concreteness import COMMUNE_PROGRAMME
from quantriet.study.demo import PLAN_SYMBOL
from quantriet.study.models import StudyPlan

from .test_browse import log_in
from .test_phone import PHONE

TASKS = COMMUNE_PROGRAMME.tasks[:3]


def fill_programme(page, title, preamble, lead):
    page.get_by_label("Tên chương trình").fill(title)
    page.get_by_label("Mục đích, yêu cầu; tình hình của đơn vị").fill(preamble)
    for number, task in enumerate(TASKS, start=1):
        row = page.locator(f"fieldset[data-row='{number}']")
        row.get_by_label("Nội dung nhiệm vụ").fill(task.content)
        row.get_by_label("Đơn vị chủ trì").select_option(label=lead)
        row.get_by_label("Thời hạn").fill(task.deadline.isoformat())
        row.get_by_label("Sản phẩm").fill(task.product)
        row.get_by_label("Chỉ tiêu đo lường").fill(task.indicator)
        row.get_by_label("Chỉ tiêu", exact=True).fill(str(task.target).replace(".", ","))
        row.get_by_label("Đơn vị tính").fill(task.unit)
    page.get_by_role("button", name="Lưu phiên bản mới").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu phiên bản mới")


def start_programme(page, org):
    page.get_by_role("navigation").get_by_role("link", name="Học tập").first.click()
    page.get_by_role("link", name="Chương trình hành động").first.click()
    page.locator(f"li[data-org='{org.pk}']").get_by_role("button", name="Soạn chương trình hành động").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sửa chương trình hành động")


def test_a_commune_drafts_members_comment_it_is_approved_and_a_pasted_cell_is_flagged(server, new_context, users):
    plan = StudyPlan.objects.get(symbol=PLAN_SYMBOL)
    cell = users["dangvien1"].member.cell
    commune = Organization.objects.get(path=parent_path(cell.path))

    # The commune's secretary drafts the programme and puts it out for comments.
    secretary = new_context().new_page()
    log_in(secretary, "xa1.bithu")
    start_programme(secretary, commune)
    fill_programme(secretary, f"Chương trình hành động của {commune.name}", COMMUNE_PROGRAMME.preamble, commune.name)
    expect(secretary.locator("#score")).to_contain_text("/100")
    expect(secretary.locator("#flagged")).to_have_count(0)
    secretary.get_by_role("button", name="Đưa ra lấy ý kiến").click()
    expect(secretary.locator("#status")).to_contain_text("Lấy ý kiến")
    programme = Programme.objects.get(plan=plan, org=commune)

    # A member of one of its cells comments on the first task, on a phone.
    member = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(member, "dangvien1")
    member.goto("/chuong-trinh/")
    member.get_by_role("link", name="Góp ý").click()
    first = member.locator("li[data-task='1']")
    first.locator("summary").click()
    first.get_by_label("Ý kiến về nhiệm vụ 1").fill("Đề nghị mở thêm một buổi vào sáng Chủ nhật cho bà con đi làm xa.")
    first.get_by_role("button", name="Gửi góp ý").click()
    expect(member.locator(".alert-success")).to_contain_text("Đã ghi nhận ý kiến")
    assert member.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1  # no sideways scroll

    # The committee approves it, with the date and the resolution.
    secretary.reload()
    expect(secretary.locator("li[data-task='1']")).to_contain_text("Góp ý (1)")
    approve = secretary.locator("form[data-transition='approve']")
    approve.get_by_label("Nghị quyết, biên bản thông qua").fill("Nghị quyết số 15-NQ/ĐU")
    approve.get_by_role("button", name="Thông qua").click()
    expect(secretary.locator("#status")).to_contain_text("Đã thông qua")
    expect(secretary.locator("#status")).to_contain_text("Nghị quyết số 15-NQ/ĐU")

    # A cell pastes it, the name at the top changed: flagged, with the passages side by side.
    start_programme(secretary, cell)
    pasted = COMMUNE_PROGRAMME.preamble.replace("Đảng ủy xã Long Đức", cell.name, 1)
    fill_programme(secretary, f"Chương trình hành động của {cell.name}", pasted, commune.name)
    expect(secretary.locator("#flagged")).to_contain_text("Sao chép")
    expect(secretary.locator("#flagged")).to_contain_text("Chưa cụ thể hóa")
    secretary.locator(f"a[data-compare='{programme.pk}']").click()
    expect(secretary.locator("#copying")).to_contain_text("Cách chép")
    expect(secretary.locator("#mine mark.passage").first).to_be_visible()
    assert secretary.locator("#mine mark.passage").count() >= 3
    assert secretary.locator("#theirs mark.passage").count() >= 3
    secretary.go_back()
    secretary.get_by_role("button", name="Đưa ra lấy ý kiến").click()
    expect(secretary.locator("#status")).to_contain_text("Lấy ý kiến")

    # The dashboard shows the new component for the cell.
    refresh(plan)
    office = new_context().new_page()
    log_in(office, "tinh.tuyengiao")
    office.goto(f"/chi-so-lam-ky/ke-hoach/{plan.pk}/?org={cell.pk}")
    row = office.locator("tr", has_text="Chương trình hành động cụ thể hóa, không sao chép")
    expect(row).to_be_visible()
    expect(row.locator(".progress-bar")).to_have_class(re.compile("bg-danger"))
    # And the tree of programmes, with the cell's row flagged.
    office.goto(f"/chuong-trinh/ke-hoach/{plan.pk}/cay/?org={commune.pk}")
    expect(office.locator(f"tr[data-org='{cell.pk}']")).to_have_class(re.compile("table-danger"))
    office.wait_for_function("() => window.Chart && Chart.getChart('chart-concreteness')")
