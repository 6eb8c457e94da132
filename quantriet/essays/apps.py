from django.apps import AppConfig


class EssaysConfig(AppConfig):
    name = "quantriet.essays"
    label = "essays"
    verbose_name = "Bài thu hoạch"
