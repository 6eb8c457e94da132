"""Browsing the party tree in a real browser, as the demo personas, within their scope only."""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from quantriet.core.text import fold
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Member, Organization

NOT_FOUND = "Không tìm thấy"


def log_in(page: Page, username: str) -> None:
    """Log in through the real form and wait to leave the login page."""
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).not_to_have_url(re.compile(r"/dang-nhap/"))


def commune(number: int) -> Organization:
    return Organization.objects.get(code=f"{ROOT_CODE}-X{number:03d}")


def assert_not_found(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 404, f"{path}: {response and response.status}"
    expect(page).to_have_title(re.compile(NOT_FOUND))
    expect(page.get_by_role("heading", level=1)).to_contain_text(NOT_FOUND)


def test_secretary_expands_tree_to_a_member_but_not_into_the_neighbouring_commune(page: Page):
    own, neighbour = commune(1), commune(2)
    log_in(page, "xa1.bithu")
    # The secretary lands on their to-do list (test_landing.py); the tree is one click away.
    page.get_by_role("link", name="Tổ chức đảng", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/to-chuc/$"))

    # The tree starts at the secretary's commune; "+" loads its cells with htmx.
    toggle = page.get_by_role("button", name=f"Mở rộng {own.name}")
    expect(toggle).to_have_text("+")
    toggle.click()
    cells = page.locator(f"#children-{own.pk} > li.tree-node")
    expect(cells).to_have_count(own.numchild)
    expect(toggle).to_have_attribute("aria-expanded", "true")

    cell_link = cells.nth(0).locator("> a")
    cell_name = cell_link.inner_text()
    cell_link.click()
    expect(page).to_have_url(re.compile(r"/to-chuc/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(cell_name)
    cell = Organization.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert cell.name == cell_name and cell.path.startswith(own.path) and cell.depth == own.depth + 1

    member_link = page.locator("table.table-members tbody a").first
    member_name = member_link.inner_text()
    member_link.click()
    expect(page).to_have_url(re.compile(r"/dang-vien/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(member_name)
    expect(page.get_by_role("rowheader", name="Số thẻ đảng viên")).to_be_visible()
    member = Member.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert (member.full_name, member.cell_id) == (member_name, cell.pk)

    # The same-level commune is out of scope: typing its address gives "not found", not the page.
    assert_not_found(page, f"/to-chuc/{neighbour.pk}/")
    assert_not_found(page, f"/dang-vien/{Member.objects.in_subtree(neighbour).order_by('id').first().pk}/")


def test_plain_member_opens_own_record_and_cannot_open_the_commune(page: Page):
    member = get_user_model().objects.get(username="dangvien1").member
    log_in(page, "dangvien1")  # lands on their study (test_landing.py)
    expect(page.get_by_role("link", name="Hồ sơ của tôi")).to_have_attribute("href", f"/dang-vien/{member.pk}/")
    page.get_by_role("link", name="Hồ sơ của tôi").click()
    expect(page).to_have_url(re.compile(rf"/dang-vien/{member.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(member.full_name)

    assert_not_found(page, f"/to-chuc/{commune(1).pk}/")


def test_tree_search_ignores_diacritics(page: Page):
    own = commune(1)
    folded = fold(own.name)
    assert folded != own.name.lower()  # the query really is the name without its accents
    log_in(page, "xa1.bithu")
    page.goto("/to-chuc/")

    search = page.get_by_role("searchbox", name="Tìm tổ chức")
    search.fill(folded)
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"\?q="))
    expect(page.get_by_text("Kết quả cho")).to_be_visible()
    expect(page.locator("ul.list-group").get_by_role("link", name=own.name, exact=True)).to_be_visible()


def test_tree_on_a_phone_collapses_the_menu(new_context):
    own = commune(1)
    page = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    log_in(page, "xa1.bithu")
    page.goto("/to-chuc/")

    toggler = page.get_by_role("button", name="Mở menu")
    expect(toggler).to_be_visible()
    expect(page.locator("#nav")).to_be_hidden()
    expect(page.locator(f"#node-{own.pk}").get_by_role("link", name=own.name)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the tree overflows a phone screen"

    toggler.click()
    expect(page.locator("#nav").get_by_role("link", name="Tổ chức đảng")).to_be_visible()
