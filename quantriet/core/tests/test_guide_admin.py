"""The guide page, the favicon and the admin: Vietnamese, reachable by whom they are for."""

import re

import pytest
from django.urls import reverse

from quantriet.core.api import TAGS
from quantriet.core.guide import render_markdown
from quantriet.tests.matrix import ALL


def test_guide_is_a_page_for_every_signed_in_user(client_as):
    for persona in ALL:
        response = client_as(persona).get(reverse("core:guide"))
        assert response.status_code == 200, persona
    html = response.content.decode()
    assert "<h1" in html and "Hướng dẫn sử dụng hệ thống Quán Triệt" in html and "<table>" in html
    assert 'id="1-đăng-nhập"' in html and 'href="#1-đăng-nhập"' in html  # anchors, and the contents link to them


def test_guide_page_documents_itself(client_as):
    html = client_as("dangvien1").get(reverse("core:guide")).content.decode()
    assert "/huong-dan/" in html  # the guide says where to read it on the site


def test_guide_needs_login(client_as):
    response = client_as(None).get(reverse("core:guide"))
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def test_menu_leads_to_the_guide(client_as):
    html = client_as("dangvien1").get("/to-chuc/").content.decode()
    # Its words on a phone's menu and on wide screens; a "?" in between, named for screen readers.
    [link] = re.findall(r'<a class="nav-link" href="/huong-dan/"[^>]*>(.*?)</a>', html)
    assert '<span class="d-xl-none d-xxl-inline">Hướng dẫn</span>' in link
    assert '<span class="visually-hidden">Hướng dẫn</span>' in link


def test_markdown_escapes_raw_html_and_anchors_headings():
    body, toc = render_markdown(
        "## Điểm danh\n\n<script>alert(1)</script>\n\nChữ <b onclick=x>đậm</b>\n\n<div>khối</div>\n"
    )
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert "<b" not in body and "&lt;b onclick=x&gt;" in body and "<div>" not in body
    assert '<h2 id="điểm-danh">' in body and 'href="#điểm-danh"' in toc


def test_favicon_answers_without_login(client_as):
    response = client_as(None).get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO header
    html = client_as(None).get("/dang-nhap/").content.decode()
    assert re.search(r'<link rel="icon" href="/static/favicon\.svg" type="image/svg\+xml">', html)


#: English names the admin showed for third-party apps and their models, and its English index title.
ENGLISH_ADMIN = [
    "Axes",
    "Tasks Database Backend",
    "Task Results",
    "Access attempts",
    "Access failures",
    "Access logs",
    "Site administration",
    "Site quản trị",
]


@pytest.mark.parametrize("url", ["/quan-tri/", "/quan-tri/axes/accessattempt/", "/quan-tri/django_tasks_database/"])
def test_admin_names_third_party_apps_in_vietnamese(client_as, url):
    response = client_as("admin").get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert [name for name in ENGLISH_ADMIN if name in html] == []
    if url == "/quan-tri/":
        assert "<title>Quản trị hệ thống | Quán Triệt</title>" in html
        for name in ["Chống dò mật khẩu", "Hàng đợi việc nền", "Nhật ký đăng nhập", "Xác thực và ủy quyền"]:
            assert name in html


def test_api_sections_follow_one_vietnamese_scheme():
    from quantriet.api import api

    schema = api.get_openapi_schema()
    tags = [op.get("tags") for item in schema["paths"].values() for op in item.values()]
    assert tags and all(t is not None and len(t) == 1 and t[0] in TAGS.values() for t in tags)
    assert {t[0] for t in tags} == set(TAGS.values())  # every section has operations
