from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo province. It sits on top of every other app, so it may use them all."""

    name = "quantriet.demo"
    label = "demo"
    verbose_name = "Dữ liệu mẫu"
