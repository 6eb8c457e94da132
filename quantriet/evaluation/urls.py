from . import views, views_outputs

app_name = "evaluation"
urlpatterns = views.urlpatterns + views_outputs.urlpatterns
