"""Login throttling hooks for django-axes: the client's address and the locked-out response."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render


def lockout_message():
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return (
        f"Đăng nhập sai {settings.AXES_FAILURE_LIMIT} lần; tài khoản tạm khóa {minutes} phút. "
        "Thử lại sau hoặc liên hệ quản trị hệ thống."
    )


def lockout_response(request, original_response=None, credentials=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message()}, status=429)
    return render(request, "registration/locked.html", {"message": lockout_message()}, status=429)


def client_ip(request):
    """REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies in front, the address the outermost one saw."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
