"""The study cascade in a real browser: plan → publish → conference → QR check-in, as the demo personas.

tinh.tuyengiao (provincial propaganda staff) drafts and publishes a plan on Chỉ thị 28-CT/TU for
the whole province; xa1.bithu records the commune's conference from the to-do list and shows the
check-in screen; dangvien1, on their own browser context, checks in with the code the screen shows.
Everything is done through the pages; the database is only read, to check what the pages did.
"""

import re
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page, expect

from quantriet.documents.demo import DIRECTIVE_28
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Organization, Title
from quantriet.study import checkin as codes
from quantriet.study import services
from quantriet.study.demo import LIVE_TITLE
from quantriet.study.models import (
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    CheckinAttempt,
    CheckinOutcome,
    Conference,
    Level,
    Obligation,
    ObligationStatus,
    PlanStatus,
    StudyPlan,
)

from .test_browse import log_in

PLAN_TITLE = "Kế hoạch học tập, quán triệt Chỉ thị 28-CT/TU (kiểm thử trình duyệt)"
COMMUNE_CODE = f"{ROOT_CODE}-X001"
#: The board's htmx refreshes the counts every 5 seconds.
BOARD_REFRESH_MS = 12_000


def dmy(day) -> str:
    return day.strftime("%d/%m/%Y")


def member_of(username):
    return get_user_model().objects.get(username=username).member


def pk_from_url(page: Page) -> int:
    return int(re.search(r"/(\d+)/(?:\?.*)?$", page.url)[1])


def checkin_path(conference_pk: int, code: str) -> str:
    """What the QR code on the board encodes (without the host)."""
    return f"/hoc-tap/hoi-nghi/{conference_pk}/diem-danh/?{urlencode({'ma': code})}"


# ---------------------------------------------------------------- the steps


