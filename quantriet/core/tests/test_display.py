"""How pages show people, manager links and empty searches (person filter, navigation, no_results)."""

import pytest
from django.urls import reverse

from quantriet.core.audit import audit_record
from quantriet.core.people import person_name
from quantriet.core.text import SEARCH_MAX, search_text
from quantriet.org.models import Organization, manages_something

JUNK = "x" * 2000


def test_person_name_prefers_the_member_then_the_account_name(users, outsider):
    member_user = users["tinh.tuyengiao"]
    assert person_name(member_user) == member_user.member.full_name != "tinh.tuyengiao"
    outsider.first_name, outsider.last_name = "Lan", "Trần Thị"
    assert person_name(outsider) == "Lan Trần Thị"
    outsider.first_name = outsider.last_name = ""
    assert person_name(outsider) == "nguoingoai"
    assert person_name(None) == ""


def test_navbar_names_the_person_not_the_login(client_as, users):
    page = client_as("tinh.tuyengiao").get(reverse("study:conferences")).content.decode()
    assert f'id="nav-person">{users["tinh.tuyengiao"].member.full_name}<' in page
    assert 'id="nav-person">tinh.tuyengiao<' not in page


@pytest.mark.parametrize(
    "persona, manages", [("admin", True), ("tinh.tuyengiao", True), ("xa1.bithu", True), ("dangvien1", False)]
)
def test_manager_links_only_for_managers(client_as, users, persona, manages):
    assert manages_something(users[persona]) is manages
    page = client_as(persona).get(reverse("study:conferences")).content.decode()
    for name in ["study:todo", "study:plans", "org:tree"]:
        assert (f'href="{reverse(name)}"' in page) is manages, name


def test_search_text_is_bounded():
    assert search_text("  Thanh   Đức ") == "Thanh Đức"
    assert search_text(JUNK) == "x" * SEARCH_MAX
    assert search_text(None) == ""


@pytest.mark.parametrize(
    "url, what",
    [
        (lambda: reverse("study:conferences"), "hội nghị"),
        (lambda: reverse("org:tree"), "tổ chức"),
        (lambda: reverse("documents:list"), "văn bản"),
        (lambda: reverse("org:detail", args=[Organization.objects.order_by("path").first().pk]), "đảng viên"),
    ],
)
def test_empty_search_says_what_was_searched(client_as, url, what):
    client = client_as("tinh.tuyengiao")
    page = client.get(url(), {"q": "zzqqzz"}).content.decode()
    assert f"Không tìm thấy {what} nào khớp với «" in page and "zzqqzz" in page
    junk = client.get(url(), {"q": JUNK})
    assert junk.status_code == 200
    text = junk.content.decode()
    assert f"Không tìm thấy {what} nào khớp với «" in text
    assert "x" * (SEARCH_MAX + 1) not in text  # bounded on the server, echoed shortened


def test_nothing_searched_keeps_the_empty_message(client_as, outsider):
    page = client_as("outsider").get(reverse("study:conferences")).content.decode()
    assert "Chưa có hội nghị nào trong phạm vi bạn được xem." in page
    assert "Không tìm thấy" not in page


def test_document_search_too_long_is_cut_not_ignored(client_as):
    """A 2,000-character search used to fail the form silently and list every document."""
    page = client_as("tinh.tuyengiao").get(reverse("documents:list"), {"q": JUNK}).content.decode()
    assert "Tìm thấy 0 văn bản" in page


def test_admin_audit_log_names_the_actor(client_as, users):
    actor = users["tinh.tuyengiao"]
    audit_record(actor, "test.display", Organization.objects.order_by("path").first(), None, {"x": 1})
    page = client_as("admin").get(reverse("admin:core_auditentry_changelist"), {"action": "test.display"})
    assert actor.member.full_name in page.content.decode()
