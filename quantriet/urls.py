from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from quantriet.analytics import home
from quantriet.api import api

admin.site.site_header = "Quán Triệt — quản trị hệ thống"
admin.site.site_title = "Quán Triệt"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("", home.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("quan-tri/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("quantriet.org.urls")),
    path("", include("quantriet.core.urls")),
    path("hoc-tap/", include("quantriet.study.urls")),
    path("van-ban/", include("quantriet.documents.urls")),
    path("thu-hoach/", include("quantriet.essays.urls")),
    path("kiem-tra/", include("quantriet.quizzes.urls")),
    path("chi-so-lam-ky/", include("quantriet.analytics.urls")),
]
