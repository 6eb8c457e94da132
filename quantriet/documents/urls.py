from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("them/", views.document_create, name="create"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/sua/", views.document_edit, name="edit"),
    path("<int:pk>/dinh-kem/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/tom-tat/<slug:audience>/", views.digest_edit, name="digest_edit"),
    path("tep/<int:pk>/", views.attachment_download, name="attachment"),
    path("tep/<int:pk>/xoa/", views.attachment_delete, name="attachment_delete"),
]
