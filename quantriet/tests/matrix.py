"""Permission-matrix helpers shared by every app's tests (no tests here; test code only).

A page matrix is a list of ``(url name, args, method, data, expected)`` where EXPECTED maps each
persona of `ALL` to a status code (build it with `expect`); an API matrix is a list of
``(method, url, body, expected)``. A row may carry more items after EXPECTED for the test's own
use (the helpers ignore them; a CHECK can read them). The checks return the mismatches so a test
can assert the list is empty and show every failure at once.
"""

import json

from django.urls import reverse

#: The five demo personas of the README, and a logged-in user with no grant and no member record.
ALL = ["admin", "tinh.tuyengiao", "xa1.bithu", "xa2.bithu", "dangvien1", "outsider"]


def expect(**codes):
    """Expected status per persona (dots in names become underscores); ``others`` fills the rest."""
    default = codes.pop("others", None)
    return {persona: codes.get(persona.replace(".", "_"), default) for persona in ALL}


def request(client, url, method, data=None, as_json=False):
    if method == "get":
        return client.get(url, data or {})
    if as_json:
        return client.generic(method.upper(), url, json.dumps(data or {}), content_type="application/json")
    return client.post(url, data or {})


def _url(namespace, name, args):
    return reverse(f"{namespace}:{name}" if namespace else name, args=args)


def _problem(row, response, wanted, check):
    """What is wrong with RESPONSE to ROW: an unexpected status, else what CHECK(row, response) says."""
    if response.status_code != wanted:
        return f"{response.status_code}, expected {wanted}"
    return check(row, response) if check else None


def page_failures(matrix, client_as, namespace=None, *, personas=ALL, check=None) -> list[str]:
    """Requests every page of MATRIX as every persona; the ones answering otherwise than expected.

    NAMESPACE prefixes the url names (None: the names are complete, such as ``"org:detail"``).
    PERSONAS narrows the run to some of `ALL` (a test per persona). CHECK(row, response), called
    on every response with the expected status, returns what else is wrong with it, or None.
    """
    failures = []
    for row in matrix:
        name, args, method, data, expected, *_ = row
        url = _url(namespace, name, args)
        for persona in personas:
            response = request(client_as(persona), url, method, data)
            if problem := _problem(row, response, expected[persona], check):
                failures.append(f"{name}{args}{data or ''} {method} as {persona}: {problem}")
    return failures


def anonymous_failures(matrix, client_as, namespace=None) -> list[str]:
    """Pages of MATRIX that do not send an anonymous visitor to the login page."""
    failures = []
    for name, args, method, data, *_ in matrix:
        response = request(client_as(None), _url(namespace, name, args), method, data)
        if response.status_code != 302 or not response["Location"].startswith("/dang-nhap/"):
            failures.append(f"{name}{args} {method}: {response.status_code}")
    return failures


def api_failures(matrix, api, *, personas=ALL, check=None) -> list[str]:
    """MATRIX of ``(method, url, body, expected)`` requested with each persona's bearer token.

    PERSONAS and CHECK(row, response) as for `page_failures`.
    """
    failures = []
    for row in matrix:
        method, url, body, expected, *_ = row
        for persona in personas:
            response = request(api(persona), url, method, body, as_json=True)
            if problem := _problem(row, response, expected[persona], check):
                failures.append(f"{method} {url} as {persona}: {problem}")
    return failures


def api_anonymous_failures(matrix, client_as) -> list[str]:
    """Operations of an API MATRIX that do not answer a request without a token with 401 and a sign-in hint."""
    failures = []
    for method, url, body, *_ in matrix:
        response = request(client_as(None), url, method, body, as_json=True)
        if response.status_code != 401 or "đăng nhập" not in response.json().get("detail", ""):
            failures.append(f"{method} {url}: {response.status_code} {response.content[:200]!r}")
    return failures


def api_operations(tag: str) -> set[tuple[str, str]]:
    """(method, path) of every API operation tagged TAG (a key of core.api.TAGS), for the guard tests."""
    from quantriet.api import api
    from quantriet.core.api import TAGS

    tag = TAGS[tag]
    return {
        (method, path)
        for path, item in api.get_openapi_schema()["paths"].items()
        for method, operation in item.items()
        if tag in operation.get("tags", [])
    }


def uncovered_operations(operations, matrix) -> set[tuple[str, str]]:
    """The (method, path template) OPERATIONS that no row of an API MATRIX requests."""
    requested = {(method, url.split("?")[0]) for method, url, *_ in matrix}
    return {
        (method, template)
        for method, template in operations
        if not any(method == m and _matches(template, path) for m, path in requested)
    }


def _matches(template, path):
    """Whether PATH is an instance of the OpenAPI path TEMPLATE (``{name}`` matches any one segment)."""
    a, b = template.strip("/").split("/"), path.strip("/").split("/")
    return len(a) == len(b) and all(x == y or x.startswith("{") for x, y in zip(a, b, strict=True))
