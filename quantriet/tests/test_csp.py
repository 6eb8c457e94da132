"""The Content-Security-Policy and the other security headers, and pages that keep to the policy.

The policy allows scripts and styles from our own static files only. A page that still carried an
inline <script>, an on* handler, a javascript: link, a style attribute or a <style> element would
be broken by it (the browser refuses them), so the site is crawled as the demo personas, following
its own links, and every HTML page is checked for them. The browser tests (e2e/conftest.py) fail
on any violation the browser itself reports.
"""

from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from quantriet.tests.otp import code_for, enrolled

#: Non-executable script types: data for the page (json_script), which the policy lets through.
DATA_SCRIPTS = {"application/json", "application/ld+json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction"}
#: Pages to start from besides the home page (some are linked from nowhere a crawler goes first).
SEEDS = ["/", "/quan-tri/", "/api/v1/docs", "/tai-khoan/", "/tai-khoan/ma-truy-cap/", "/huong-dan/"]
#: Paths not to follow: signing out, files; and the admin's history and delete pages of every object,
#: popups (one of each kind is enough, and the budget of pages goes further into the application).
SKIP = ("//", "/dang-xuat/", "/static/", "/media/", "/quan-tri/logout/")
SKIP_PARTS = ("/history/", "/delete/", "_popup=", "_to_field=")
PAGES_PER_ROUTE = 2
MAX_PAGES = 150


class InlineCode(HTMLParser):
    """Collects what the policy would block: inline scripts, handlers, javascript: URLs, inline styles."""

    def __init__(self):
        super().__init__()
        self.problems = []
        self.links = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src") and attributes.get("type") not in DATA_SCRIPTS:
            self.problems.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.problems.append(f"<style> element at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith("on") or name.startswith("hx-on"):
                self.problems.append(f"{name}= on <{tag}>")
            elif name == "style":
                self.problems.append(f'style="{value}" on <{tag}>')
            elif name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL in {name} of <{tag}>")
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])


def inline_code(html: str) -> InlineCode:
    parser = InlineCode()
    parser.feed(html)
    return parser


def route_of(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None


def crawl(client, seeds=SEEDS):
    """(url, response) of the HTML pages reachable from SEEDS by GET, at most PAGES_PER_ROUTE per URL pattern."""
    queue, seen, per_route = deque(seeds), set(), Counter()
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        route = route_of(urlsplit(url).path)
        if url in seen or route is None or per_route[route] >= PAGES_PER_ROUTE:
            continue
        seen.add(url)
        per_route[route] += 1
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        page = inline_code(response.content.decode())
        yield url, response, page
        for link in page.links:
            target = urlsplit(link)
            if link.startswith("/") and not link.startswith(SKIP) and not any(p in link for p in SKIP_PARTS):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))


def directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("persona", ["admin", "tinh.tuyengiao", "xa1.bithu", "dangvien1"])
def test_no_page_a_persona_reaches_carries_code_the_policy_would_block(persona, client_as):
    pages, problems = 0, []
    for url, response, page in crawl(client_as(persona)):
        pages += 1
        problems += [f"{url}: {problem}" for problem in page.problems]
        if "Content-Security-Policy" not in response:
            problems.append(f"{url}: no Content-Security-Policy header")
    assert pages >= 15, f"the crawl reached only {pages} pages"
    assert problems == []


def test_the_two_factor_pages_keep_to_the_policy(users, signed_in, otp_required):
    enrolling = signed_in("tinh.tuyengiao")
    page = enrolling.get("/tai-khoan/xac-thuc-hai-buoc/")
    assert "<svg" in page.content.decode() and inline_code(page.content.decode()).problems == []
    device, _ = enrolled(users["admin"])
    client = signed_in("admin")
    assert inline_code(client.get("/dang-nhap/xac-thuc/").content.decode()).problems == []
    client.post("/dang-nhap/xac-thuc/", {"code": code_for(device)})
    client.post("/tai-khoan/ma-khoi-phuc/tao-lai/")
    codes = client.get("/tai-khoan/ma-khoi-phuc/")
    assert codes.status_code == 200 and inline_code(codes.content.decode()).problems == []


def test_the_parser_finds_what_the_policy_blocks():
    html = (
        '<script>alert(1)</script><script src="/static/app.js"></script>'
        '<script type="application/json" id="d">{}</script>'
        '<a href="javascript:void(0)" onclick="x()">a</a><div style="width:1px" hx-on::load="y()"></div>'
        "<style>p{}</style>"
    )
    problems = inline_code(html).problems
    assert len(problems) == 6, problems


@pytest.mark.parametrize("path", ["/dang-nhap/", "/", "/tai-khoan/"])
def test_security_headers(path, client_as):
    response = client_as("xa1.bithu" if path != "/dang-nhap/" else None).get(path)
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'self'"]
    assert "camera=()" in response["Permissions-Policy"] and "fullscreen=(self)" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_api_answers_carry_the_policy_too(api):
    response = api("xa1.bithu").get("/api/v1/orgs")
    assert directives(response["Content-Security-Policy"])["default-src"] == ["'self'"]


def test_htmx_runs_without_eval_and_without_its_own_style_element(client_as):
    html = client_as("xa1.bithu").get("/").content.decode()
    assert """<meta name="htmx-config" content='{"allowEval": false, "includeIndicatorStyles": false}'>""" in html


def test_the_policy_built_once_is_django_csps_and_its_decorators_still_work(rf):
    """ConstantCSPMiddleware sends the string django-csp would build; a response that asks for more
    (here csp_update) still gets django-csp's own answer."""
    from csp.decorators import csp_update
    from csp.utils import build_policy
    from django.http import HttpResponse

    from quantriet.core.headers import ConstantCSPMiddleware

    plain = ConstantCSPMiddleware(lambda request: HttpResponse("x"))(rf.get("/"))
    assert plain["Content-Security-Policy"] == build_policy()

    @csp_update({"img-src": "https://anh.example.vn"})
    def view(request):
        return HttpResponse("x")

    updated = ConstantCSPMiddleware(view)(rf.get("/"))
    assert directives(updated["Content-Security-Policy"])["img-src"] == ["'self'", "data:", "https://anh.example.vn"]
