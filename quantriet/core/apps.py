from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "quantriet.core"
    label = "core"
    verbose_name = "Hệ thống"
