"""Pieces shared by every app's API router."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import field_validator

from .text import unprintable_problem

#: The API's sections (OpenAPI tags), named in Vietnamese as the menu names them; tests refer to them
#: by these keys (quantriet.tests.matrix.api_operations).
TAGS = {
    "auth": "Đăng nhập",
    "account": "Tài khoản",
    "org": "Tổ chức đảng và đảng viên",
    "study": "Học tập, quán triệt",
    "essays": "Bài thu hoạch",
    "quizzes": "Bài kiểm tra",
    "fidelity": "Chỉ số làm kỹ",
    "plans": "Chương trình hành động, cam kết",
    "evaluation": "Đánh giá, xếp loại",
}

#: Ids beyond the 64-bit range are malformed input (422), not a server error.
MAX_ID = 2**63 - 1
#: Beyond this page number the offset would overflow the database's integers (a 500); it is a 422.
MAX_PAGE = 1_000_000


class Pages(PageNumberPagination):
    """ninja's page-number pagination with the page number bounded."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE)


class TextIn(Schema):
    """Base of every API input schema: no text field takes an unprintable character (422).

    The API side of the one rule of core.text.UNPRINTABLE that every form field applies too.
    """

    @field_validator("*", mode="after")
    @classmethod
    def _printable(cls, value):
        problem = unprintable_problem(value)
        if problem:
            raise ValueError(problem)
        return value
