"""Security headers Django's SecurityMiddleware does not send: Content-Security-Policy and
Permissions-Policy. Both are constant strings, set with one dictionary assignment per response.
"""

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings

#: What django-csp's decorators (csp_exempt, csp_update, csp_replace, csp) leave on a response.
CSP_OVERRIDES = frozenset(
    {"_csp_exempt", "_csp_config", "_csp_update", "_csp_replace"}
    | {"_csp_exempt_ro", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro"}
)
#: django-csp leaves Django's own debug pages alone (DEBUG only).
DEBUG_PAGES = (404, 500)


class ConstantCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with the policy built once, at start-up.

    django-csp rebuilds the header from the settings for every response (about 45 µs); ours is the
    same for every response. A response or request that asks for more (one of django-csp's
    decorators, a nonce) still goes through django-csp, as does every response when a report-only
    policy or excluded paths are configured.
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        config = settings.CONTENT_SECURITY_POLICY
        plain = not settings.CONTENT_SECURITY_POLICY_REPORT_ONLY and not config.get("EXCLUDE_URL_PREFIXES")
        self.policy = build_policy() if plain else None

    def process_response(self, request, response):
        if (
            self.policy is None
            or getattr(request, "_csp_nonce", None) is not None
            or not CSP_OVERRIDES.isdisjoint(vars(response))
        ):
            return super().process_response(request, response)
        if not (settings.DEBUG and response.status_code in DEBUG_PAGES):
            response.headers.setdefault(HEADER, self.policy)
        return response


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.value = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.value)
        return response
