"""Two gates every signed-in request passes, both reading only the session (already loaded).

`SessionLimitsMiddleware` ends a session unused for SESSION_IDLE_MINUTES or signed in longer
than SESSION_COOKIE_AGE. Activity is stamped in the session at most once a minute, so a busy
user costs one session save a minute, not one per request.

`TwoFactorMiddleware` keeps a signed-in user who still owes a second factor on its pages (code
entry, or enrolment when it is required and none is set up). On the way through it costs one
dictionary read for everyone else; a session from before this gate existed is assessed once
(two small queries) and remembers the answer.

Requests without a session (the JSON API's bearer tokens, anonymous visitors) pass untouched.
"""

import time

from django.conf import settings
from django.contrib import auth, messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from . import twofactor

SIGNED_IN_AT = "qt_signed_in_at"
SEEN_AT = "qt_seen_at"
#: Activity is written to the session when the last stamp is older than this (seconds).
STAMP_EVERY = 60


def start_session(session, user) -> None:
    """At every sign-in (accounts.apps connects it to user_logged_in): the clocks and the 2FA state."""
    now = int(time.time())
    session[SIGNED_IN_AT] = session[SEEN_AT] = now
    twofactor.start(session, user)


def signed_in(request) -> bool:
    return auth.SESSION_KEY in request.session


def redirect(request, url: str, *, back: bool = True):
    """To URL, carrying where the user was going (GET only); htmx is told to load the page whole."""
    if back and request.method == "GET":
        url = f"{url}?{urlencode({'next': request.get_full_path()})}"
    if request.headers.get("HX-Request") == "true":
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return HttpResponseRedirect(url)


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if signed_in(request):
            ended = self.check(request.session)
            if ended:
                auth.logout(request)
                messages.warning(request, ended)
                return redirect(request, reverse(settings.LOGIN_URL))
        return self.get_response(request)

    @staticmethod
    def check(session) -> str:
        """Why SESSION is over (in Vietnamese), or "" after stamping it as used now."""
        now = int(time.time())
        signed_at = session.setdefault(SIGNED_IN_AT, now)  # a session older than this gate: from now
        seen = session.get(SEEN_AT, now)
        if now - signed_at >= settings.SESSION_COOKIE_AGE:
            hours = settings.SESSION_COOKIE_AGE // 3600
            return f"Phiên làm việc đã kéo dài quá {hours} giờ. Vui lòng đăng nhập lại."
        idle = settings.SESSION_IDLE_MINUTES * 60
        if idle and now - seen >= idle:
            return (
                f"Phiên làm việc đã kết thúc vì không sử dụng quá {settings.SESSION_IDLE_MINUTES} phút. "
                "Vui lòng đăng nhập lại."
            )
        if SEEN_AT not in session or now - seen >= STAMP_EVERY:
            session[SEEN_AT] = now
        return ""


#: The pages a user who owes a second factor may still open, by state (URL names).
OPEN_PAGES = {
    twofactor.ENROL: {"accounts:enrol", "logout", "core:guide", "core:favicon"},
    twofactor.VERIFY: {"accounts:verify", "logout", "core:guide", "core:favicon"},
}
#: Where such a user is sent.
GATE_PAGE = {twofactor.ENROL: "accounts:enrol", twofactor.VERIFY: "accounts:verify"}


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.open_paths = {}

    def __call__(self, request):
        state = request.session.get(twofactor.STATE_KEY)
        if state == twofactor.OK or not signed_in(request):
            return self.get_response(request)
        if state is None:  # signed in before this gate existed
            state = request.session[twofactor.STATE_KEY] = twofactor.state_for(request.user)
            if state == twofactor.OK:
                return self.get_response(request)
        if request.path_info in self.paths_open(state):
            request.second_factor_owed = state  # base.html shows no menu: its links would lead back here
            return self.get_response(request)
        return redirect(request, reverse(GATE_PAGE[state]))

    def paths_open(self, state) -> set[str]:
        if state not in self.open_paths:
            self.open_paths[state] = {reverse(name) for name in OPEN_PAGES[state]}
        return self.open_paths[state]
