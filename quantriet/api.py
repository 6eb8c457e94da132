"""The JSON API at /api/v1: same access gate as the pages, bearer tokens instead of sessions."""

from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django_otp.plugins.otp_static.models import StaticDevice
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer

from quantriet.accounts import twofactor
from quantriet.accounts.api import router as accounts_router
from quantriet.accounts.services import otp_recovery_used as recovery_used
from quantriet.accounts.services import token_issue
from quantriet.analytics.api import router as analytics_router
from quantriet.core.api import TAGS, TextIn
from quantriet.core.models import ApiToken
from quantriet.essays.api import router as essays_router
from quantriet.evaluation.api import router as evaluation_router
from quantriet.org.api import router as org_router
from quantriet.org.models import Grant, Member, note_no_grants
from quantriet.plans.api import router as plans_router
from quantriet.plans.api_commitments import router as commitments_router
from quantriet.quizzes.api import router as quizzes_router
from quantriet.study.api import router as study_router


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        """The token's user, or None (a 401). Whether the user holds any grant comes in the same
        query: most API calls are members' (their phone), who hold none, and the gate then needs
        no query for their grants (issue 16: the cost every authenticated request pays). The
        member record and its cell come in a second query: the gate asks for them on nearly
        every request (`visible_to`), and a member's check-in for its cell's path."""
        found = (
            ApiToken.objects.live(token)
            .annotate(granted=Exists(Grant.objects.filter(user_id=OuterRef("user_id"))))
            .prefetch_related(Prefetch("user__member", queryset=Member.objects.select_related("cell")))
            .first()
        )
        if found is None:
            return None
        if not found.granted:
            note_no_grants(found.user)
        request.user = found.user
        return found.user


class VietnameseJSONRenderer(JSONRenderer):
    """UTF-8 JSON, so Vietnamese text stays readable instead of \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class FieldError(Schema):
    field: str
    message: str


# The body of every error answer: `detail` in Vietnamese (`errors` per field for a 422).
class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


#: What every operation can answer besides what it declares: (status, when, applies to the operation?).
COMMON_ANSWERS = [
    (401, "Chưa gửi mã truy cập, hoặc mã sai hay đã hết hạn", lambda op, path: "security" in op),
    (401, "Sai mật khẩu, hoặc thiếu hay sai mã xác thực hai bước", lambda op, path: path.endswith("/auth/token")),
    (403, "Tài khoản phải đăng ký xác thực hai bước trước", lambda op, path: path.endswith("/auth/token")),
    (404, "Không tìm thấy, hoặc ngoài phạm vi được giao", lambda op, path: "{" in path or _has_query(op)),
    (422, "Dữ liệu gửi lên không hợp lệ (`errors` nêu từng trường)", lambda op, path: "{" in path or _takes(op)),
    (429, "Đăng nhập hay nhập mã xác thực sai quá nhiều lần; tạm khóa", lambda op, path: path.endswith("/auth/token")),
]


def _has_query(operation) -> bool:
    """An object named in the query (a filter by organisation) may be out of scope, as one in the path."""
    return any(p["in"] == "query" and p["name"] not in {"page", "page_size"} for p in operation.get("parameters", []))


def _takes(operation) -> bool:
    return bool(operation.get("parameters")) or "requestBody" in operation


class DocumentedAPI(NinjaAPI):
    """ninja's API whose OpenAPI document lists every answer an operation really gives.

    Errors come from the exception handlers below (Http404, validation, authentication), not from
    the operations' declared responses, so ninja would leave them undocumented; they are added
    here for every operation at once, with the `ErrorOut` schema. A 422 an operation declares
    with its own schema (a check-in refusal) may also be a malformed request: both are allowed.
    """

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(error_schema.pop("$defs"), ErrorOut=error_schema)
        error = {"$ref": "#/components/schemas/ErrorOut"}
        for path, item in schema["paths"].items():
            for operation in item.values():
                responses = operation["responses"]
                for status, description, applies in COMMON_ANSWERS:
                    if not applies(operation, path):
                        continue
                    declared = responses.get(status)
                    if declared is None:
                        content = {"application/json": {"schema": error}}
                        responses[status] = {"description": description, "content": content}
                    elif status == 422:
                        body = declared["content"]["application/json"]
                        body["schema"] = {"anyOf": [body["schema"], error]}
        return schema


api = DocumentedAPI(
    renderer=VietnameseJSONRenderer(),
    title="Quán Triệt API",
    version="1",
    description="API của hệ thống Quán Triệt. Dữ liệu ngoài phạm vi được giao trả về 404 như không tồn tại.",
    auth=BearerToken(),
    urls_namespace="api",
)


#: Vietnamese wording of the pydantic error types an API caller can trigger.
ERROR_MESSAGES = {
    "missing": "thiếu giá trị bắt buộc",
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "string_type": "phải là chuỗi ký tự",
    "greater_than_equal": "phải lớn hơn hoặc bằng {ge}",
    "greater_than": "phải lớn hơn {gt}",
    "less_than_equal": "phải nhỏ hơn hoặc bằng {le}",
    "json_invalid": "không phải JSON hợp lệ",
    "model_attributes_type": "phải là một đối tượng JSON",
    "dict_type": "phải là một đối tượng JSON",
}


def _error_message(error):
    if error.get("type") == "value_error":  # a validator's own Vietnamese message
        return str(error.get("ctx", {}).get("error", "giá trị không hợp lệ"))
    template = ERROR_MESSAGES.get(error.get("type"))
    if template is None:
        return "giá trị không hợp lệ"
    return template.format(**error.get("ctx", {}))


@api.exception_handler(ValidationError)
def invalid_input(request, exc):
    fields = []
    for error in exc.errors:
        where = ".".join(str(part) for part in error.get("loc", [])[1:]) or "dữ liệu"
        fields.append({"field": where, "message": _error_message(error)})
    names = ", ".join(f["field"] for f in fields)
    return api.create_response(request, {"detail": f"Dữ liệu không hợp lệ ở: {names}.", "errors": fields}, status=422)


@api.exception_handler(HttpError)
def unreadable_body(request, exc):
    """ninja's one 400, a request body it cannot parse (ninja.params.models), as the Vietnamese 422 of bad input.

    ninja words it in English ("Cannot parse request body"), and the OpenAPI document promises a 422 with
    `errors` for malformed input; schemathesis found the 400 on the two operations that let ninja read the body.
    Any other HttpError keeps its status and message.
    """
    if exc.status_code == 400:
        return invalid_input(request, ValidationError([{"type": "json_invalid", "loc": ("body",)}]))
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Không tìm thấy."}, status=404)


@api.exception_handler(PermissionDenied)
def refused(request, exc):
    """The policy's refusal (org.policy) as the API's 403, in the same words as the 403 page."""
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return api.create_response(request, {"detail": "Cần đăng nhập: gửi mã truy cập (Bearer token)."}, status=401)


class TokenIn(TextIn):
    username: str
    password: str
    otp: str = Field(
        "",
        max_length=20,
        description="Mã xác thực hai bước (6 chữ số trên ứng dụng xác thực, hoặc một mã khôi phục): "
        "bắt buộc với tài khoản đã bật xác thực hai bước.",
    )


class TokenOut(Schema):
    token: str
    token_type: str = "bearer"  # noqa: S105 (a scheme name, not a secret)


# Its 401 (wrong credentials) is declared here: COMMON_ANSWERS adds 401 only to operations that take a token.
@api.post(
    "/auth/token", auth=None, response={200: TokenOut, 401: ErrorOut}, tags=[TAGS["auth"]], summary="Lấy mã truy cập"
)
def auth_token(request, payload: TokenIn):
    """A token for the API. Wrong passwords count towards the same lockout as the login page
    (django-axes: 429 once locked). A user with two-factor sign-in also sends `otp`; one who must
    use it but has not enrolled is refused (403) until they enrol on the website."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise HttpError(401, "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang bị tạm khóa.")
    second_factor_for_token(user, payload.otp)
    return {"token": token_issue(user)}


