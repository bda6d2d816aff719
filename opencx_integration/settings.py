"""Settings, read once from the environment (see README "Configuration")."""

from __future__ import annotations

import sys
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# Development is the zero-configuration default; production is DEBUG=false plus real secrets.
DEBUG = env.bool("DEBUG", default=True)

# Loud, fixed development keys. They only ever apply while DEBUG is on.
_DEV_SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production"  # noqa: S105
_DEV_FIELD_KEY = "Rg0dX8QjgAZyFDgmsaK7R0csL9ukzobtLmyuYFqWtBA="

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY)
    FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[_DEV_FIELD_KEY])
    if SECRET_KEY == _DEV_SECRET_KEY or _DEV_FIELD_KEY in FIELD_ENCRYPTION_KEYS:
        print(
            "WARNING: development mode (DEBUG on) with the built-in development keys. "
            "Never use this for real credentials: set DEBUG=false, SECRET_KEY and "
            "FIELD_ENCRYPTION_KEYS in production.",
            file=sys.stderr,
        )
else:
    _missing = [name for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS") if not env.str(name, "")]
    if _missing:
        raise ImproperlyConfigured(
            f"Production mode (DEBUG=false) needs {', '.join(_missing)}. "
            "Generate FIELD_ENCRYPTION_KEYS with: python -c "
            "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        )
    SECRET_KEY = env.str("SECRET_KEY")
    FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# The sandbox and loopback Dynamics URLs exist for development and tests only: in production a
# tenant must never be able to point the service at an internal address.
DATAVERSE_SANDBOX = env.bool("DATAVERSE_SANDBOX", default=DEBUG)
ALLOW_LOOPBACK_DYNAMICS_URLS = env.bool("ALLOW_LOOPBACK_DYNAMICS_URLS", default=DEBUG)
if not DEBUG and (DATAVERSE_SANDBOX or ALLOW_LOOPBACK_DYNAMICS_URLS):
    raise ImproperlyConfigured(
        "DATAVERSE_SANDBOX and ALLOW_LOOPBACK_DYNAMICS_URLS are for development only: "
        "unset them when DEBUG=false."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # runserver hands static files to WhiteNoise too, as gunicorn does in production.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    # Before django_q: its `qcluster` command is handoffs' own (which loads the task modules
    # before django-q2 forks its workers).
    "handoffs",
    "django_q",
    "settings_ui",
]
if DATAVERSE_SANDBOX:
    INSTALLED_APPS.append("dataverse_sandbox")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "opencx_integration.urls"
WSGI_APPLICATION = "opencx_integration.wsgi.application"

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
                "settings_ui.context_processors.tenancy",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process and the worker share one file: wait for locks instead of failing,
    # and take the write lock up front so concurrent transactions queue rather than deadlock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "settings_ui:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "var" / "static"))
# Production serves `collectstatic`'s output through WhiteNoise, under content-hashed names that
# browsers may cache for ever; development serves the apps' files as they are edited.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Fixed here rather than read from DEBUG at run time, which test runners switch off.
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS = DEBUG

# Pages load scripts, styles and images from this site only, and nothing inline: an injected
# <script> or style attribute does not run. The same policy applies in development, so a page
# that breaks it breaks there first.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Webhook bodies may be up to 1 MiB; leave room so the view, not Django, answers 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# django-q2. With REDIS_URL its Redis broker pushes tasks to the workers (no polling: the
# choice for many workers or machines); otherwise the database is the broker, polled every
# Q_POLL seconds. A task's timeout stays below `retry` so a slow task is never handed to a second
# worker while the first still runs; our own retries (with Retry-After) and leases live in
# handoffs.lifecycle, so the queue itself re-runs a crashed task a bounded number of times only.
# Successful tasks are not kept: every handoff has its own audit rows.
REDIS_URL = env.str("REDIS_URL", default="")
Q_CLUSTER = {
    "name": "opencx",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": 120,
    "retry": 180,
    "max_attempts": 3,
    "ack_failures": True,
    "catch_up": False,
    "save_limit": -1,
    "poll": env.float("Q_POLL", default=0.05),
    "label": "Task queue",
    **({"redis": REDIS_URL} if REDIS_URL else {"orm": "default"}),
}

# Outbound HTTP (Dataverse, Entra ID, callbacks): seconds to connect and to read.
OUTBOUND_CONNECT_TIMEOUT = env.float("OUTBOUND_CONNECT_TIMEOUT", default=5.0)
OUTBOUND_READ_TIMEOUT = env.float("OUTBOUND_READ_TIMEOUT", default=30.0)
HANDOFF_MAX_ATTEMPTS = env.int("HANDOFF_MAX_ATTEMPTS", default=6)
# Transient failures in a row after which a tenant's Dynamics counts as down (its handoffs wait
# for a probe a minute instead of each retrying on its own).
OUTAGE_THRESHOLD = env.int("OUTAGE_THRESHOLD", default=5)
# A returning customer's remembered contact is trusted this long, then looked up again.
CONTACT_LINK_MAX_AGE = env.int("CONTACT_LINK_MAX_AGE", default=86400)
# Callbacks and events to OpenCX are retried until delivered, waiting at most CALLBACK_MAX_DELAY
# seconds between attempts, and given up (audited) only once older than CALLBACK_MAX_AGE_HOURS.
CALLBACK_MAX_DELAY = env.float("CALLBACK_MAX_DELAY", default=300.0)
CALLBACK_MAX_AGE_HOURS = env.float("CALLBACK_MAX_AGE_HOURS", default=72.0)
# A live chat's customer messages are retried until the Messaging API takes them, and given up
# (audited, shown on the session page) only once older than this.
LIVE_CHAT_MESSAGE_MAX_AGE_HOURS = env.float("LIVE_CHAT_MESSAGE_MAX_AGE_HOURS", default=24.0)
# Handoffs of one tenant in flight at once, across all workers (Dataverse allows 52 concurrent
# requests per application user; each handoff makes its requests one after another).
TENANT_MAX_CONCURRENT_HANDOFFS = env.int("TENANT_MAX_CONCURRENT_HANDOFFS", default=8)
# How often each tenant's cases are checked for changes to report to OpenCX: 30 or 60 seconds
# (the task worker's scheduler looks for due work every 30 seconds).
CASE_UPDATES_POLL_SECONDS = env.int("CASE_UPDATES_POLL_SECONDS", default=30)
if CASE_UPDATES_POLL_SECONDS not in (30, 60):
    raise ImproperlyConfigured(
        f"CASE_UPDATES_POLL_SECONDS={CASE_UPDATES_POLL_SECONDS}: set it to 30 or 60 (seconds)."
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        # Query strings of outbound requests may carry a receiver's token or a customer's email.
        "redact_queries": {"()": "handoffs.outbound.log_redaction.RedactQueryStrings"},
        # Ids and messages from outside must not forge log lines or drive the terminal.
        "escape_controls": {"()": "opencx_integration.log_filters.EscapeControlCharacters"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_queries", "escape_controls"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django-q": {"level": env.str("Q_LOG_LEVEL", default="WARNING")}},
}

# Production hardening: `manage.py check --deploy` passes with no warning when DEBUG=false.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[PUBLIC_BASE_URL])
