from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("tai-khoan/", views.account, name="account"),
    path("tai-khoan/xac-thuc-hai-buoc/", views.enrol, name="enrol"),
    path("tai-khoan/xac-thuc-hai-buoc/tat/", views.disable, name="disable"),
    path("tai-khoan/ma-khoi-phuc/", views.recovery_codes, name="recovery_codes"),
    path("tai-khoan/ma-khoi-phuc/tao-lai/", views.recovery_regenerate, name="recovery_regenerate"),
    path("tai-khoan/ma-truy-cap/", views.tokens, name="tokens"),
    path("tai-khoan/ma-truy-cap/<int:pk>/thu-hoi/", views.token_revoke, name="token_revoke"),
    path("tai-khoan/ma-truy-cap/thu-hoi-tat-ca/", views.tokens_revoke_all, name="tokens_revoke_all"),
    path("tai-khoan/phien/", views.keepalive, name="keepalive"),
    path("dang-nhap/xac-thuc/", views.verify, name="verify"),
]
