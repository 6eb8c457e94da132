"""Two-factor sign-in: who must give a second factor, the session's state, checking a code.

The second factor is a TOTP authenticator app (django-otp's `TOTPDevice`, 6 digits every 30 s)
with ten recovery codes (a `StaticDevice`, each code usable once). `settings.OTP_REQUIRED_FOR`
names who must use it: "admins" (staff and superusers) and "province" (anyone holding a role on a
province, the top of the tree); anyone else may enrol from their account page, and is then
asked for a code at every sign-in too.

After the password, the session holds one of three states (`STATE_KEY`): OK (nothing more to
do, or the code was given), ENROL (required, no authenticator yet: only the enrolment page is
open) or VERIFY (an authenticator is set: only the code page is open). `TwoFactorMiddleware`
reads it; `start` sets it at every sign-in.

Wrong codes are throttled by django-otp itself, per device: after the n-th wrong code in a row
the next one is not even checked for 2^(n-1) seconds (1, 2, 4, … up to a week).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from quantriet.org.policy import works_at_top

STATE_KEY = "qt_2fa"
OK, ENROL, VERIFY = "ok", "enrol", "verify"
#: Who OTP_REQUIRED_FOR may name, and how the account page says it.
GROUPS = {
    "admins": "quản trị hệ thống (vào được trang quản trị)",
    "province": "cán bộ được phân quyền ở cấp tỉnh",
}
RECOVERY_CODES = 10
AUTHENTICATOR_NAME = "Ứng dụng xác thực"
RECOVERY_NAME = "Mã khôi phục"
#: After a wrong code the next waits 1, 2, 4 … seconds; from this long on the message says so.
NOTICEABLE_WAIT = 4
WRONG_CODE = "Mã không đúng hoặc đã hết hạn. Kiểm tra giờ trên điện thoại rồi nhập mã mới nhất."


def required_by(user) -> str | None:
    """Which group of OTP_REQUIRED_FOR makes a second factor compulsory for USER (None: no group)."""
    groups = settings.OTP_REQUIRED_FOR
    if "admins" in groups and (user.is_staff or user.is_superuser):
        return "admins"
    if "province" in groups and works_at_top(user):
        return "province"
    return None


def authenticator(user) -> TOTPDevice | None:
    """USER's confirmed authenticator app, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def state_for(user) -> str:
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return VERIFY
    return ENROL if required_by(user) else OK


def start(session, user) -> None:
    """At sign-in: what USER still has to do before using the site."""
    session[STATE_KEY] = state_for(user)


def passed(request) -> None:
    """The second factor was given (or just enrolled): the session may go everywhere, under a new key."""
    request.session.cycle_key()
    request.session[STATE_KEY] = OK


def is_recovery_code(code: str) -> bool:
    """An authenticator code is 6 digits; anything else is taken for a recovery code."""
    return not (len(code) == 6 and code.isdigit())


def normalise(code: str) -> str:
    """The code as stored: spaces and dashes (as the codes are shown, "abcd-efgh") dropped, lower case."""
    return "".join(code.split()).replace("-", "").lower()


@dataclass(frozen=True)
class Outcome:
    """What became of a code: the DEVICE that accepted it, or the PROBLEM (Vietnamese) and whether
    it was refused unchecked because of earlier wrong codes (THROTTLED)."""

    device: StaticDevice | TOTPDevice | None
    problem: str = ""
    throttled: bool = False


def check(user, code: str) -> Outcome:
    """CODE (an authenticator code or a recovery code) given by USER; a recovery code is used up."""
    code = normalise(code)
    model = StaticDevice if is_recovery_code(code) else TOTPDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            return Outcome(None, WRONG_CODE)
        return verify(device, code)


def verify(device, code: str) -> Outcome:
    """Whether DEVICE accepts CODE (django-otp counts a wrong one and makes the next one wait)."""
    allowed, details = device.verify_is_allowed()
    if not allowed:
        return Outcome(None, f"Đã nhập sai mã nhiều lần liên tiếp. {wait_sentence(details['locked_until'])}", True)
    if device.verify_token(code):
        return Outcome(device)
    _, details = device.verify_is_allowed()
    if details and (details["locked_until"] - timezone.now()).total_seconds() >= NOTICEABLE_WAIT:
        return Outcome(None, f"{WRONG_CODE} {wait_sentence(details['locked_until'])}")
    return Outcome(None, WRONG_CODE)


def wait_sentence(until) -> str:
    seconds = max(1, round((until - timezone.now()).total_seconds()))
    wait = f"{seconds} giây" if seconds < 120 else f"đến {timezone.localtime(until):%H:%M}"
    return f"Vui lòng chờ {wait} rồi thử lại."


def new_recovery_codes() -> list[str]:
    """Fresh codes (8 letters and digits each, django-otp's generator)."""
    return [StaticToken.random_token() for _ in range(RECOVERY_CODES)]


def shown(code: str) -> str:
    """A recovery code as the user reads it: two groups of four."""
    return f"{code[:4]}-{code[4:]}"
