from . import views, views_outputs, views_record

app_name = "evaluation"
urlpatterns = views.urlpatterns + views_outputs.urlpatterns + views_record.urlpatterns
