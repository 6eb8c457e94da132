from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("to-chuc/", views.tree, name="tree"),
    path("to-chuc/<int:pk>/", views.org_detail, name="detail"),
    path("to-chuc/<int:pk>/con/", views.tree_children, name="children"),
    path("to-chuc/<int:pk>/xuat-excel/", views.org_export, name="export"),
    path("dang-vien/<int:pk>/", views.member_detail, name="member"),
    path("nhap-danh-sach/", views.roster_import, name="roster_import"),
    path("nhap-danh-sach/mau.xlsx", views.roster_template, name="roster_template"),
    path("nhap-danh-sach/<int:pk>/", views.roster_job, name="roster_job"),
    path("nhap-danh-sach/<int:pk>/trang-thai/", views.roster_job_status, name="roster_job_status"),
]
