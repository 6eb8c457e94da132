"""Third-party apps under Vietnamese names in the admin (their models are translated in quantriet/locale).

Kept out of core/apps.py: Django picks an app's config automatically only when apps.py holds one.
"""

import axes.apps
import django_tasks_db.apps


class AxesConfig(axes.apps.AppConfig):
    """django-axes: login throttling."""

    verbose_name = "Chống dò mật khẩu"


class TasksDatabaseConfig(django_tasks_db.apps.TasksAppConfig):
    """django-tasks' database backend: the queue of background jobs."""

    verbose_name = "Hàng đợi việc nền"
