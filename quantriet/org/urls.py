from django.urls import path

from . import views, views_manage

app_name = "org"
urlpatterns = [
    path("to-chuc/", views.tree, name="tree"),
    path("to-chuc/<int:pk>/", views.org_detail, name="detail"),
    path("to-chuc/<int:pk>/con/", views.tree_children, name="children"),
    path("to-chuc/<int:pk>/xuat-excel/", views.org_export, name="export"),
    path("to-chuc/<int:pk>/them/", views_manage.org_create, name="org_create"),
    path("to-chuc/<int:pk>/sua/", views_manage.org_edit, name="org_edit"),
    path("to-chuc/<int:pk>/chuyen/", views_manage.org_move, name="org_move"),
    path("to-chuc/<int:pk>/hop-nhat/", views_manage.org_merge, name="org_merge"),
    path("to-chuc/<int:pk>/them-dang-vien/", views_manage.member_create, name="member_create"),
    path("to-chuc/<int:pk>/chuc-vu/", views_manage.position_assign, name="position_assign"),
    path("chuc-vu/<int:pk>/ket-thuc/", views_manage.position_end, name="position_end"),
    path("dang-vien/<int:pk>/", views.member_detail, name="member"),
    path("dang-vien/<int:pk>/sua/", views_manage.member_edit, name="member_edit"),
    path("dang-vien/<int:pk>/chuyen/", views_manage.member_transfer, name="member_transfer"),
    path("nhap-danh-sach/", views.roster_import, name="roster_import"),
    path("nhap-danh-sach/mau.xlsx", views.roster_template, name="roster_template"),
    path("nhap-danh-sach/<int:pk>/", views.roster_job, name="roster_job"),
    path("nhap-danh-sach/<int:pk>/trang-thai/", views.roster_job_status, name="roster_job_status"),
    path("de-nghi-chuyen-sinh-hoat/", views_manage.transfer_requests, name="transfer_requests"),
    path("de-nghi-chuyen-sinh-hoat/<int:pk>/", views_manage.transfer_request_decide, name="transfer_request_decide"),
]
