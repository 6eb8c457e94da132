"""The API's description is for signed-in users, and documents every answer the API really gives.

Probing found /api/v1/openapi.json and /api/v1/docs served without login, and schemathesis found
undocumented status codes on all 16 operations and a malformed check-in whose 422 body did not
match the schema declared for it.
"""

import json

import pytest
from ninja import Schema

from quantriet.api import api as ninja_api
from quantriet.study.tests import test_api_study

world = test_api_study.world  # the fixture: a published plan with conferences


@pytest.mark.parametrize("url", ["/api/v1/openapi.json", "/api/v1/docs"])
def test_the_api_description_needs_a_login(client_as, url):
    anonymous = client_as(None).get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/dang-nhap/")
    assert client_as("dangvien1").get(url).status_code == 200


def _schema():
    return ninja_api.get_openapi_schema()


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def matches(schema, node, value) -> bool:
    """VALUE fits the JSON schema NODE (the subset ninja writes: $ref, anyOf, objects, arrays, scalars)."""
    node = _resolve(schema, node)
    if "anyOf" in node:
        return any(matches(schema, option, value) for option in node["anyOf"])
    kind = node.get("type")
    if kind == "object":
        if not isinstance(value, dict) or not set(node.get("required", [])) <= set(value):
            return False
        properties = node.get("properties", {})
        return all(matches(schema, properties[k], v) for k, v in value.items() if k in properties)
    if kind == "array":
        return isinstance(value, list) and all(matches(schema, node.get("items", {}), v) for v in value)
    types = {"string": str, "integer": int, "boolean": bool, "number": (int, float), "null": type(None)}
    return kind is None or isinstance(value, types[kind])


def _declared(schema, path, method, status):
    return schema["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]


def test_every_operation_documents_its_error_answers():
    schema = _schema()
    operations = [(p, m, op) for p, item in schema["paths"].items() for m, op in item.items()]
    assert len(operations) >= 16
    for path, method, operation in operations:
        codes = set(operation["responses"])
        wanted = {401} if "security" in operation else set()
        if "{" in path:
            wanted |= {404, 422}
        if operation.get("parameters") or "requestBody" in operation:
            wanted.add(422)
        assert wanted <= codes, f"{method.upper()} {path}: {sorted(wanted - codes)} not documented"
        for code in codes - {200, 201, 204}:  # 204: done, no body (revoking a token)
            body = _declared(schema, path, method, code)
            assert matches(schema, body, {"detail": "x"}) or code in {403, 409, 422, 429}, (path, code)
    assert 429 in schema["paths"]["/api/v1/auth/token"]["post"]["responses"]


def test_real_error_answers_match_what_is_documented(api, client_as, world):
    """Each operation answers an unknown id, a missing token and a malformed body as documented."""
    schema = _schema()
    c1 = world["c1"].pk
    calls = [
        ("get", "/api/v1/orgs/{org_id}", "/api/v1/orgs/987654321", None),
        ("get", "/api/v1/members/{member_id}", "/api/v1/members/987654321", None),
        ("get", "/api/v1/members", "/api/v1/members?org=987654321", None),
        ("get", "/api/v1/plans/{plan_id}/conferences", "/api/v1/plans/987654321/conferences", None),
        ("get", "/api/v1/plans", "/api/v1/plans?page=0", None),
        ("post", "/api/v1/conferences/{conference_id}/checkin", f"/api/v1/conferences/{c1}/checkin", "{}"),
        ("post", "/api/v1/conferences/{conference_id}/checkin", f"/api/v1/conferences/{c1}/checkin", "[1"),
        ("post", "/api/v1/conferences/{conference_id}/checkin", f"/api/v1/conferences/{c1}/checkin", '{"code": 1}'),
        ("post", "/api/v1/conferences/{conference_id}/checkin", f"/api/v1/conferences/{c1}/checkin", '{"code": "x"}'),
        ("post", "/api/v1/plans/{plan_id}/essay", "/api/v1/plans/987654321/essay", '{"text": "a"}'),
        ("get", "/api/v1/quiz-attempts/{attempt_id}", "/api/v1/quiz-attempts/987654321", None),
    ]
    for method, template, url, body in calls:
        for client in (api("dangvien1"), client_as(None)):
            if method == "get":
                response = client.get(url)
            else:
                response = client.post(url, body, content_type="application/json")
            responses = schema["paths"][template][method]["responses"]
            assert response.status_code in responses, (url, body, response.status_code)
            declared = _declared(schema, template, method, response.status_code)
            assert matches(schema, declared, response.json()), (url, body, response.json())


def test_a_malformed_checkin_answers_the_documented_422(api, world):
    schema = _schema()
    response = api("dangvien1").post(
        f"/api/v1/conferences/{world['c1'].pk}/checkin", {"ma": "1"}, content_type="application/json"
    )
    assert response.status_code == 422
    declared = _declared(schema, "/api/v1/conferences/{conference_id}/checkin", "post", 422)
    assert matches(schema, declared, response.json())
    refusal = _resolve(schema, declared["anyOf"][0])
    assert not matches(schema, refusal, response.json())  # the check-in refusal alone did not fit it


def test_fuzz_found_the_token_operations_401_undocumented(client_as):
    """schemathesis: a wrong password answered 401, which the token operation did not document."""
    schema = _schema()
    response = client_as(None).post(
        "/api/v1/auth/token", {"username": "dangvien1", "password": "sai"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert matches(schema, _declared(schema, "/api/v1/auth/token", "post", 401), response.json())


@pytest.mark.parametrize(("method", "url"), [("post", "/api/v1/auth/token"), ("put", "/api/v1/me/commitments/2026")])
@pytest.mark.parametrize("body", [b"\x00", b'{"username": ', b"\xff\xfe"])
def test_fuzz_found_an_unreadable_body_answered_400_in_english(api, method, url, body):
    """schemathesis: ninja answered a body it cannot parse with 400 "Cannot parse request body"; it is the
    documented Vietnamese 422 of malformed input, as on the operations that read their body themselves."""
    schema = _schema()
    template = "/api/v1/me/commitments/{year}" if "commitments" in url else url
    response = getattr(api("dangvien1"), method)(url, body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "dữ liệu", "message": "không phải JSON hợp lệ"}]
    assert matches(schema, _declared(schema, template, method, 422), response.json())


def _schema_classes(base):
    for subclass in base.__subclasses__():
        yield subclass
        yield from _schema_classes(subclass)


def test_fuzz_found_two_schemas_under_one_name():
    """schemathesis: a submitted quiz attempt's `review` did not match its documented schema, because the
    quizzes' and the commitments' review schemas were both named ReviewOut and the document kept one.

    ninja names each component after its class; classes sharing a name must describe the same thing.
    """
    by_name = {}
    for cls in _schema_classes(Schema):
        if cls.__module__.startswith("quantriet."):
            by_name.setdefault(cls.__name__, {})[cls.__module__] = json.dumps(cls.model_json_schema(), sort_keys=True)
    clashes = {name: sorted(shapes) for name, shapes in by_name.items() if len(set(shapes.values())) > 1}
    assert clashes == {}
    attempt = _schema()["components"]["schemas"]["AttemptOut"]["properties"]["review"]["anyOf"][0]["items"]
    assert "question_id" in _resolve(_schema(), attempt)["properties"]
