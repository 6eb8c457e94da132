from . import views, views_originality

app_name = "essays"
urlpatterns = views.urlpatterns + views_originality.urlpatterns
