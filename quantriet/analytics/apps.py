from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "quantriet.analytics"
    label = "analytics"
    verbose_name = "Chỉ số làm kỹ, báo cáo"
