from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from quantriet.analytics import home
from quantriet.api import api_urls

admin.site.site_header = "Quán Triệt — quản trị hệ thống"
admin.site.site_title = "Quán Triệt"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("", home.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    # Public, as before the login-by-default middleware: "Đăng xuất" clicked after the session
    # expired leads straight to the login page, not to one whose next= is this POST-only address.
    path("dang-xuat/", login_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("quan-tri/", admin.site.urls),
    path("api/v1/", api_urls()),
    path("", include("quantriet.org.urls")),
    path("", include("quantriet.core.urls")),
    path("", include("quantriet.accounts.urls")),
    path("hoc-tap/", include("quantriet.study.urls")),
    path("van-ban/", include("quantriet.documents.urls")),
    path("thu-hoach/", include("quantriet.essays.urls")),
    path("kiem-tra/", include("quantriet.quizzes.urls")),
    path("chuong-trinh/", include("quantriet.plans.urls")),
    path("danh-gia/", include("quantriet.evaluation.urls")),
    path("chi-so-lam-ky/", include("quantriet.analytics.urls")),
]
