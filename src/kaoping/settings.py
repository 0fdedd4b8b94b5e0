"""Django settings. Everything that differs between machines comes from the environment."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
KAOPING_HOME = Path(os.environ.get("KAOPING_HOME", "data")).resolve()

DEBUG = os.environ.get("KAOPING_DEBUG", "0") == "1"
PRODUCTION = os.environ.get("KAOPING_PRODUCTION", "0") == "1"

_secret = os.environ.get("KAOPING_SECRET_KEY")
if PRODUCTION and not _secret:
    raise RuntimeError("KAOPING_SECRET_KEY must be set when KAOPING_PRODUCTION=1")
# The fallback key is only for local and demo use; production refuses to start without its own.
SECRET_KEY = _secret or "kaoping-insecure-local-key-not-for-production"

ALLOWED_HOSTS = [
    h for h in os.environ.get("KAOPING_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h
]
CITY_NAME = os.environ.get("KAOPING_CITY", "益阳市")
ISSUING_AUTHORITY = os.environ.get("KAOPING_AUTHORITY", "益阳市国土资源局")
NOTICE_PREFIX = os.environ.get("KAOPING_NOTICE_PREFIX", "益国土资通")  # 发文字号 of the city-wide notice

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Listed so /api/docs serves Swagger UI from ninja's own static files, not from a CDN.
    "ninja",
    "kaoping.org",
    "kaoping.rubrics",
    "kaoping.campaigns",
    "kaoping.ledgers",
    "kaoping.assessments",
    "kaoping.audit",
    "kaoping.inbox",
    "kaoping.web",
    "kaoping.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Under /api/ every answer is JSON, whichever layer below refused the request (api/middleware.py).
    "kaoping.api.middleware.ApiJsonErrorsMiddleware",
    "kaoping.web.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kaoping.web.middleware.KaopingErrorMiddleware",
]

ROOT_URLCONF = "kaoping.urls"
WSGI_APPLICATION = "kaoping.wsgi.application"

# Rendered tables kept by their content (web/fragments.py), in each server process's memory.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kaoping-fragments",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 1000},
    }
}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kaoping.web.context.layout",
            ],
        },
    }
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        return dj_database_url.parse(url, conn_max_age=60)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(KAOPING_HOME / "kaoping.sqlite3"),
        # Each server thread keeps its connection (a new one per request re-reads the schema: ~2 ms).
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
        # WAL lets pages read while an import writes; IMMEDIATE avoids lock-upgrade deadlocks between writers.
        # How long a write waits for another's lock before it is answered 503 请稍后重试 (errors.Busy).
        "OPTIONS": {
            "timeout": float(os.environ.get("KAOPING_SQLITE_TIMEOUT", "20")),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = ["kaoping.org.backends.ProfileBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("KAOPING_STATIC_ROOT")  # only for `collectstatic` behind another web server
# Static files are served by the application itself from the packages (no collectstatic step, no CDN).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = KAOPING_HOME / "media"
MEDIA_URL = "media/"
EVIDENCE_MAX_BYTES = int(os.environ.get("KAOPING_EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (org/throttle.py): failures per user name and address, and per address, in the window.
LOGIN_THROTTLE_FAILURES = int(os.environ.get("KAOPING_LOGIN_FAILURES", "5"))
LOGIN_THROTTLE_ADDRESS_FAILURES = int(os.environ.get("KAOPING_LOGIN_ADDRESS_FAILURES", "30"))
LOGIN_THROTTLE_WINDOW_SECONDS = int(os.environ.get("KAOPING_LOGIN_WINDOW_SECONDS", str(15 * 60)))
# The one limit of an import file, on the 台帐与报送 page and through the API (importing.upload_too_large).
LEDGER_MAX_BYTES = int(os.environ.get("KAOPING_LEDGER_MAX_BYTES", str(50 * 1024 * 1024)))

# E-mail of `kaoping remind` (README "提醒"): sent only where an SMTP server is named; otherwise the
# reminders go to the inbox alone. An intranet mail server often needs neither a login nor TLS.
EMAIL_HOST = os.environ.get("KAOPING_EMAIL_HOST", "")
REMINDER_EMAIL = bool(EMAIL_HOST)
if REMINDER_EMAIL:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_PORT = int(os.environ.get("KAOPING_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("KAOPING_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KAOPING_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("KAOPING_EMAIL_TLS", "0") == "1"  # STARTTLS, usually port 587
EMAIL_USE_SSL = os.environ.get("KAOPING_EMAIL_SSL", "0") == "1"  # SMTPS, usually port 465
EMAIL_TIMEOUT = int(os.environ.get("KAOPING_EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("KAOPING_EMAIL_FROM", "kaoping@localhost")
# The address of the application as the e-mails' readers reach it, for the links in the e-mails.
SITE_URL = os.environ.get("KAOPING_SITE_URL", "")

# A working day; signing out when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("KAOPING_SESSION_SECONDS", str(10 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("KAOPING_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
if os.environ.get("KAOPING_BEHIND_PROXY", "0") == "1":
    # Only behind a reverse proxy that sets this header itself (and strips it from clients).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("KAOPING_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# No inline script (htmx's indicator styles and ECharts' inline styles need style-src 'unsafe-inline').
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)

# A request that fails (500) is written with its traceback to the server's standard error (the
# operator's log under `kaoping serve`); Django's default sends it only by mail, which no intranet has.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False}},
}
