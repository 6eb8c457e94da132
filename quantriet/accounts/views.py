"""The user's own account (Tài khoản): two-factor sign-in and API tokens.

Every page here concerns the signed-in user alone: their devices, their tokens, fetched through
`own_tokens`, so another user's token is a 404 like one that does not exist. No role is needed;
the one refusal (403) is turning off a second factor that OTP_REQUIRED_FOR makes compulsory.
"""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from quantriet.core.models import ApiToken

from . import services, twofactor
from .forms import CodeForm

#: The session key holding fresh recovery codes until the page that shows them once.
FRESH_CODES = "qt_recovery_codes"


def own_tokens(user):
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def _next_url(request) -> str:
    """Where the user was going (a local address only), else the home page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


@require_GET
def account(request):
    """Tài khoản: the second factor (state, recovery codes left, enrol, regenerate, turn off); the tokens' link."""
    user = request.user
    device = twofactor.authenticator(user)
    return render(
        request,
        "accounts/account.html",
        {
            "device": device,
            "required_by": twofactor.GROUPS.get(twofactor.required_by(user)),
            "codes_left": StaticToken.objects.filter(device__user=user).count(),
            "tokens": own_tokens(user).filter(expires_at__gt=timezone.now()).count(),
            "idle_minutes": settings.SESSION_IDLE_MINUTES,
        },
    )


def _pending_device(user) -> TOTPDevice:
    """The authenticator being enrolled: the same one on every reload, so the QR code stays valid."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=twofactor.AUTHENTICATOR_NAME, confirmed=False)


def _qr_svg(url: str) -> str:
    return mark_safe(segno.make(url, error="m").svg_inline(scale=1, omitsize=True, border=2))  # noqa: S308 - segno's own SVG


@never_cache
def enrol(request):
    """Đăng ký ứng dụng xác thực: scan the QR code (or type the key), give the first code; then the recovery codes."""
    user = request.user
    device = _pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = twofactor.verify(device, twofactor.normalise(form.cleaned_data["code"]))
        if outcome.device is not None:
            request.session[FRESH_CODES] = services.otp_enrol(user, device)
            twofactor.passed(request)
            messages.success(request, "Đã bật xác thực hai bước cho tài khoản.")
            return redirect(f"{reverse('accounts:recovery_codes')}?{urlencode({'next': _next_url(request)})}")
        form.add_error("code", outcome.problem)
    key = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr": _qr_svg(device.config_url),
            "config_url": device.config_url,  # otpauth://…: opens the app on the phone itself
            "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
            "replacing": twofactor.authenticator(user) is not None,
            "required_by": twofactor.GROUPS.get(twofactor.required_by(user)),
            "pending": request.session.get(twofactor.STATE_KEY) == twofactor.ENROL,
            "next": _next_url(request),
        },
    )


@never_cache
def verify(request):
    """Xác thực hai bước at sign-in: the authenticator's code, or a recovery code."""
    if request.session.get(twofactor.STATE_KEY) != twofactor.VERIFY:
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = twofactor.check(request.user, form.cleaned_data["code"])
        if outcome.device is not None:
            twofactor.passed(request)
            if isinstance(outcome.device, StaticDevice):
                left = services.otp_recovery_used(request.user, outcome.device)
                messages.warning(request, _codes_left_message(left))
            return redirect(_next_url(request))
        form.add_error("code", outcome.problem)
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)})


def _codes_left_message(left: int) -> str:
    if left == 0:
        return "Đồng chí đã dùng hết mã khôi phục. Hãy tạo bộ mã mới ngay ở trang Tài khoản."
    return f"Đã dùng một mã khôi phục; còn {left} mã. Mỗi mã chỉ dùng được một lần."


@never_cache
@require_GET
def recovery_codes(request):
    """The fresh recovery codes, shown this once (kept in the session only until this page)."""
    codes = request.session.pop(FRESH_CODES, None)
    if not codes:
        messages.info(
            request, "Mã khôi phục chỉ hiển thị một lần, ngay khi tạo. Cần mã mới thì bấm “Tạo lại mã khôi phục”."
        )
        return redirect("accounts:account")
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": [twofactor.shown(c) for c in codes], "next": _next_url(request)},
    )


@require_POST
def recovery_regenerate(request):
    if twofactor.authenticator(request.user) is None:
        messages.error(request, "Chưa bật xác thực hai bước: hãy đăng ký ứng dụng xác thực trước.")
        return redirect("accounts:account")
    request.session[FRESH_CODES] = services.otp_recovery_regenerate(request.user)
    messages.success(request, "Đã tạo bộ mã khôi phục mới; các mã cũ không còn dùng được.")
    return redirect("accounts:recovery_codes")


@require_POST
def disable(request):
    """Turn the second factor off: only for users it is not required of (403 otherwise)."""
    if twofactor.required_by(request.user):
        raise PermissionDenied(
            "Tài khoản của đồng chí bắt buộc dùng xác thực hai bước nên không tắt được. "
            "Đổi điện thoại thì bấm “Đăng ký lại ứng dụng xác thực”."
        )
    services.otp_disable(request.user, request.user)
    messages.success(request, "Đã tắt xác thực hai bước và xóa các mã khôi phục.")
    return redirect("accounts:account")


@require_GET
def tokens(request):
    """Mã truy cập API: the user's own tokens, valid and expired, newest first."""
    return render(
        request,
        "accounts/tokens.html",
        {"tokens": own_tokens(request.user), "now": timezone.now(), "days": settings.API_TOKEN_DAYS},
    )


@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(own_tokens(request.user), pk=pk)
    services.token_revoke(request.user, token)
    messages.success(request, f"Đã thu hồi mã truy cập tạo lúc {timezone.localtime(token.created_at):%H:%M %d/%m/%Y}.")
    return redirect("accounts:tokens")


@require_POST
def tokens_revoke_all(request):
    count = services.tokens_revoke_all(request.user)
    messages.success(request, f"Đã thu hồi {count} mã truy cập." if count else "Không có mã truy cập nào để thu hồi.")
    return redirect("accounts:tokens")


@require_GET
def keepalive(request):
    """Pinged by app.js while the user types or clicks on a page that sends nothing (an essay, a
    quiz), so the idle limit counts their work; the session middleware has stamped it."""
    return HttpResponse(status=204)
