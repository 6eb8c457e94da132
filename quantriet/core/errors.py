"""Error pages in Vietnamese whatever DEBUG says, and API errors in JSON.

With DEBUG on (``make run``), Django answers a 404 with its English technical page listing every
URL pattern and a server error with its English traceback page. A newcomer trying the demo must
see the same Vietnamese pages as in production, so this middleware renders them itself, through
Django's own error views (the ones behind handler403/404/500): 404.html, 403.html (with the
refusal's message: which right is missing) and 500.html. A developer still reads the traceback of
a server error in the console, where it is logged as Django logs it.

Paths under /api/ are left to django-ninja's JSON handlers, and an API path that does not exist
answers JSON too.
"""

import logging

from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.log import log_response
from django.views import defaults

logger = logging.getLogger("django.request")

API_PREFIX = "/api/"
#: What the API answers for anything not found (quantriet.api.not_found says the same).
NOT_FOUND_JSON = {"detail": "Không tìm thấy."}
#: Refusals Django answers with 400 (and logs to django.security); left to it.
BAD_REQUEST = (BadRequest, SuspiciousOperation, MultiPartParserError)


class ErrorPagesMiddleware:
    """Place after CommonMiddleware, so a 404 still gets its APPEND_SLASH redirect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A path no URL pattern matches fails before any view runs, out of process_exception's reach:
        # Django answered it (with its technical page under DEBUG) and set no resolver_match. Checked
        # on the answer, so a request that resolves is not resolved a second time.
        if response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            if request.path_info.startswith(API_PREFIX):
                return JsonResponse(NOT_FOUND_JSON, status=404, json_dumps_params={"ensure_ascii": False})
            return defaults.page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if request.path_info.startswith(API_PREFIX) or isinstance(exception, BAD_REQUEST):
            return None
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return defaults.permission_denied(request, exception)
        # As Django's own handler does: tell listeners (the test client re-raises), log the traceback.
        signals.got_request_exception.send(sender=None, request=request)
        response = defaults.server_error(request)
        log_response("Internal Server Error: %s", request.path, response=response, request=request, exception=exception)
        return response


class ShortClientErrors(logging.Filter):
    """An ordinary 403 or 404 is one line in the console: django.request's 4xx records lose their traceback.

    Server errors (5xx) keep it.
    """

    def filter(self, record):
        if 400 <= getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