def create_and_publish_plan(page: Page) -> StudyPlan:
    """tinh.tuyengiao drafts the plan for the province, then publishes it."""
    root = Organization.objects.get(code=ROOT_CODE)
    today = timezone.localdate()
    log_in(page, "tinh.tuyengiao")

    page.goto("/hoc-tap/ke-hoach/")
    page.get_by_role("link", name="Lập kế hoạch", exact=True).click()
    expect(page).to_have_url(re.compile(r"/hoc-tap/ke-hoach/them/$"))

    page.get_by_label("Cấp ban hành").select_option(label=root.name)
    page.get_by_label("Số, ký hiệu kế hoạch").fill("99-KH/BTGDVTU")
    page.get_by_label("Tên kế hoạch").fill(PLAN_TITLE)
    page.get_by_label("Mục đích, yêu cầu").fill("Đảng viên nắm vững trách nhiệm của người đứng đầu theo Chỉ thị.")
    page.get_by_label(re.compile(rf"^Chỉ thị {re.escape(DIRECTIVE_28.symbol)} \(")).check()
    audiences = page.get_by_role("group", name="Đối tượng học tập")
    audiences.get_by_label("Đảng viên", exact=True).check()
    # Essays: every member who attends writes one, so the plan needs a due date for them.
    expect(page.get_by_label("Đối tượng viết thu hoạch")).to_have_value("dang_vien")
    page.get_by_label("Hạn nộp thu hoạch").fill(dmy(today + timedelta(days=40)))
    page.get_by_label(f"Hạn hoàn thành — {Level.UPPER.label}", exact=True).fill(dmy(today + timedelta(days=20)))
    page.get_by_label(f"Hạn hoàn thành — {Level.CELL.label}", exact=True).fill(dmy(today + timedelta(days=30)))
    page.get_by_role("button", name="Lưu bản nháp").click()

    expect(page).to_have_url(re.compile(r"/hoc-tap/ke-hoach/\d+/$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(PLAN_TITLE)
    expect(heading).to_contain_text(PlanStatus.DRAFT.label)
    expect(page.locator("#plan-problems")).to_have_count(0)
    plan = StudyPlan.objects.get(pk=pk_from_url(page))
    assert (plan.issuer, plan.status, plan.audiences) == (root, PlanStatus.DRAFT, ["dang_vien"])
    assert [str(d) for d in plan.documents.all()] == [f"Chỉ thị {DIRECTIVE_28.symbol}"]
    assert {d.level: d.deadline for d in plan.deadlines.all()} == {
        Level.UPPER: today + timedelta(days=20),
        Level.CELL: today + timedelta(days=30),
    }

    publish = page.get_by_role("button", name="Ban hành", exact=True)
    expect(publish).to_be_enabled()
    publish.click()
    expect(page.locator(".alert-success")).to_contain_text("Đã ban hành kế hoạch")
    expect(heading).to_contain_text(PlanStatus.PUBLISHED.label)

    # The progress tree: the province on top, its communes beneath, none due yet.
    commune_node = page.locator(f'#progress li.tree-node[data-org="{COMMUNE_CODE}"]')
    expect(commune_node).to_have_count(1)
    expect(commune_node.locator("> a")).to_have_text(Organization.objects.get(code=COMMUNE_CODE).name)
    expect(commune_node.locator("> [data-status]")).to_have_text(ObligationStatus.NOT_DUE.label)
    expect(commune_node).to_contain_text(f"hạn {dmy(today + timedelta(days=20))}")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    return plan


def record_conference(page: Page, plan: StudyPlan) -> Conference:
    """xa1.bithu records the commune's conference from the to-do list: in progress, all cells covered."""
    commune = Organization.objects.get(code=COMMUNE_CODE)
    secretary = member_of("xa1.bithu")
    assert commune.holder(Title.SECRETARY) == secretary
    obligation = Obligation.objects.get(plan=plan, org=commune)
    log_in(page, "xa1.bithu")

    page.goto("/hoc-tap/viec-can-lam/")
    row = page.locator("#todo-list tbody tr").filter(has=page.get_by_role("link", name=PLAN_TITLE))
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-obligation", str(obligation.pk))
    expect(row.locator("[data-status]")).to_have_text(ObligationStatus.NOT_DUE.label)
    row.get_by_role("link", name="Ghi nhận hội nghị").click()
    expect(page).to_have_url(re.compile(rf"/hoc-tap/hoi-nghi/them/\?obligation={obligation.pk}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ghi nhận hội nghị: {commune.name}")

    # Chỉ thị 28's defaults: the secretary chairs and presents. Kept as they are.
    expect(page.get_by_label("Chủ trì", exact=True)).to_have_value(str(secretary.pk))
    presenters = page.get_by_role("group", name="Người trình bày, triển khai")
    expect(presenters.get_by_role("checkbox", name=secretary.full_name)).to_be_checked()
    expect(page.get_by_label("Tên hội nghị")).to_have_value(re.compile(re.escape(commune.name)))

    started = timezone.localtime(timezone.now() - timedelta(minutes=5))
    page.get_by_label("Bắt đầu").fill(started.strftime("%d/%m/%Y %H:%M"))
    page.get_by_label("Thời lượng (phút)").fill("120")
    page.get_by_label("Đổi mã điểm danh sau (giây)").fill("60")
    page.get_by_label("Địa điểm").fill("Hội trường Đảng ủy")
    page.get_by_label("Tổ chức chung cho tất cả chi bộ trực thuộc").check()
    page.get_by_label("Liên hệ tình hình cụ thể của địa phương, đơn vị").fill("Liên hệ việc học tập còn hình thức.")
    page.get_by_label("Quy chế lớp học").fill("Điểm danh bằng mã QR trên màn hình.")
    page.get_by_role("button", name="Lưu hội nghị").click()

    expect(page).to_have_url(re.compile(r"/hoc-tap/hoi-nghi/\d+/$"))
    expect(page.locator(".alert-success")).to_have_text("Đã lưu hội nghị.")
    conference = Conference.objects.get(pk=pk_from_url(page))
    cells = Organization.objects.filter(path__startswith=commune.path, depth=commune.depth + 1)
    assert (conference.plan_id, conference.host_id, conference.chair_id) == (plan.pk, commune.pk, secretary.pk)
    assert list(conference.presenters.all()) == [secretary]
    assert set(conference.covered_orgs.all()) == {commune, *cells}
    assert conference.in_window()
    assert services.on_roster(conference, member_of("dangvien1"))
    return conference


def open_board(page: Page, conference: Conference) -> None:
    page.get_by_role("link", name="Màn hình điểm danh (QR)").click()
    expect(page).to_have_url(re.compile(rf"/hoc-tap/hoi-nghi/{conference.pk}/man-hinh/$"))
    expect(page.get_by_role("img", name="Mã QR điểm danh").locator("svg")).to_be_visible()
    expect(page.locator("#board-code-text")).to_have_text(re.compile(rf"^{conference.pk}\.\d+\.[0-9a-f]{{20}}$"))
    expect(page.locator("#board-code")).not_to_contain_text("Ngoài thời gian điểm danh")
    expect(page.locator("#board-checked-in")).to_have_attribute("data-checked-in", "0")


def read_board_code(page: Page) -> str:
    code = page.locator("#board-code-text").inner_text().strip()
    assert codes.parse_code(code) is not None, code
    return code


# ---------------------------------------------------------------- the tests


def test_plan_to_qr_checkin_journey(new_context):
    plan = create_and_publish_plan(new_context().new_page())

    board = new_context().new_page()
    conference = record_conference(board, plan)
    open_board(board, conference)

    member = member_of("dangvien1")
    phone = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    first_tab = phone.new_page()
    log_in(first_tab, "dangvien1")
    code = read_board_code(board)  # read just before scanning: the code turns every minute
    url = checkin_path(conference.pk, code)

    # Two tabs on the phone show the confirmation (a double scan); the second confirms after the first.
    second_tab = phone.new_page()
    for tab in (first_tab, second_tab):
        tab.goto(url)
        expect(tab.get_by_role("heading", level=2)).to_have_text(conference.title)
        expect(tab.get_by_role("main").get_by_text(member.full_name, exact=True)).to_be_visible()
        expect(tab.get_by_text("không có tên trong danh sách dự")).to_have_count(0)
        expect(tab.get_by_role("button", name="Xác nhận có mặt")).to_be_visible()

    first_tab.get_by_role("button", name="Xác nhận có mặt").click()
    result = first_tab.locator("#checkin-result")
    expect(result).to_have_attribute("data-outcome", CheckinOutcome.OK)
    expect(result).to_contain_text("Đã điểm danh")
    expect(first_tab.get_by_role("button", name="Xác nhận có mặt")).to_have_count(0)

    second_tab.get_by_role("button", name="Xác nhận có mặt").click()
    again = second_tab.locator("#checkin-result")
    expect(again).to_have_attribute("data-outcome", CheckinOutcome.AGAIN)
    expect(again).to_contain_text("đã điểm danh trước đó")

    # Scanning the code once more (a GET of the same address) just says it is already done.
    first_tab.goto(url)
    expect(first_tab.locator("#checkin-result")).to_contain_text(f"Đồng chí {member.full_name} đã điểm danh lúc")
    expect(first_tab.get_by_role("button", name="Xác nhận có mặt")).to_have_count(0)

    rows = Attendance.objects.filter(conference=conference, member=member)
    assert rows.count() == 1
    row = rows.get()
    assert row.checked_in_at is not None
    assert (row.status, row.source) == (AttendanceStatus.PRESENT, AttendanceSource.QR)
    outcomes = CheckinAttempt.objects.filter(conference=conference, user=member.user).order_by("at", "id")
    assert list(outcomes.values_list("outcome", flat=True)) == [CheckinOutcome.OK, CheckinOutcome.AGAIN]

    # The board's counter follows (htmx polls it every few seconds).
    counter = board.locator("#board-checked-in")
    expect(counter).to_have_attribute("data-checked-in", "1", timeout=BOARD_REFRESH_MS)
    expect(counter).to_contain_text(re.compile(r"^\s*1\s*/"))


def test_forged_code_is_refused_and_records_nothing(page: Page):
    conference = Conference.objects.get(title=LIVE_TITLE)  # the demo's conference for dangvien1's cell
    member = member_of("dangvien1")
    assert services.on_roster(conference, member)
    assert not Attendance.objects.filter(conference=conference, member=member).exists()
    slot = codes.current_slot(conference)
    forged = f"{conference.pk}.{slot}.{'0' * 20}"
    assert forged != codes.make_code(conference, slot)

    log_in(page, "dangvien1")
    page.goto(checkin_path(conference.pk, forged))
    page.get_by_role("button", name="Xác nhận có mặt").click()

    result = page.locator("#checkin-result")
    expect(result).to_have_attribute("data-outcome", CheckinOutcome.FORGED)
    expect(result).to_have_text("Mã điểm danh không hợp lệ. Hãy quét lại mã đang hiển thị trên màn hình.")
    expect(page.get_by_label(re.compile(r"^Mã điểm danh"))).to_be_visible()  # may type the right code instead
    assert not Attendance.objects.filter(conference=conference, member=member).exists()
    assert CheckinAttempt.objects.filter(
        conference=conference, user=member.user, outcome=CheckinOutcome.FORGED
    ).exists()
