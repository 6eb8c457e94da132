from . import views

app_name = "essays"
urlpatterns = views.urlpatterns
