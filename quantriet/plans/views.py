"""Pages of action programmes."""

urlpatterns = []
