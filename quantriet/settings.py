"""Settings for Quán Triệt: one file, configured by environment variables.

Every secret can also come from a file named by the variable with a ``_FILE`` suffix
(Docker/systemd secrets). SQLite (WAL) is the embedded default; ``DATABASE_URL`` selects
PostgreSQL.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    """Read NAME, or the contents of the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name, default=False):
    return str(env(name, "1" if default else "0")).lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG")
# The development key only works with DEBUG on; production must set SECRET_KEY.
SECRET_KEY = env("SECRET_KEY") or ("dev-only-insecure-key" if DEBUG else None)
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY (hoặc SECRET_KEY_FILE) phải được đặt khi DJANGO_DEBUG tắt.")


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "quantriet.core.vendor_apps.AxesConfig",  # django-axes, named in Vietnamese
    "django_otp",  # two-factor sign-in (quantriet/accounts): its TOTP and recovery-code devices
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",  # the Content-Security-Policy header
    "ninja",  # serves its own Swagger UI assets (no CDN)
    "quantriet.core",  # before django_tasks_db: its db_worker command replaces theirs
    "django_tasks",
    "quantriet.core.vendor_apps.TasksDatabaseConfig",  # django_tasks_db, named in Vietnamese
    "quantriet.org",
    "quantriet.accounts",
    "quantriet.documents",
    "quantriet.originality",
    "quantriet.study",
    "quantriet.essays",
    "quantriet.quizzes",
    "quantriet.plans",
    "quantriet.evaluation",
    "quantriet.analytics",
    "quantriet.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The security headers Django does not send (CSP, Permissions-Policy); static files above go without.
    "quantriet.core.headers.ConstantCSPMiddleware",  # django-csp's, the policy built once
    "quantriet.core.headers.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Login by default: an anonymous visitor is sent to LOGIN_URL from every view not marked
    # @login_not_required (the public ones are listed in core/tests/test_login_default.py).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A session idle for SESSION_IDLE_MINUTES, or signed in longer than SESSION_COOKIE_AGE, is ended;
    # then a signed-in user who must give a second factor can reach only its pages (accounts/middleware.py).
    "quantriet.accounts.middleware.SessionLimitsMiddleware",
    "quantriet.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # Vietnamese 403/404/500 pages also under DEBUG; JSON for /api/ (see core/errors.py).
    "quantriet.core.errors.ErrorPagesMiddleware",
]

ROOT_URLCONF = "quantriet.urls"
WSGI_APPLICATION = "quantriet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "quantriet" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "quantriet.org.context_processors.navigation",
                "quantriet.analytics.context_processors.navigation",
            ],
        },
    },
]

