from . import views

app_name = "core"
urlpatterns = views.urlpatterns
