from . import views

app_name = "evaluation"
urlpatterns = views.urlpatterns
