"""Login by default (LoginRequiredMiddleware): every view asks an anonymous visitor to sign in,
except the public ones named here.

The whole URL resolver is walked, each pattern requested anonymously at a sample address: a page
answers a redirect to the login page, the JSON API a 401 of its own. Marking a new view public
(`@login_not_required`) means adding it to PUBLIC_PAGES, so it is a decision someone reviews.
"""

import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.test import Client
from django.urls import URLResolver, get_resolver, include, path, resolve

from quantriet.api import DOCS_PAGES, api

LOGIN = "/dang-nhap/"
ADMIN_LOGIN = "/quan-tri/login/"
#: Views an anonymous visitor may open, by URL name.
PUBLIC_PAGES = {
    "login",
    "logout",  # as before: logging out without a session just leads to the login page
    "core:favicon",  # browsers ask for it on their own, before login
    "core:healthz",  # the load balancer's probe (no table, no session)
    "admin:login",  # the admin's own login form (marked by Django)
}
#: API operations without a bearer token; every other operation answers 401 to a request without one.
API_WITHOUT_TOKEN = {("post", "/api/v1/auth/token")}
API_PREFIX = "api/v1/"

#: A value for each path converter, and for each named group of a regular-expression pattern.
SAMPLES = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": str(uuid.UUID(int=1))}
REGEX_SAMPLES = {"app_label": "auth", "url": "x"}  # the admin's app index and its catch-all


def url_patterns(patterns=None, route="", namespace=None):
    """(name, route, view) of every URL pattern, includes followed; route as ResolverMatch.route spells it."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        part = str(pattern.pattern)
        joined = route + (part[1:] if route and part.startswith("^") else part)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from url_patterns(pattern.url_patterns, joined, inner)
        else:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, joined, pattern.callback


def sample_url(route):
    """An address the pattern ROUTE matches: converters and named groups replaced by sample values."""
    url = route
    while (start := url.find("(?P<")) >= 0:
        name = url[start + 4 : url.index(">", start)]
        url = url[:start] + REGEX_SAMPLES[name] + url[_group_end(url, start) :]
    url = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m.group(1) or "str"], url)
    url = "/" + url.replace("^", "").replace("\\Z", "").replace("$", "")
    assert resolve(url).route == route, f"the sample {url} does not reach the pattern {route}"
    return url


def _group_end(text, start):
    depth = 0
    for i in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i + 1
    raise ValueError(text)


def is_public(view):
    """What LoginRequiredMiddleware reads."""
    return not getattr(view, "login_required", True)


def is_api(route):
    return route.startswith(API_PREFIX)


def login_page(view):
    """Where the middleware sends an anonymous visitor: the login page, or the admin's own for the
    admin's site-wide pages (Django names it on them as `login_url`; its model pages use ours)."""
    return str(getattr(view, "login_url", None) or LOGIN)


def asks_to_sign_in(response, url, login=LOGIN):
    return response.status_code == 302 and response["Location"] == f"{login}?next={url}"


def test_the_public_views_are_exactly_the_named_ones():
    public = {name for name, route, view in url_patterns() if is_public(view) and not is_api(route)}
    assert public == PUBLIC_PAGES
    api_docs = {name for name, route, view in url_patterns() if is_api(route) and not is_public(view)}
    assert api_docs == {f"api:{name}" for name in DOCS_PAGES}


def test_every_other_page_sends_an_anonymous_visitor_to_the_login_page(db):
    pages = [(name, route, login_page(view)) for name, route, view in url_patterns() if not is_public(view)]
    assert len(pages) > 100  # the walk reached the apps' and the admin's pages
    assert {login for *_, login in pages} == {LOGIN, ADMIN_LOGIN}
    failures = []
    for name, route, login in pages:
        url = sample_url(route)
        response = Client().get(url)
        if not asks_to_sign_in(response, url, login):
            failures.append(f"{name} {url}: {response.status_code} {response.get('Location', '')}")
    assert failures == []


def test_public_pages_answer_an_anonymous_visitor(db):
    client = Client()
    for url in ["/dang-nhap/", "/quan-tri/login/", "/favicon.ico"]:
        assert client.get(url).status_code == 200, url
    logout = client.post("/dang-xuat/")
    assert logout.status_code == 302 and logout["Location"] == LOGIN  # no next=/dang-xuat/ (a POST-only address)


def test_the_api_answers_json_not_a_redirect_without_a_token(db):
    """Each API address but the documentation's, asked with GET: 401 in JSON, or 405 where the path
    takes another method only, or 404 for the API's root; never the login page."""
    api_docs = {f"api:{name}" for name in DOCS_PAGES}
    failures = []
    for name, route, _view in url_patterns():
        if is_api(route) and name not in api_docs:
            url = sample_url(route)
            response = Client().get(url)
            unauthorized = response.status_code == 401 and "đăng nhập" in response.json()["detail"]
            root = name == "api:api-root" and response.status_code == 404
            if not (unauthorized or root or response.status_code == 405):
                failures.append(f"{name} {url}: {response.status_code}")
    assert failures == []


def test_every_api_operation_but_the_token_one_requires_a_token(db):
    """ninja checks the token, not the middleware: each operation answers 401 in JSON without one."""
    without_token, failures = set(), []
    for template, item in api.get_openapi_schema()["paths"].items():
        for method, operation in item.items():
            if "security" not in operation:
                without_token.add((method, template))
                continue
            url = re.sub(r"\{\w+\}", "1", template)
            response = getattr(Client(), method)(url, content_type="application/json")
            if response.status_code != 401 or "đăng nhập" not in response.json()["detail"]:
                failures.append(f"{method} {url}: {response.status_code}")
    assert failures == [] and without_token == API_WITHOUT_TOKEN


def test_the_token_endpoint_answers_json_without_a_token(db):
    response = Client().post(
        "/api/v1/auth/token", {"username": "khong-co", "password": "sai"}, content_type="application/json"
    )
    assert response.status_code == 401 and "không đúng" in response.json()["detail"]


def test_a_bearer_token_gets_through_without_a_session(api):
    """The middleware sees no signed-in session user on an API call: only the token signs it in."""
    assert api("xa1.bithu").get("/api/v1/orgs").status_code == 200


# ------------------------------------------------ a view that forgets its guard (the point of it)


def forgotten_guard(request):
    return HttpResponse("bí mật")


@login_not_required
def marked_public(request):
    return HttpResponse("công khai")


urlpatterns = [
    path("quen-bao-ve/", forgotten_guard),
    path("cong-khai/", marked_public),
    path("", include("quantriet.urls")),  # the login page the redirect names
]


@pytest.mark.urls(__name__)
def test_a_view_without_any_decorator_is_still_protected(db):
    response = Client().get("/quen-bao-ve/")
    assert asks_to_sign_in(response, "/quen-bao-ve/")
    assert Client().get("/cong-khai/").content.decode() == "công khai"
    client = Client()
    client.force_login(get_user_model().objects.create_user("nguoi-dung-thu"))
    assert client.get("/quen-bao-ve/").content.decode() == "bí mật"


def test_an_unknown_address_is_still_a_404(db):
    """No pattern, no view: the middleware has nothing to guard, the Vietnamese 404 page answers as before."""
    response = Client().get("/khong-co-trang-nay/")
    assert response.status_code == 404 and "Không tìm thấy trang" in response.content.decode()
