"""Django settings for Glas.

Everything deployment-specific is read from the environment (see README, "Configuration").
Development defaults need nothing installed: SQLite in ``var/``, e-mail to the console,
tasks in the database. Production is selected by ``DEBUG=0`` and then requires
``SECRET_KEY``, ``EGN_HASH_KEY``, ``ALLOWED_HOSTS`` and ``EMAIL_URL``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from glas.env import email_settings_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("GLAS_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
    # Keyed hash for ЕГН values; production must set its own and never change it.
    EGN_HASH_KEY = env_str("EGN_HASH_KEY", "dev-only-egn-hash-key")
else:
    SECRET_KEY = env_str("SECRET_KEY", required=True)
    EGN_HASH_KEY = env_str("EGN_HASH_KEY", required=True)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [], required=not DEBUG)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The municipality this installation serves (a code loaded by ``load_municipality``).
GLAS_MUNICIPALITY = env_str("GLAS_MUNICIPALITY", "kresna")
GLAS_DATA_DIR = BASE_DIR / "data"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "glas.core",
    "glas.accounts",
    "glas.api",
    "glas.surveys",
    "glas.council",
    "glas.commission",
    "glas.integrity",
    "glas.consultations",
    "glas.bureau",
    "glas.initiatives",
]

MIDDLEWARE = [
    "glas.integrity.middleware.ReporterPrivacyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "glas.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "glas.core.hotcache.HotReadsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "glas.core.middleware.HtmxSignInRedirectMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "glas.accounts.middleware.StaffMFAMiddleware",
]

# Form fields and widgets are drawn with Django's own Jinja2 templates (glas/core/renderers.py).
# Pages themselves stay in Django's template language.
FORM_RENDERER = "glas.core.renderers.FormRenderer"

ROOT_URLCONF = "glas.urls"
WSGI_APPLICATION = "glas.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        # Django's backend; its check accepts the i18n label mapped below (glas/core/template_engine.py).
        "BACKEND": "glas.core.template_engine.Templates",
        "NAME": "django",
        "DIRS": [BASE_DIR / "glas" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "glas.core.context_processors.site",
            ],
            # {% load i18n %}: Django's library with a faster {% translate "literal" %}.
            "libraries": {"i18n": "glas.core.templatetags.translations"},
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'glas.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the task worker writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The statements every page runs are parsed and planned once per connection: parameters are
    # bound by the server and psycopg prepares a statement after it has run this many times on
    # a connection (DATABASE_PREPARE_THRESHOLD; "off" for a pooler that cannot keep prepared
    # statements, such as PgBouncer before 1.21 in transaction mode). This halves PostgreSQL's
    # share of a bureau case page (bench/README.md).
    prepare_threshold = env_str("DATABASE_PREPARE_THRESHOLD", "2")
    if prepare_threshold.lower() != "off":
        threshold = env_int("DATABASE_PREPARE_THRESHOLD", 2)
        if threshold < 0:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured("DATABASE_PREPARE_THRESHOLD must be 0 or more, or off.")
        DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": threshold}
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DATABASE_URL must point to SQLite or PostgreSQL.")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, tasks -----------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "glas.core.cache.RedisCache",  # Django's, sharing one client per pool
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "glas",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    # Reads every page makes (municipality, roles, second factor) are cached (core/hotcache.py).
    CACHE_HOT_READS = True
else:
    # The database cache is shared by every process (web and worker), so rate limits hold
    # across gunicorn workers even without Redis.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "glas_cache",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    CACHE_HOT_READS = False

# Parts of the layout that are the same for every visitor (the navigation's public links, the
# footer), rendered once per process for each language and page (templates/base.html).
CACHES["layout"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "glas-layout",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}

TASK_BACKEND = env_str("TASK_BACKEND", "rq" if REDIS_URL and env_bool("TASKS_ON_REDIS", False) else "db")
if TASK_BACKEND == "rq":
    if not REDIS_URL:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("TASK_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASK_BACKEND == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("TASK_BACKEND must be db, rq or immediate.")

# --- Authentication -------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Django's and allauth's, reading the session's user through a compiled statement.
    "glas.accounts.backends.ModelBackend",
    "glas.accounts.backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"

ACCOUNT_ADAPTER = "glas.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_SIGNUP_FORM_CLASS = "glas.accounts.forms.SignupForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Glas] "
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    # Login throttling: per address and per account, on failed attempts.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# Surveys by public link: starts and submissions per client address (hashed) per 10 minutes.
SURVEYS_PUBLIC_RATE_LIMIT = env_int("SURVEYS_PUBLIC_RATE_LIMIT", 30)
# Requests to the citizens' bureau through the web form, per client address and hour.
BUREAU_ASK_RATE_LIMIT = env_int("BUREAU_ASK_RATE_LIMIT", 10)
# Fraud controls of online signing (initiatives): more signatures than this per hour from one
# client address, or from one e-mail domain (other than the large free providers), are held for
# review. Not law: a platform setting.
INITIATIVES_SIGN_LIMIT_PER_ADDRESS = env_int("INITIATIVES_SIGN_LIMIT_PER_ADDRESS", 20)
INITIATIVES_SIGN_LIMIT_PER_DOMAIN = env_int("INITIATIVES_SIGN_LIMIT_PER_DOMAIN", 200)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Glas"
# RFC 6238 §5.2: accept the code of the previous or next 30-second step too, so a code typed
# at the end of its step (slow typists, slow village connections) still works; allauth keeps
# refusing a code that was already used.
MFA_TOTP_TOLERANCE = 1

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "bg"
LANGUAGES = [("bg", _("Bulgarian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "glas" / "locale"]
TIME_ZONE = "Europe/Sofia"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "glas" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"

# --- E-mail ---------------------------------------------------------------------------
EMAIL_URL = env_str("EMAIL_URL", "console://" if DEBUG else None, required=not DEBUG)
globals().update(email_settings_from_url(EMAIL_URL))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Glas <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS: list[str] = []
if not DEBUG and not env_bool("SECURE_HSTS_PRELOAD", False):
    # Preloading HSTS is a per-domain decision for the operator, not a default.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# --- Logging --------------------------------------------------------------------------
# Request logs never carry personal data: Django's request logger records only the path
# and status, and the error e-mails to admins are off.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Secret links (a case's follow link, an invitation…) are cut out of every record.
    "filters": {"redact_secrets": {"()": "glas.core.logredact.RedactSecretsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_secrets"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- Glas -----------------------------------------------------------------------------
GLAS_SITE_URL = env_str("GLAS_SITE_URL", "http://127.0.0.1:8000" if DEBUG else None, required=not DEBUG)
# A worker that has not beaten for this long makes /readyz fail.
GLAS_WORKER_HEARTBEAT_MAX_AGE = env_int("GLAS_WORKER_HEARTBEAT_MAX_AGE", 300)
