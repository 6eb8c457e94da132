from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "quantriet.core"
    label = "core"
    verbose_name = "Hệ thống"

    def ready(self):
        from django import forms

        from . import staticfiles  # noqa: F401 (registers the collectstatic deploy check)
        from .text import validate_printable

        # Every text field of every form refuses control characters and invisible junk (one
        # rule, core.text.UNPRINTABLE). Form classes are defined when their module is imported,
        # after the apps are ready, so their fields get this validator; subclasses with their own
        # validators (email, URL, slug) refuse such characters already.
        forms.CharField.default_validators = [validate_printable]
