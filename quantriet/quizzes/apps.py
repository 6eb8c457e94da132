from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quantriet.quizzes"
    label = "quizzes"
    verbose_name = "Bài kiểm tra"
