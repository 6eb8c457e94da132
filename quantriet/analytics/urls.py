from . import home, views, views_report

app_name = "analytics"
urlpatterns = views.urlpatterns + views_report.urlpatterns + home.urlpatterns
