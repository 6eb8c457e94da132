"""Static files in production: hashed names from `collectstatic`, never a 500 without it.

Django's manifest storage raises on every ``{% static %}`` whose file is not in the manifest, so
a server started without ``collectstatic`` (or after an upgrade that added a file) answers 500 on
every page. This storage falls back to the plain name instead — WhiteNoise serves it from the
app directories (``WHITENOISE_USE_FINDERS``) — and logs why; the deploy check
``quantriet.W001`` (``manage.py check --deploy``) says that collectstatic has not been run.
"""

import logging

from django.conf import settings
from django.core import checks
from django.core.files.storage import storages
from whitenoise.storage import CompressedManifestStaticFilesStorage

log = logging.getLogger(__name__)


class FallbackManifestStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.missing = set()  # names already logged, so a page view does not log them again

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            if name not in self.missing:
                self.missing.add(name)
                log.warning("Tệp tĩnh %s chưa có trong manifest: hãy chạy `manage.py collectstatic`.", name)
            return name


@checks.register(checks.Tags.staticfiles, deploy=True)
def manifest_check(app_configs, **kwargs):
    """Warn when debug is off and the collectstatic manifest is missing."""
    storage = storages["staticfiles"]
    if settings.DEBUG or not isinstance(storage, FallbackManifestStorage) or storage.exists(storage.manifest_name):
        return []
    return [
        checks.Warning(
            f"Chưa chạy collectstatic: không có {storage.manifest_name} trong {settings.STATIC_ROOT}.",
            hint="Chạy `manage.py collectstatic --noinput` sau mỗi lần cài đặt hoặc nâng cấp (docs/deployment.md §4).",
            id="quantriet.W001",
        )
    ]
