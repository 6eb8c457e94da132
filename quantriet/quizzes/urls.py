from . import views

app_name = "quizzes"
urlpatterns = views.urlpatterns
