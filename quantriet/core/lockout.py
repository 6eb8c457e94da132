"""What a locked-out login sees (django-axes calls this)."""

from django.http import JsonResponse
from django.shortcuts import render

MESSAGE = "Đăng nhập sai quá nhiều lần; tài khoản tạm khóa 15 phút. Thử lại sau hoặc liên hệ quản trị hệ thống."


def lockout_response(request, original_response=None, credentials=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": MESSAGE}, status=429)
    return render(request, "registration/locked.html", status=429)
