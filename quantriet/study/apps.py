from django.apps import AppConfig


class StudyConfig(AppConfig):
    name = "quantriet.study"
    label = "study"
    verbose_name = "Học tập, quán triệt"
