from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "quantriet.org"
    label = "org"
    verbose_name = "Tổ chức đảng và đảng viên"
