from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "quantriet.evaluation"
    verbose_name = "Đánh giá, xếp loại"