def second_factor_for_token(user, code: str) -> None:
    """Raise the API's refusal unless USER needs no second factor or CODE is a good one."""
    state = twofactor.state_for(user)
    if state == twofactor.ENROL:
        raise HttpError(
            403,
            "Tài khoản này bắt buộc dùng xác thực hai bước: đăng nhập trang web và đăng ký ứng dụng xác thực "
            "trước khi lấy mã truy cập API.",
        )
    if state == twofactor.VERIFY:
        if not code:
            raise HttpError(401, "Tài khoản đã bật xác thực hai bước: gửi thêm mã xác thực trong trường otp.")
        outcome = twofactor.check(user, code)
        if outcome.device is None:
            raise HttpError(429 if outcome.throttled else 401, outcome.problem)
        if isinstance(outcome.device, StaticDevice):
            recovery_used(user, outcome.device)


api.add_router("/", org_router)
api.add_router("/", study_router)
api.add_router("/", essays_router)
api.add_router("/", quizzes_router)
api.add_router("/", plans_router)
api.add_router("/", commitments_router)
api.add_router("/", evaluation_router)
api.add_router("/", analytics_router)
api.add_router("/", accounts_router)


#: The API's pages for people: its OpenAPI document and viewer, for signed-in users (docs_decorator).
DOCS_PAGES = {"openapi-json", "openapi-view"}


def api_urls():
    """api.urls with every operation exempt from the login-by-default middleware (LoginRequiredMiddleware).

    An API client must get the JSON 401 of `unauthorized`, not a redirect to the login page: every
    operation checks its bearer token itself (the API's `auth`, or `auth=None` for the token
    endpoint, core/tests/test_login_default.py lists it), and the root path is a 404 for everyone.
    """
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if pattern.name not in DOCS_PAGES:
            login_not_required(pattern.callback)
    return patterns, app_name, namespace
