"""404, 403 and 500 answer in Vietnamese whether DEBUG is on (``make run``) or off; the API answers JSON.

Also the console: an ordinary 403/404 is logged as one line, a 500 with its traceback.
"""

import logging

import pytest
from django.urls import include, path

from quantriet.core.errors import ShortClientErrors
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Organization


def boom(request):
    raise RuntimeError("hỏng có chủ ý")


# This module is also the URLconf of the 500 test: the project's URLs plus a view that fails.
urlpatterns = [path("loi-thu/", boom), path("", include("quantriet.urls"))]

ENGLISH = ["Page not found", "URLconf", "Using the URLconf", "Forbidden", "Traceback", "Server Error", "DEBUG = True"]


def _english(html):
    return [phrase for phrase in ENGLISH if phrase in html]


@pytest.fixture(params=[True, False], ids=["debug", "production"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def test_out_of_scope_page_is_a_vietnamese_404(debug, client_as):
    other_commune = Organization.objects.get(code=f"{ROOT_CODE}-X001")
    response = client_as("xa2.bithu").get(f"/to-chuc/{other_commune.pk}/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in html and "ngoài phạm vi" in html and _english(html) == []
    assert other_commune.name not in html  # nothing tells the page exists


def test_unknown_address_is_a_vietnamese_404_without_url_patterns(debug, client_as):
    response = client_as("xa1.bithu").get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in html and _english(html) == []
    assert "&lt;int:pk&gt;" not in html and "<int:pk>" not in html  # no URL patterns listed


def test_missing_trailing_slash_still_redirects(debug, client_as):
    response = client_as("xa1.bithu").get("/to-chuc")
    assert response.status_code == 301 and response["Location"] == "/to-chuc/"


def test_403_says_which_right_is_missing_and_whom_to_ask(debug, client_as):
    response = client_as("dangvien1").get("/nhap-danh-sach/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Không có quyền" in html
    assert "Nhập danh sách đảng viên cần quyền Quản trị hệ thống, Lãnh đạo cấp ủy hoặc Văn phòng cấp ủy" in html
    assert "văn phòng cấp ủy của đơn vị" in html and _english(html) == []


def test_403_names_the_role_and_the_organisation(client_as):
    """A refusal from the gate's role check says which roles, on which organisation, would allow it."""
    commune = Organization.objects.get(code=f"{ROOT_CODE}-X001")
    response = client_as("tinh.tuyengiao").get(f"/to-chuc/{commune.pk}/sua/")
    html = response.content.decode()
    assert response.status_code == 403
    assert f"cần quyền Quản trị hệ thống hoặc Văn phòng cấp ủy của {commune.name} (hoặc của cấp trên)" in html


@pytest.mark.urls(__name__)
def test_server_error_is_vietnamese_and_logged_with_its_traceback(debug, client_as, caplog):
    client = client_as("xa1.bithu")
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/loi-thu/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Lỗi hệ thống" in html and "hỏng có chủ ý" not in html and _english(html) == []
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info and record.exc_info[0] is RuntimeError


@pytest.mark.urls(__name__)
def test_server_error_still_reaches_the_test_client(client_as):
    with pytest.raises(RuntimeError):
        client_as("xa1.bithu").get("/loi-thu/")


def test_api_errors_stay_json(debug, api):
    client = api("xa2.bithu")
    other_commune = Organization.objects.get(code=f"{ROOT_CODE}-X001")
    out_of_scope = client.get(f"/api/v1/orgs/{other_commune.pk}")
    assert out_of_scope.status_code == 404 and out_of_scope.json() == {"detail": "Không tìm thấy."}
    unknown = client.get("/api/v1/khong-co")
    assert unknown.status_code == 404 and unknown.json() == {"detail": "Không tìm thấy."}


def test_a_403_is_logged_as_one_line(client_as, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client_as("dangvien1").get("/nhap-danh-sach/")
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.status_code == 403 and record.exc_info is None
    assert record.getMessage() == "Forbidden: /nhap-danh-sach/"


def test_console_drops_tracebacks_of_client_errors_only():
    [console] = [h for h in logging.getLogger().handlers if any(isinstance(f, ShortClientErrors) for f in h.filters)]
    # Django's own "django" logger prints nothing itself (it used to repeat every line, traceback and all).
    assert all(not isinstance(h, logging.StreamHandler) for h in logging.getLogger("django").handlers)
    try:
        raise PermissionError("x")
    except PermissionError as exc:
        info = (type(exc), exc, exc.__traceback__)
    for status, kept in [(403, False), (404, False), (500, True)]:
        record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "m", (), info)
        record.status_code = status
        assert console.filter(record)
        assert bool(record.exc_info) is kept