SQLITE_PATH = Path(env("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")))
DATABASES = {
    "default": dj_database_url.parse(env("DATABASE_URL"), conn_max_age=60)
    if env("DATABASE_URL")
    else {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": SQLITE_PATH,
        "OPTIONS": {
            # WAL lets readers run while the importer writes; IMMEDIATE avoids
            # "database is locked" upgrades from read to write locks.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: after 5 failures for a username from one address, 15 minutes' lock.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "quantriet.core.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy every request comes from the proxy's address; count the client's
# address from X-Forwarded-For instead (the proxy must set it), or one user could lock out all.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "quantriet.core.lockout.client_ip"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["quantriet.formats"]
# Vietnamese for third-party apps that ship none (django-axes, django-tasks' database backend).
LOCALE_PATHS = [BASE_DIR / "quantriet" / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "quantriet" / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
#: Where `manage.py backup` writes its archives (docs/deployment.md, section 9).
BACKUP_DIR = Path(env("BACKUP_DIR", str(BASE_DIR / "backups")))
#: Flash messages take Bootstrap's alert colours: an error is "alert-danger" (Bootstrap has no "alert-error").
MESSAGE_TAGS = {40: "danger"}  # django.contrib.messages.constants.ERROR

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "quantriet.core.staticfiles.FallbackManifestStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Serve files straight from the app directories too; where `collectstatic` has not been run the
# storage falls back to unhashed names instead of failing every page, and `check --deploy` warns
# (quantriet/core/staticfiles.py; production runs collectstatic, see docs/deployment.md).
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False

TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# The worker (manage.py db_worker) pauses this long after a transient database error, doubling
# up to the maximum; a job queued longer than JOB_QUEUE_WARNING_MINUTES shows a warning on its
# page and in the admin (the worker may be stopped).
WORKER_BACKOFF_START = float(env("WORKER_BACKOFF_START", "1"))
WORKER_BACKOFF_MAX = float(env("WORKER_BACKOFF_MAX", "60"))
JOB_QUEUE_WARNING_MINUTES = int(env("JOB_QUEUE_WARNING_MINUTES", "5"))
# A roster row naming a member of another unit becomes a transfer request to the level above;
# one user may open at most this many a day (beyond it the import is refused).
TRANSFER_REQUESTS_PER_DAY = int(env("TRANSFER_REQUESTS_PER_DAY", "20"))

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Quán Triệt <quantriet@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Quản trị", a) for a in env_list("ADMIN_EMAILS")]

# Uploads: rosters may be large but never huge; anything bigger is refused.
ROSTER_MAX_BYTES = int(env("ROSTER_MAX_BYTES", str(20 * 1024 * 1024)))
# Rows a sheet import (roster, attendance sheet, question bank) reads at most; a file with more is refused.
SHEET_MAX_ROWS = int(env("SHEET_MAX_ROWS", "300000"))
# Document attachments and essays (.docx/.pdf).
UPLOAD_MAX_BYTES = int(env("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Party card numbers: 8 digits on cards of the 2003 exchange; the 2025 chip cards' format is
# unconfirmed (docs/reference/member-records.md), so the rule is configurable.
CARD_NUMBER_PATTERN = env("CARD_NUMBER_PATTERN", r"^\d{8}$")
#: Place name on official reports ("Vĩnh Long, ngày …"); empty: taken from the root organisation.
REPORT_PLACE = env("REPORT_PLACE", "")
# Số lý lịch: 6 digits followed by 1-3 letters naming the provincial committee.
RECORD_NUMBER_PATTERN = env("RECORD_NUMBER_PATTERN", r"^\d{6}[A-Z]{1,3}$")
# Party admission requires 18 full years of age (Điều lệ Đảng, Article 1).
MIN_JOIN_AGE = int(env("MIN_JOIN_AGE", "18"))

API_TOKEN_DAYS = int(env("API_TOKEN_DAYS", "30"))
DEMO_PASSWORD = env("DEMO_PASSWORD", "quantriet-demo")

# A session ends 8 hours after sign-in whatever happens, and earlier when unused for
# SESSION_IDLE_MINUTES (0: never idle); both enforced by accounts.middleware.SessionLimitsMiddleware.
SESSION_COOKIE_AGE = 8 * 3600
SESSION_IDLE_MINUTES = int(env("SESSION_IDLE_MINUTES", "30"))

# Two-factor sign-in (TOTP app + recovery codes) is required of: "admins" (staff and superusers, who
# enter /quan-tri/), "province" (anyone holding a role on a province, the top of the tree). Off
# under DEBUG (make run, the demo) unless set; anyone may enrol of their own accord.
OTP_REQUIRED_FOR = env_list("OTP_REQUIRED_FOR", "" if DEBUG else "admins,province")
OTP_TOTP_ISSUER = "Quán Triệt"

# Content-Security-Policy (django-csp): no inline script, style or handler anywhere; every script
# and stylesheet is a static file (templates pass data by data-* attributes or json_script).
CONTENT_SECURITY_POLICY_REPORT_ONLY = None
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Bootstrap's icons (form-select arrow, menu button) are data: SVGs
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Powerful browser features no page uses are switched off; the check-in screen goes full screen.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), fullscreen=(self)"
)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from hx-headers on <body>, not from the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        # An ordinary 403/404 is one line in the console, not a traceback; a 500 keeps its traceback.
        "short_client_errors": {"()": "quantriet.core.errors.ShortClientErrors"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["short_client_errors"]},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "django.utils.log.AdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    # Replaces Django's default "django" logger, whose own console handler printed every line a
    # second time under DEBUG, tracebacks included; its server errors still mail the ADMINS.
    "loggers": {"django": {"handlers": ["mail_admins"], "level": "INFO"}},
}
