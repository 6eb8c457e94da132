from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "quantriet.accounts"
    verbose_name = "Tài khoản"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401 - registers the settings check
        from .middleware import start_session

        # Every way of signing in (the login page, the admin's, the test client's force_login)
        # starts the session's clocks and tells the two-factor gate what the user still owes.
        user_logged_in.connect(
            lambda sender, request, user, **kwargs: start_session(request.session, user),
            dispatch_uid="accounts.start_session",
            weak=False,
        )
