"""Settings, read from environment variables. Safe by default: production unless asked.

Without `LR_ENV=development` the service runs under production settings (no debug, secure
cookies, HSTS, the demo password refused) and refuses to start without a secret key, allowed
hosts and a PostgreSQL database, naming every missing or malformed value at once. `make run`,
`make demo`, the tests and `make bench` ask for development. Every variable is in
docs/configuration.md.
"""

import os
import re
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from learning_reviews.environment import TRUE_VALUES, Environment

BASE_DIR = Path(__file__).resolve().parent.parent

# Every variable is read through `env`, which notes each malformed value; the last lines of this
# module name them all at once and stop (docs/configuration.md lists every variable).
env = Environment(os.environ)
_env_bool = env.boolean


def _database_from_url(url: str) -> dict[str, object]:
    """Turn `postgres://user:pass@host:port/name` or `sqlite:///path` into a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": parsed.path[1:] or ":memory:",
            # `make run` serves pages and runs the task worker against the same file: each
            # transaction takes the write lock when it starts and waits for the other's turn,
            # rather than failing with "database is locked" halfway through.
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    if parsed.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": parsed.path.lstrip("/"),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
        }
    raise ValueError(f"Unsupported DATABASE_URL scheme: {parsed.scheme!r}")


# A host name, an IPv4 address or a leading-dot domain, optionally with a port; or an IPv6
# address in brackets. Never "*": the service answers only to the names the council gives it.
_HOST = re.compile(
    r"^(\.?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(:\d+)?$"
)


def production_problems(environ: Mapping[str, str]) -> list[str]:
    """One line for each required production value that is missing or malformed."""
    problems = []
    secret = environ.get("LR_SECRET_KEY", "")
    if not secret:
        problems.append("LR_SECRET_KEY is not set: give a random value of 50 or more characters.")
    elif len(secret) < 50 or len(set(secret)) < 5 or secret.startswith("django-insecure-"):
        problems.append(
            "LR_SECRET_KEY is too weak: give a random value of 50 or more characters"
            " (at least 5 different ones)."
        )
    hosts = [host.strip() for host in environ.get("LR_ALLOWED_HOSTS", "").split(",")]
    if not any(hosts):
        problems.append(
            "LR_ALLOWED_HOSTS is not set: give the service's host names, separated by commas."
        )
    elif bad := [host for host in hosts if not _HOST.match(host.lower())]:
        problems.append(
            f"LR_ALLOWED_HOSTS has {', '.join(repr(h) for h in bad)}: give host names"
            " (no '*', scheme or path), separated by commas."
        )
    url = environ.get("DATABASE_URL", "")
    parsed = urlparse(url)
    if not url:
        problems.append("DATABASE_URL is not set: give postgres://user:password@host:port/name.")
    elif parsed.scheme == "sqlite":
        problems.append(
            "DATABASE_URL is SQLite: production needs PostgreSQL (every service relies on"
            " select_for_update row locks, which SQLite ignores)."
        )
    elif parsed.scheme not in {"postgres", "postgresql"} or not parsed.path.lstrip("/"):
        problems.append(
            "DATABASE_URL is not a PostgreSQL address: give postgres://user:password@host:port/name."
        )
    if environ.get("LR_DEBUG", "").strip().lower() in TRUE_VALUES:
        problems.append(
            "LR_DEBUG is on: debug pages are never shown in production; remove LR_DEBUG."
        )
    return problems


ENVIRONMENT = os.environ.get("LR_ENV", "production")
if ENVIRONMENT not in {"production", "development"}:
    raise ImproperlyConfigured(
        f"LR_ENV is {ENVIRONMENT!r}: give production (the default) or development."
    )
PRODUCTION = ENVIRONMENT == "production"
if PRODUCTION:
    env.problems.extend(production_problems(os.environ))

DEBUG = _env_bool("LR_DEBUG", True) and not PRODUCTION
SECRET_KEY = os.environ.get("LR_SECRET_KEY", "" if PRODUCTION else "insecure-local-development-key")
ALLOWED_HOSTS = [
    host.strip() for host in os.environ.get("LR_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]

# The fictional demo organisation's shared password. Never accepted under production settings.
DEMO_PASSWORD = "learning-review-demo"
ALLOW_DEMO_PASSWORD = _env_bool("LR_ALLOW_DEMO_PASSWORD", True) and not PRODUCTION

INSTALLED_APPS = [
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_tasks",
    "django_tasks_db",
    "learning_reviews.core",
    "learning_reviews.accounts",
    "learning_reviews.single_sign_on",
    "learning_reviews.audit",
    "learning_reviews.referrals",
    "learning_reviews.documents",
    "learning_reviews.triage",
    "learning_reviews.improvement_group",
    "learning_reviews.reviews",
    "learning_reviews.outcomes",
    "learning_reviews.reminders",
    "learning_reviews.insights",
    "learning_reviews.home",
    # Retention schedule, deletion job, subject access (issue 12; docs/data-protection.md).
    "learning_reviews.retention",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "learning_reviews.core.middleware.InputTextMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "learning_reviews.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "learning_reviews.accounts.middleware.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "learning_reviews.accounts.middleware.TwoFactorMiddleware",
    "learning_reviews.core.middleware.ReadOnlyMiddleware",
    "learning_reviews.core.middleware.StorageUnavailableMiddleware",  # a 503 for an outage
    "axes.middleware.AxesMiddleware",  # turns a locked-out sign-in into the "locked" page
]

if PRODUCTION:
    # Serves the collected static files; in development `runserver` serves them itself.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "learning_reviews.urls"
WSGI_APPLICATION = "learning_reviews.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "learning_reviews" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "learning_reviews.core.context_processors.service",
                "learning_reviews.home.context_processors.navigation",
            ],
            "builtins": ["learning_reviews.core.templatetags.govuk"],
        },
    },
]
FORM_RENDERER = "learning_reviews.core.forms.GovukFormRenderer"

# Production has checked DATABASE_URL above; development falls back to a local SQLite file.
_database_url = env.text("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
try:
    DATABASES = {"default": _database_from_url(_database_url)}
except ValueError:
    DATABASES = {}
    if not PRODUCTION:  # production's own check has named it already
        # Not quoted: the address may hold a password.
        env.problems.append(
            "DATABASE_URL is neither SQLite nor PostgreSQL: give sqlite:///path or"
            " postgres://user:password@host:port/name."
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Health checks, metrics and faults (docs/operations.md). PostgreSQL that does not answer within
# LR_DB_CONNECT_TIMEOUT seconds is reported down (a 503 page, /readyz naming the database)
# rather than holding the request; a persistent connection that died with the server is checked
# before reuse and replaced, so the service recovers by itself when PostgreSQL is back.
LR_DB_CONNECT_TIMEOUT = env.integer("LR_DB_CONNECT_TIMEOUT", 3, low=0, high=300)
if DATABASES and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),  # type: ignore[dict-item]
        "connect_timeout": LR_DB_CONNECT_TIMEOUT,
    }
# /readyz fails when the oldest background task due to run has waited longer than this.
LR_TASK_QUEUE_STUCK_MINUTES = env.integer("LR_TASK_QUEUE_STUCK_MINUTES", 15, high=24 * 60)
# /metrics answers only `Authorization: Bearer <this>`; unset, it answers no one (404).
LR_METRICS_TOKEN = env.text("LR_METRICS_TOKEN", "")
# A load balancer may ask for health over plain HTTP inside the network: no redirect for these,
# which carry no secret (/metrics, which carries a token, is redirected like every page).
SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz)$"]
# Counts every request for /metrics: first, so that it sees every other layer's answer.
MIDDLEWARE.insert(0, "learning_reviews.core.metrics.RequestMetricsMiddleware")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "learning_reviews.accounts.backends.OrganisationUserBackend",
    # Loads whoever their council's provider signed in; checks no password (docs/single-sign-on.md).
    "learning_reviews.single_sign_on.backends.SingleSignOnBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "learning_reviews.accounts.validators.NotDemoPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Signing in (docs/security.md "Signing in"). Repeated failures lock the username, whatever the
# IP address, for a cool-off; the attempts are kept in the database, shared by every app server.
LR_LOCKOUT_FAILURES = env.integer("LR_LOCKOUT_FAILURES", 5)
LR_LOCKOUT_MINUTES = env.integer("LR_LOCKOUT_MINUTES", 15)
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = LR_LOCKOUT_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=LR_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "learning_reviews.accounts.views.locked_out"
AXES_VERBOSE = False
# axes warns when the IP address is not a lockout parameter. Locking the username alone is the
# point: behind the council's reverse proxy every person shares one address, which must never
# be locked for everyone.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Two factors (an authenticator app, with backup codes): required of the roles in
# accounts/two_factor.py under production settings, offered to everyone always.
LR_REQUIRE_TWO_FACTOR = _env_bool("LR_REQUIRE_TWO_FACTOR", PRODUCTION)
OTP_TOTP_ISSUER = "Learning Reviews"
# A forgotten password's link lasts an hour; a new account's "set your password" link, days.
PASSWORD_RESET_TIMEOUT = 60 * 60
LR_NEW_ACCOUNT_LINK_DAYS = env.integer("LR_NEW_ACCOUNT_LINK_DAYS", 3)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# GOV.UK Frontend's CSS asks for /assets/fonts/… and /assets/images/…, so static files live
# under /assets/ (docs/decisions/0003-govuk-frontend-assets.md).
STATIC_URL = "/assets/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "learning_reviews" / "static"]
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},  # or S3, below
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("LR_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: files are streamed by permission-checked views

# Files on S3-compatible object storage (docs/configuration.md, "Files"): used when LR_S3_BUCKET
# is set, in place of the local folder above. Private objects, encrypted at rest, never a public
# or presigned link: files still go out only through the permission-checked views.
_s3 = {
    "bucket_name": env.optional("LR_S3_BUCKET"),
    "endpoint_url": env.url("LR_S3_ENDPOINT_URL") or None,
    "region_name": env.optional("LR_S3_REGION"),
    # Unset: boto3's standard chain (AWS_* variables, the instance's or pod's role).
    "access_key": env.optional("LR_S3_ACCESS_KEY_ID"),
    "secret_key": env.optional("LR_S3_SECRET_ACCESS_KEY"),
    "encryption": env.choice("LR_S3_ENCRYPTION", "AES256", ["AES256", "aws:kms", "none"]),
    "timeout": env.integer("LR_S3_TIMEOUT_SECONDS", 10, high=300),
    "attempts": env.integer("LR_S3_ATTEMPTS", 3, high=10),
}
env.together("LR_S3_ACCESS_KEY_ID", "LR_S3_SECRET_ACCESS_KEY")
if not _s3["bucket_name"] and (
    _orphans := sorted(k for k in os.environ if k.startswith("LR_S3_") and env.optional(k))
):
    env.problems.append(f"{', '.join(_orphans)} set but LR_S3_BUCKET is not: give the bucket too.")
elif _s3["bucket_name"]:
    STORAGES["default"] = {
        "BACKEND": "learning_reviews.core.storage.PrivateS3Storage",
        "OPTIONS": _s3,
    }

# Uploads: the Child's Plan Form 1 attachment.
ATTACHMENT_MAX_BYTES = env.integer("LR_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# E-mail is written to an outbox with the change and sent by the task worker (`manage.py
# db_worker`, started by `make run`), never by a web request (docs/deployment.md, "E-mail and
# the task worker"). In development the console backend prints it; production uses SMTP.
EMAIL_BACKEND = os.environ.get(
    "LR_EMAIL_BACKEND",
    "django.core.mail.backends." + ("smtp.EmailBackend" if PRODUCTION else "console.EmailBackend"),
)
EMAIL_HOST = os.environ.get("LR_EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("LR_EMAIL_PORT", 25, high=65535)
EMAIL_HOST_USER = os.environ.get("LR_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("LR_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("LR_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _env_bool("LR_EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    env.problems.append(
        "LR_EMAIL_USE_TLS and LR_EMAIL_USE_SSL are both on: set LR_EMAIL_USE_TLS (STARTTLS)"
        " or LR_EMAIL_USE_SSL, not both."
    )
EMAIL_TIMEOUT = env.integer("LR_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env.address("LR_FROM_EMAIL", "learning-reviews@example.org")
TASKS = {
    "default": {
        "BACKEND": os.environ.get("LR_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
SERVICE_URL = env.url("LR_SERVICE_URL", "http://127.0.0.1:8000")

SESSION_COOKIE_HTTPONLY = True
# A session ends when the browser closes, after the organisation's idle timeout, and at the
# latest LR_SESSION_MAX_HOURS after signing in (accounts/middleware.py).
LR_SESSION_MAX_HOURS = env.integer("LR_SESSION_MAX_HOURS", 10)
SESSION_COOKIE_AGE = LR_SESSION_MAX_HOURS * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = _env_bool("LR_SSL_REDIRECT", True) and PRODUCTION
SECURE_HSTS_SECONDS = 31_536_000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Logs (docs/operations.md, "Logs"): one JSON object a line under production, a readable line in
# development; every line carries the request's id (or the task's) and the person's id, never a
# child's name, a SWIS No. or an e-mail address (learning_reviews/core/logs.py).
LR_LOG_FORMAT = env.choice("LR_LOG_FORMAT", "json" if PRODUCTION else "text", ["json", "text"])
# First of all middleware: every log line of a request carries its id.
MIDDLEWARE.insert(0, "learning_reviews.core.logs.RequestIdMiddleware")
LR_LOG_LEVEL = env.choice("LR_LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "learning_reviews.core.logs.ContextFilter"}},
    "formatters": {
        "json": {"()": "learning_reviews.core.logs.JsonFormatter"},
        "text": {"()": "learning_reviews.core.logs.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": LR_LOG_FORMAT,
            # The handler keeps the level too: a library that sets its own logger to DEBUG for a
            # while (WeasyPrint does so to fontTools while it subsets a font, some 170 lines per
            # PDF) writes nothing below LR_LOG_LEVEL.
            "level": LR_LOG_LEVEL,
        }
    },
    "root": {"handlers": ["console"], "level": LR_LOG_LEVEL},
    "loggers": {
        # Django's own handlers go (in development they print its records raw, query strings and
        # all): its records reach the console above, through the filter, like every other.
        "django": {"handlers": [], "propagate": True},
        # SQL with its parameters (a child's name among them) never reaches the log, whatever
        # LR_LOG_LEVEL says.
        "django.db.backends": {"level": "INFO", "propagate": True},
        # Our own line per request (core/logs.py) replaces Django's, which carries the path.
        "django.server": {"level": "WARNING", "propagate": True},
    },
}

# Start-up check: keep this block last, after every variable has been read. It names every
# missing or malformed value at once, one line each, and stops (`manage.py` prints the lines
# without a traceback).
if env.problems:
    raise ImproperlyConfigured(
        "\n".join([f"Learning Reviews will not start under {ENVIRONMENT} settings:", *env.problems])
    )
