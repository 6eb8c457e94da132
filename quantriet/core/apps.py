from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "quantriet.core"
    label = "core"
    verbose_name = "Hệ thống"

    def ready(self):
        from django import forms
        from django.core import validators

        from . import staticfiles  # noqa: F401 (registers the collectstatic deploy check)

        # Every text field of every form refuses control characters and invisible junk (one
        # rule, core.text.UNPRINTABLE). Form classes are defined when their module is imported,
        # after the apps are ready, so their fields get this validator; subclasses with their own
        # validators (email, URL, slug) refuse such characters already. Django adds its own NUL
        # validator to every CharField, with an English message: it says it in Vietnamese, and
        # ours leaves NUL to it so that the message is not shown twice.
        validators.ProhibitNullCharactersValidator.message = NUL_MESSAGE
        forms.CharField.default_validators = [_printable_but_nul]


NUL_MESSAGE = "Chứa ký tự rỗng (U+0000) không hợp lệ; hãy gõ lại nội dung này (thường do sao chép từ phần mềm khác)."


def _printable_but_nul(value):
    from .text import validate_printable

    validate_printable(value.replace("\x00", "") if isinstance(value, str) else value)
