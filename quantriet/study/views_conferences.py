"""Pages for conferences, attendance and QR check-in (hội nghị, điểm danh)."""

urlpatterns = []
