"""Pages for study plans, their progress and the to-do lists (kế hoạch, tiến độ, việc cần làm)."""

urlpatterns = []
