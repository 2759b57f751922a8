"""Settings, all read from the environment (see `.env.example` and docs/deployment.md).

There is one settings module. `DJANGO_DEBUG=true` is the development switch used by
`make run`; without it the process runs with production settings and refuses to start
unless `SECRET_KEY` and `ALLOWED_HOSTS` are set, because a guessable key would let anyone
forge a session into records about children.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from safeguarding.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)
# Set only by safeguarding/settings_test.py, which the test suite uses.
TESTING = env_bool("DJANGO_TESTING", default=False)

if DEBUG or TESTING:
    SECRET_KEY = env_str("SECRET_KEY", default="django-insecure-development-only-key")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
    # Where the site is served: every link in an email starts with it.
    SITE_URL = env_str(
        "SITE_URL", default="http://testserver" if TESTING else "http://127.0.0.1:8000"
    )
    DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="safeguarding@localhost")
else:
    SECRET_KEY = env_str("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set the environment variable ALLOWED_HOSTS.")
    SITE_URL = env_str("SITE_URL")
    DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL")

INSTALLED_APPS = [
    "safeguarding.admin_site.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "guardian",
    "simple_history",
    "safeguarding",
    "incidents",
    "referrals",
    "pupils",
    "transfers",
    "demo",
    # After safeguarding, whose `db_worker` command adds a heartbeat to theirs.
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "safeguarding.two_factor.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it answers a locked-out sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "safeguarding.urls"
WSGI_APPLICATION = "safeguarding.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Widgets render from the project's templates, so GOV.UK's classes are written there
# (templates/web/widgets/) rather than in every form (safeguarding.web.widgets).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "safeguarding.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses sign-in to an account locked after repeated failures.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Account lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one email
# address the account is locked for AXES_COOLOFF_MINUTES, whoever tries and from where.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username"]
# Not by IP address: a school's staff share one public address, so locking an address
# after a few mistakes would lock the whole staff room out (docs/security.md).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_FORM_FIELD = "username"
# Emails are case-insensitive: DSL@… and dsl@… must share one failure count.
AXES_USERNAME_CALLABLE = "safeguarding.two_factor.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Two-factor authentication (django-otp): the roles that must use it, how recent a
# password check must be to sign or export, and the issuer shown in authenticator apps.
TWO_FACTOR_ROLES = ["dsl", "deputy_dsl", "headteacher", "acting_headteacher", "trust_lead"]
RECENT_AUTHENTICATION_MINUTES = env_int("RECENT_AUTHENTICATION_MINUTES", 10)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", default="Safeguarding records")

# guardian: no anonymous user row; object permissions are only ever granted to staff.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Development and tests serve static files straight from their sources (finders);
# production serves what `collectstatic` gathered into STATIC_ROOT.
STATIC_ROOT = (
    None
    if DEBUG or TESTING
    else Path(env_str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
)
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security: the production defaults are the safe ones; DEBUG relaxes only what
# plain-HTTP development on 127.0.0.1 needs.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = not DEBUG and not TESTING
CSRF_COOKIE_SECURE = not DEBUG and not TESTING
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_HSTS_SECONDS = 0 if DEBUG or TESTING else env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Content-Security-Policy: everything from this origin only, no inline script or style,
# no framing. Templates must not use inline <script>, <style> or style="" attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Uploaded documents live outside the web root and are served only through an
# access-checked view; images and video are refused by content (docs/security.md).
PRIVATE_FILES_ROOT = Path(env_str("PRIVATE_FILES_ROOT", default=str(BASE_DIR / "private-files")))
# A pack's records are laid out by this many worker processes, one a core by default;
# 1 lays them out in the web process itself (the tests, but one; docs/exports.md).
PDF_WORKERS = env_int("PDF_WORKERS", 1 if TESTING else (os.cpu_count() or 1))
if PDF_WORKERS < 1:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"PDF_WORKERS must be 1 or more, not {PDF_WORKERS}.")
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_MEGABYTES", 10) * 1024 * 1024
# The largest MIS export a pupil import accepts (docs/pupil-import.md).
PUPIL_IMPORT_MAX_BYTES = env_int("PUPIL_IMPORT_MAX_MEGABYTES", 10) * 1024 * 1024
# The largest transfer package a DSL may import (docs/transfers.md).
TRANSFER_PACKAGE_MAX_BYTES = env_int("TRANSFER_PACKAGE_MAX_MEGABYTES", 50) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Background work (caseload packs, emails) runs on Django's tasks API: django-tasks, the
# backport of Django 6's framework, with django-tasks-db's backend, which keeps the queue
# in the application's own database, so SQLite needs no other server and PostgreSQL
# serves any number of `manage.py db_worker` processes. The tests run each task at once,
# in the process that queued it. Another backend (RQ, Celery) is a setting, not a code
# change (docs/deployment.md#background-work).
TASKS = {
    "default": {
        "BACKEND": env_str(
            "TASK_BACKEND",
            default=(
                "django_tasks.backends.immediate.ImmediateBackend"
                if TESTING
                else "django_tasks_db.DatabaseBackend"
            ),
        )
    }
}
# A worker that has not been heard from for this long is taken to have died: the tasks it
# was running are run again by another (safeguarding.background).
TASK_WORKER_LOST_SECONDS = env_int("TASK_WORKER_LOST_SECONDS", 60)

# Email: Django's framework over SMTP, configured here; `make run` prints messages to the
# terminal instead. A provider's HTTP API can be used through django-anymail by setting
# EMAIL_BACKEND (docs/deployment.md#email). What a message may say: docs/notifications.md.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend"
    ),
)
EMAIL_HOST = env_str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", default="")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT_SECONDS", 30)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
    # WeasyPrint reports every layout step at INFO: only its warnings are worth a line.
    "loggers": {"weasyprint": {"level": "WARNING"}},
}

# Health checks: /health/ (safeguarding.health, docs/deployment.md#health-checks) answers
# 503 when a task has waited longer than this to run: no worker, or too few.
TASK_QUEUE_STALE_SECONDS = env_int("TASK_QUEUE_STALE_SECONDS", 600)
# A load balancer probes the process over plain HTTP; the page holds nothing private, so
# it is not redirected to HTTPS (paths as SecurityMiddleware matches them, without the /).
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# Error reporting to Sentry, only when SENTRY_DSN is set and never from the tests; what a
# report may carry is in safeguarding/error_reporting.py (docs/deployment.md#error-reporting).
SENTRY_DSN = env_str("SENTRY_DSN", default="")
if SENTRY_DSN and not TESTING:
    from safeguarding.error_reporting import init_error_reporting

    init_error_reporting(
        dsn=SENTRY_DSN, environment=env_str("SENTRY_ENVIRONMENT", default="production")
    )
