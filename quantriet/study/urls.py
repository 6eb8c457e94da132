from . import views_conferences, views_plans

app_name = "study"
urlpatterns = views_plans.urlpatterns + views_conferences.urlpatterns
