"""A member on a phone (390×844): only the pages for members, nothing wider than the screen, people by name."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from .test_browse import log_in

PHONE = {"width": 390, "height": 844}
#: Links only managers can use: a plain member must not be offered them.
MANAGER_LINKS = ["study:todo", "study:plans", "org:tree", "org:roster_import", "analytics:index"]


def _member_pages():
    member = get_user_model().objects.get(username="dangvien1").member
    return member, [
        reverse("org:member", args=[member.pk]),
        reverse("study:my_study"),
        reverse("study:conferences"),
        reverse("study:conferences") + "?q=" + "x" * 2000,
        reverse("essays:index"),
        reverse("quizzes:index"),
        reverse("documents:list"),
        reverse("documents:list") + "?q=" + "y" * 2000,
        reverse("study:notifications"),
    ]


def test_member_on_a_phone_sees_member_pages_only_and_nothing_overflows(new_context):
    member, pages = _member_pages()
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(page, "dangvien1")
    manager_hrefs = [reverse(name) for name in MANAGER_LINKS]
    for path in pages:
        page.goto(path)
        width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= inner, f"{path[:60]}: the page is {width} px wide on a {inner} px screen"
        hrefs = page.eval_on_selector_all("nav a, .nav-tabs a", "links => links.map(a => a.getAttribute('href'))")
        offered = [h for h in hrefs if h in manager_hrefs]
        assert not offered, f"{path[:60]} offers a member the manager links {offered}"
        tabs = page.locator(".nav-tabs")
        if tabs.count():
            assert tabs.bounding_box()["height"] < 60, f"{path[:60]}: the tab bar takes more than one line"
    # The navigation names the person, not the login.
    page.get_by_role("button", name="Mở menu").click()
    expect(page.locator("#nav-person")).to_have_text(member.full_name)


def test_manager_keeps_the_manager_tabs_and_is_named(page):
    log_in(page, "tinh.tuyengiao")
    page.goto(reverse("study:conferences"))
    expect(page.locator(".nav-tabs").get_by_role("link", name="Việc cần làm")).to_be_visible()
    expect(page.locator("#nav-person")).to_have_text(
        get_user_model().objects.get(username="tinh.tuyengiao").member.full_name
    )
