from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "quantriet.plans"
    verbose_name = "Chương trình hành động"
