"""Django settings for hoso, read from HOSO_* environment variables (see README)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from hoso.config.env import (
    ConfigError,
    env_bool,
    env_int,
    env_list,
    env_str,
    env_time,
    parse_database_url,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("HOSO_DATA_DIR", "var")).resolve()
DEBUG = env_bool("HOSO_DEBUG", False)


def _secret_key() -> str:
    key = env_str("HOSO_SECRET_KEY", "")
    if key:
        if len(key) < 50:
            raise ConfigError("HOSO_SECRET_KEY must be at least 50 characters long")
        return key
    if not DEBUG:
        raise ConfigError(
            "HOSO_SECRET_KEY is required when HOSO_DEBUG is off; "
            "generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(64))'"
        )
    # Development only: a random key kept under the data directory, never in the repository.
    key_file = DATA_DIR / "dev-secret-key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("HOSO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("HOSO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "treebeard",
    "django_tasks",  # the tasks API (Django 6's django.tasks, backported)
    "django_tasks_db",  # its database backend: the queue is a table, no broker
    "hoso.access",
    "hoso.accounts",
    "hoso.audit",
    "hoso.jobs",
    "hoso.orgs",
    "hoso.people",
    "hoso.workcal",
    "hoso.documents",
    "hoso.notices",
    "hoso.vetting",
    "hoso.petitions",
    "hoso.travel",
    "hoso.cadres",
    "hoso.reports",
    "hoso.trail",
    "hoso.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hoso.access.middleware.IdleExpiryMiddleware",
    "hoso.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hoso.access.middleware.ActingContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "hoso.access.middleware.PasswordChangeRequiredMiddleware",
    "hoso.web.middleware.BadParameterMiddleware",
    "hoso.lib.replica.Middleware",
]

ROOT_URLCONF = "hoso.config.urls"
WSGI_APPLICATION = "hoso.config.wsgi.application"
AUTH_USER_MODEL = "access.User"
AUTHENTICATION_BACKENDS = ["hoso.access.backends.Backend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hoso.web.context.scope",
            ],
        },
    },
]


def _databases() -> dict[str, Any]:
    url = env_str("HOSO_DATABASE_URL", "")
    replica = env_str("HOSO_REPLICA_URL", "")
    if replica and not url:
        raise ConfigError("HOSO_REPLICA_URL needs HOSO_DATABASE_URL: a replica is PostgreSQL's")
    if url:
        databases = {"default": parse_database_url(url)}
        if replica:
            # A streaming standby of the primary: the test run uses the primary's test database,
            # which the standby replays (tests/replica repoint the connection at the standby).
            databases["replica"] = {
                **parse_database_url(replica, "HOSO_REPLICA_URL"),
                "TEST": {"MIRROR": "default"},
            }
        return databases
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "hoso.sqlite3",
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue on the
                # busy timeout instead of failing when a read transaction upgrades to write.
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
        }
    }


DATABASES = _databases()
DATABASE_ROUTERS = ["hoso.lib.replica.Router"]
# Seconds a streaming replica may lag before the reads it serves go back to the primary.
REPLICA_MAX_LAG = env_int("HOSO_REPLICA_MAX_LAG", 5, minimum=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("HOSO_PASSWORD_MIN_LENGTH", 12, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "hoso.access.passwords.CharacterClassValidator"},
]

# Login security (see hoso.access.lockout).
# The day of the month a report's period closes on (0: the month's last day; 14: periods
# run from the 15th of the month before, as many reporting regimes count). lib/periods.py.
HOSO_REPORT_CUTOFF_DAY = env_int("HOSO_REPORT_CUTOFF_DAY", 0, maximum=28)
LOCKOUT_ACCOUNT_ATTEMPTS = env_int("HOSO_LOCKOUT_ATTEMPTS", 5, minimum=1)
LOCKOUT_ADDRESS_ATTEMPTS = env_int("HOSO_LOCKOUT_ADDRESS_ATTEMPTS", 20, minimum=1)
LOCKOUT_MINUTES = env_int("HOSO_LOCKOUT_MINUTES", 15, minimum=1)
# Emergency access to a dossier outside one's grants lasts at most this long.
BREAK_GLASS_MAX_HOURS = env_int("HOSO_BREAK_GLASS_MAX_HOURS", 4, minimum=1, maximum=24)
BREAK_GLASS_MAX_OPEN = env_int("HOSO_BREAK_GLASS_MAX_OPEN", 3, minimum=1, maximum=20)
SESSION_IDLE_MINUTES = env_int("HOSO_SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# The age counts from the last save, which access.middleware.IdleExpiryMiddleware makes at
# most once a minute: an idle timeout without a database write on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_HTTPONLY = True
TOTP_ISSUER = env_str("HOSO_TOTP_ISSUER", "hoso")

# Background jobs (hoso.jobs): queued in the database, run by `hoso worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
JOBS_KEEP_DAYS = env_int("HOSO_JOBS_KEEP_DAYS", 7, minimum=1)  # a finished job and its file
JOBS_STALE_MINUTES = env_int("HOSO_JOBS_STALE_MINUTES", 120, minimum=5)  # running, silent: lost
# A member list longer than this is exported as a background job (the page offers it).
EXPORT_BACKGROUND_ROWS = env_int("HOSO_EXPORT_BACKGROUND_ROWS", 5_000, minimum=1)
REPORT_BACKGROUND_MEMBERS = env_int("HOSO_REPORT_BACKGROUND_MEMBERS", 50_000, minimum=0)

# Insider flags (hoso.trail.flags): facts for the auditor, never a score. Each rule's threshold;
# the scan reads only the audit events written since the last one. docs/security.md.
FLAG_BULK_VIEWS = env_int("HOSO_FLAG_BULK_VIEWS", 50, minimum=2)  # records opened ...
FLAG_BULK_MINUTES = env_int("HOSO_FLAG_BULK_MINUTES", 10, minimum=1, maximum=1440)  # ... within
FLAG_WORK_START = env_time("HOSO_FLAG_WORK_START", "07:00")  # working hours, local time,
FLAG_WORK_END = env_time("HOSO_FLAG_WORK_END", "18:00")  # on the calendar's working days
FLAG_AFTER_HOURS_READS = env_int("HOSO_FLAG_AFTER_HOURS_READS", 1, minimum=1)  # in one day
FLAG_FAILED_SEARCHES = env_int("HOSO_FLAG_FAILED_SEARCHES", 20, minimum=2)  # found nothing ...
FLAG_FAILED_MINUTES = env_int("HOSO_FLAG_FAILED_MINUTES", 10, minimum=1, maximum=1440)
FLAG_EXPORT_ROWS = env_int("HOSO_FLAG_EXPORT_ROWS", 1000, minimum=1)  # rows in one export
FLAG_RETENTION_DAYS = env_int("HOSO_FLAG_RETENTION_DAYS", 730, minimum=1)  # then purged
if FLAG_WORK_END <= FLAG_WORK_START:
    raise ConfigError("HOSO_FLAG_WORK_END must be later than HOSO_FLAG_WORK_START")

# Member import from Excel (hoso.lib.xlsxread): a file over a limit is refused before it is
# unpacked. The defaults keep the import of the largest file accepted under ~300 MB of memory.
IMPORT_MAX_ROWS = env_int("HOSO_IMPORT_MAX_ROWS", 200_000, minimum=1)
IMPORT_MAX_UNCOMPRESSED_MB = env_int("HOSO_IMPORT_MAX_UNCOMPRESSED_MB", 200, minimum=1)
IMPORT_MAX_RATIO = env_int("HOSO_IMPORT_MAX_RATIO", 100, minimum=10)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("HOSO_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = Path(env_str("HOSO_FILES_DIR", str(DATA_DIR / "files"))).resolve()
# The keys of the audit chain (audit/keys.py): outside the database, readable by the app's
# process user only.
HOSO_AUDIT_KEY_DIR = Path(env_str("HOSO_AUDIT_KEY_DIR", str(DATA_DIR / "audit-keys"))).resolve()
# The keys that encrypt the most sensitive values at rest (lib/vault.py): outside the database
# and its backups, readable by the app's process user only.
HOSO_FIELD_KEY_DIR = Path(env_str("HOSO_FIELD_KEY_DIR", str(DATA_DIR / "field-keys"))).resolve()
# The chain's signed heads, one JSON line a day (audit/anchors.py): copy it off the server.
HOSO_AUDIT_ANCHOR_FILE = Path(
    env_str("HOSO_AUDIT_ANCHOR_FILE", str(DATA_DIR / "audit-anchors.jsonl"))
).resolve()
# The security officer's age public keys (age1…, comma-separated): `hoso backup` encrypts to them.
HOSO_BACKUP_RECIPIENTS = env_list("HOSO_BACKUP_RECIPIENTS", [])
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security headers. Everything the browser loads comes from this server: no CDN, no inline
# script, so the policy can stay strict.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
HTTPS = env_bool("HOSO_HTTPS", not DEBUG)
if HTTPS:
    # Behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto (docs/operations.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("HOSO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("HOSO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "hoso.accounts.api.TokenAuthentication",
        "hoso.access.api.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "hoso.accounts.api.TokenScopeAllows",
    ],
    "DEFAULT_SCHEMA_CLASS": "hoso.lib.api.Schema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "hoso.lib.api.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "hoso API",
    "DESCRIPTION": "Records and casework for internal political protection (BVCTNB).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Request bodies get their own components, so that fields the client must send are marked
    # required there and fields the server always sends are required in the responses.
    "COMPONENT_SPLIT_REQUEST": True,
    # Ids in paths are `<id:pk>` (hoso.lib.query.IdConverter): positive 64-bit integers.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
    },
    # Several apps have a `kind` choice field: each choice set gets a name of its own.
    "ENUM_NAME_OVERRIDES": {
        "ListKindEnum": "hoso.cadres.models.ListKind",
        "HelpKindEnum": "hoso.vetting.models.HelpKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("HOSO_LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every step at INFO.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}
