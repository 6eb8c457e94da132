from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "quantriet.documents"
    label = "documents"
    verbose_name = "Văn bản của Đảng"
