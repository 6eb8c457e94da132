from . import views, views_commitments

app_name = "plans"
urlpatterns = views.urlpatterns + views_commitments.urlpatterns
