"""The JSON API at /api/v1: same access gate as the pages, bearer tokens instead of sessions."""

from django.contrib.auth import authenticate
from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer

from quantriet.analytics.api import router as analytics_router
from quantriet.core.api import TextIn
from quantriet.core.models import ApiToken
from quantriet.essays.api import router as essays_router
from quantriet.org.api import router as org_router
from quantriet.quizzes.api import router as quizzes_router
from quantriet.study.api import router as study_router


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.objects.user_for(token)
        if user is not None:
            request.user = user
        return user


class VietnameseJSONRenderer(JSONRenderer):
    """UTF-8 JSON, so Vietnamese text stays readable instead of \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
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


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Không tìm thấy."}, status=404)


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return api.create_response(request, {"detail": "Cần đăng nhập: gửi mã truy cập (Bearer token)."}, status=401)


class TokenIn(TextIn):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    token_type: str = "bearer"  # noqa: S105 (a scheme name, not a secret)


@api.post("/auth/token", auth=None, response=TokenOut, tags=["auth"], summary="Lấy mã truy cập")
def auth_token(request, payload: TokenIn):
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise HttpError(401, "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang bị tạm khóa.")
    return {"token": ApiToken.issue(user)}


api.add_router("/", org_router)
api.add_router("/", study_router)
api.add_router("/", essays_router)
api.add_router("/", quizzes_router)
api.add_router("/", analytics_router)
