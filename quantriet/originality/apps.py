from django.apps import AppConfig


class OriginalityConfig(AppConfig):
    name = "quantriet.originality"
    label = "originality"
    verbose_name = "Kiểm tra trùng lặp bài thu hoạch"
