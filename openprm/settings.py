"""One settings module: every deployment choice comes from an environment variable."""

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import bootstrap
import dj_database_url
import plotly
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("OPENPRM_VAR_DIR", "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, "").strip() or default)


def cache_settings(url: str) -> dict[str, dict[str, Any]]:
    """Memory of each server process by default: with several processes each counts API
    requests on its own, so the rate limits are exact only in a shared cache."""
    backend: dict[str, Any]
    if not url:
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    elif url == "database":
        backend = {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "openprm_cache",
        }
    elif url.startswith(("redis://", "rediss://", "unix://")):
        backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        parts = urlsplit(url)
        if parts.password:
            # Into OPTIONS, whose "password" key error reports hide; LOCATION they show.
            host = parts.netloc.rpartition("@")[2]
            netloc = f"{parts.username}@{host}" if parts.username else host
            backend["LOCATION"] = urlunsplit(parts._replace(netloc=netloc))
            backend["OPTIONS"] = {"password": unquote(parts.password)}
    else:
        raise ImproperlyConfigured(
            f"OPENPRM_CACHE_URL: {url!r} is neither empty, 'database' nor a redis:// address."
        )
    return {"default": backend}


def session_engine(caches: dict[str, dict[str, Any]]) -> str:
    """Sessions in the database, read through the cache when every process shares it (Redis):
    each process's own memory would keep a signed-out session alive in the others."""
    if caches["default"]["BACKEND"].endswith("RedisCache"):
        return "django.contrib.sessions.backends.cached_db"
    return "django.contrib.sessions.backends.db"


def media_storage(kind: str, environ: Any = os.environ) -> dict[str, Any]:
    """Uploaded files (deal attachments, proofs, imports, exports): the media folder, or an
    S3-compatible bucket (django-storages) that several server hosts share."""
    if kind in ("", "filesystem"):
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(
            f"OPENPRM_MEDIA_STORAGE: {kind!r} is neither 'filesystem' nor 's3'."
        )
    if not environ.get("OPENPRM_S3_BUCKET"):
        raise ImproperlyConfigured("OPENPRM_MEDIA_STORAGE=s3 needs OPENPRM_S3_BUCKET.")
    # Private objects, never overwritten (two uploads of "quote.pdf" keep both), read through
    # OpenPRM's own permission checks. Without keys of its own, boto3 finds AWS_ACCESS_KEY_ID
    # and AWS_SECRET_ACCESS_KEY, a profile or the host's role.
    options: dict[str, Any] = {"bucket_name": environ["OPENPRM_S3_BUCKET"], "default_acl": None,
                               "file_overwrite": False, "querystring_auth": True}  # fmt: skip
    for variable, option in [("OPENPRM_S3_ENDPOINT_URL", "endpoint_url"),
                             ("OPENPRM_S3_REGION", "region_name"),
                             ("OPENPRM_S3_PREFIX", "location"),
                             ("OPENPRM_S3_ACCESS_KEY_ID", "access_key"),
                             ("OPENPRM_S3_SECRET_ACCESS_KEY", "secret_key"),
                             ("OPENPRM_S3_ADDRESSING_STYLE", "addressing_style")]:  # fmt: skip
        if environ.get(variable):
            options[option] = environ[variable]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def read_or_create_secret_key() -> str:
    """A stable key without configuration: generated once and kept under ./var/."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env_bool("OPENPRM_DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY") or read_or_create_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("OPENPRM_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "openprm.core.admin_site.ProgramAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "ninja",  # its Swagger UI files, so /api/v1/docs loads nothing from a CDN
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "openprm.core",
    "openprm.accounts",
    "openprm.crm",
    "openprm.goals",
    "openprm.notifications",
    "openprm.points",
    "openprm.deals",
    "openprm.referrals",
    "openprm.dashboard",
    "openprm.privacy",
    "openprm.webhooks",
    "openprm.audit",
    "openprm.imports",
    "openprm.demo",
]

MIDDLEWARE = [
    "openprm.core.middleware.AccessLogMiddleware",
    "openprm.imports.middleware.UploadLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "openprm.accounts.middleware.ActiveOrganizationMiddleware",
    "openprm.accounts.middleware.UserPreferencesMiddleware",
    "openprm.accounts.two_factor.middleware.EnrolmentRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "openprm.core.idempotency.IdempotencyMiddleware",
    # After the idempotency check, which reads the raw body before the form parser consumes it.
    "openprm.core.null_characters.NullCharacterMiddleware",
    "openprm.core.middleware.AppErrorPageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "openprm.urls"
WSGI_APPLICATION = "openprm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "openprm.core.context_processors.shell",
                "openprm.notifications.context_processors.unread_notifications",
            ],
            # Money, numbers, days and country names in the reader's language, on every page.
            "builtins": ["openprm.core.templatetags.formatting"],
        },
    },
]

# Databases: SQLite under ./var/ unless DATABASE_URL names another. Not kept as a setting of
# its own: error reports hide settings by name, and this one's name does not say "password".
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'openprm.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A new installation's first command creates the file, and SQLite its folder not.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait (busy_timeout)
    # instead of failing on a lock upgrade; see STACK-NOTES.md.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=20000; PRAGMA synchronous=NORMAL;"
            " PRAGMA foreign_keys=ON;"
        ),
    }
# A read replica of the primary (PostgreSQL streaming replication): report reads go there
# (openprm.core.replica), everything else to the primary.
if os.environ.get("OPENPRM_REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["OPENPRM_REPLICA_DATABASE_URL"], conn_max_age=60, conn_health_checks=True
    )
    DATABASES["replica"]["OPTIONS"] = DATABASES["default"].get("OPTIONS", {})
    # Tests run the replica's queries on the primary's test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["openprm.core.replica.ReportReadRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "openprm.accounts.lockout.AccountWaitBackend",
    "openprm.accounts.backends.ActiveOrganizationBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in limits (openprm.accounts.lockout): failed passwords for one account, from anywhere,
# make it wait a minute, doubling with each further failure up to the longest wait ...
OPENPRM_LOGIN_FAILURE_LIMIT = env_int("OPENPRM_LOGIN_FAILURE_LIMIT", 5)
OPENPRM_LOGIN_BACKOFF_MAX_MINUTES = env_int("OPENPRM_LOGIN_BACKOFF_MAX_MINUTES", 60)
# Two-factor sign-in (docs/two-factor.md): a wrong code counts as a failed password above, so
# django-otp's own per-device delay is off; "remember this device" lasts this many days.
OPENPRM_TWO_FACTOR_REMEMBER_DAYS = env_int("OPENPRM_TWO_FACTOR_REMEMBER_DAYS", 30)
OTP_TOTP_ISSUER = "OpenPRM"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# ... and one client address with this many failures, whatever the accounts, waits for the
# cool-off after its last one (django-axes). A success does not clear an address's count, or
# an attacker could reset it by signing in to an account of their own.
AXES_FAILURE_LIMIT = env_int("OPENPRM_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = False
AXES_USERNAME_CALLABLE = "openprm.accounts.lockout.attempted_email"
AXES_LOCKOUT_CALLABLE = "openprm.accounts.lockout.locked_out_response"
AXES_CLIENT_IP_CALLABLE = "openprm.core.client_address.client_address"
# Logged and stored attempts show neither who nor what was sent (username and address stay in
# the attempt's own columns).
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "csrfmiddlewaretoken"]
# Attempts refused while an address waits do not stretch its wait.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ja", _("Japanese")),
    ("zh-hant", _("Traditional Chinese")),
    ("th", _("Thai")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("OPENPRM_TIME_ZONE", "UTC")  # the program's calendar: where a day starts
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Bootstrap from django-bootstrap-static's wheel (xstatic-bootstrap 5.3.8 is an sdist whose build
# needs pkg_resources, which current setuptools no longer has).
BOOTSTRAP_DIR = Path(bootstrap.__file__).resolve().parent / "static" / "bootstrap"
STATICFILES_DIRS = [PACKAGE_DIR / "static", ("vendor/bootstrap", BOOTSTRAP_DIR)]
# Front-end libraries come from their Python packages, never from a CDN.
PACKAGE_STATIC_FILES = {
    "vendor/plotly/plotly.min.js": Path(plotly.__file__).resolve().parent
    / "package_data"
    / "plotly.min.js",
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "openprm.core.staticfinders.PackageFileFinder",
]
STORAGES = {
    "default": media_storage(os.environ.get("OPENPRM_MEDIA_STORAGE", "").strip().lower()),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("OPENPRM_MEDIA_ROOT") or VAR_DIR / "media").resolve()
MEDIA_URL = "/media/"
# Shared-deal attachments larger than this are refused (C6).
OPENPRM_ATTACHMENT_MAX_BYTES = int(
    os.environ.get("OPENPRM_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))
)
# Report exports with more rows than this are made by the worker and announced by a notification.
OPENPRM_EXPORT_INLINE_MAX_ROWS = int(os.environ.get("OPENPRM_EXPORT_INLINE_MAX_ROWS", "2000"))
# CSV and XLSX imports (docs/imports.md): a larger upload is refused before it is read; files
# of more than INLINE_MAX_ROWS rows are checked and imported by the worker.
OPENPRM_IMPORT_MAX_BYTES = env_int("OPENPRM_IMPORT_MAX_BYTES", 50 * 2**20)
OPENPRM_IMPORT_MAX_ROWS = env_int("OPENPRM_IMPORT_MAX_ROWS", 100_000)
OPENPRM_IMPORT_INLINE_MAX_ROWS = env_int("OPENPRM_IMPORT_INLINE_MAX_ROWS", 1000)

# Mail: SMTP when EMAIL_HOST is set, the console otherwise.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
# The file backend's folder (tools/dev.py start writes the demo's mail there).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "OpenPRM <noreply@openprm.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OPENPRM_MAIL_DOMAIN = os.environ.get("OPENPRM_MAIL_DOMAIN", "openprm.example")

# Background work: the database queue by default; any django-tasks backend by dotted path
# (for example django_tasks_rq's backend with Redis) where a deployment outgrows it.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("OPENPRM_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
OPENPRM_SWEEP_SECONDS = int(os.environ.get("OPENPRM_SWEEP_SECONDS", "60"))
OPENPRM_STALE_TASK_MINUTES = float(os.environ.get("OPENPRM_STALE_TASK_MINUTES", "10"))

# Outbound webhooks (README.md, docs/api.md): only public addresses unless allowed; timeouts in
# seconds per attempt; retries after RETRY_SECONDS, doubling; a subscription is disabled after
# DISABLE_AFTER deliveries in a row failed; finished deliveries are kept KEEP_DAYS.
OPENPRM_WEBHOOKS_ALLOW_PRIVATE = env_bool("OPENPRM_WEBHOOKS_ALLOW_PRIVATE")
OPENPRM_WEBHOOKS_CONNECT_TIMEOUT = float(os.environ.get("OPENPRM_WEBHOOKS_CONNECT_TIMEOUT", "5"))
OPENPRM_WEBHOOKS_READ_TIMEOUT = float(os.environ.get("OPENPRM_WEBHOOKS_READ_TIMEOUT", "10"))
OPENPRM_WEBHOOKS_MAX_ATTEMPTS = int(os.environ.get("OPENPRM_WEBHOOKS_MAX_ATTEMPTS", "8"))
OPENPRM_WEBHOOKS_RETRY_SECONDS = float(os.environ.get("OPENPRM_WEBHOOKS_RETRY_SECONDS", "30"))
OPENPRM_WEBHOOKS_DISABLE_AFTER = int(os.environ.get("OPENPRM_WEBHOOKS_DISABLE_AFTER", "5"))
OPENPRM_WEBHOOKS_KEEP_DAYS = int(os.environ.get("OPENPRM_WEBHOOKS_KEEP_DAYS", "30"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("OPENPRM_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# HTTPS behind a proxy that terminates TLS (README, "Behind a proxy").
SECURE_HSTS_SECONDS = env_int("OPENPRM_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("OPENPRM_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("OPENPRM_HSTS_PRELOAD")
SECURE_SSL_REDIRECT = env_bool("OPENPRM_SSL_REDIRECT")
# Believed only when the operator says the proxy sets X-Forwarded-Proto itself: a client can
# send the header too.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("OPENPRM_PROXY_SSL_HEADER") else None
)
SECURE_REFERRER_POLICY = "same-origin"
# Everything comes from the site itself, and no script is inline: templates ask for behaviour
# with data- attributes that static files act on. Plotly and Bootstrap set style attributes,
# so inline styles stay allowed; their stylesheets embed data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# How many proxies in front of OpenPRM append to X-Forwarded-For (openprm.core.client_address).
OPENPRM_TRUSTED_PROXIES = env_int("OPENPRM_TRUSTED_PROXIES", 0)

# API rate limits (openprm.core.throttling): requests per period, the period one of s, min, h,
# day; answered 429 with Retry-After beyond them.
OPENPRM_API_RATE_USER = os.environ.get("OPENPRM_API_RATE_USER", "600/min")
OPENPRM_API_RATE_ANONYMOUS = os.environ.get("OPENPRM_API_RATE_ANONYMOUS", "60/min")
# Partner applications per client address, on the public page and the API together.
OPENPRM_PARTNER_APPLICATION_RATE = os.environ.get("OPENPRM_PARTNER_APPLICATION_RATE", "5/h")
# OPENPRM_REDIS_URL: the one Redis server of a scaled-out installation, for the cache and the
# sessions, unless OPENPRM_CACHE_URL names another cache.
CACHES = cache_settings(
    os.environ.get("OPENPRM_CACHE_URL", "").strip()
    or os.environ.get("OPENPRM_REDIS_URL", "").strip()
)
SESSION_ENGINE = session_engine(CACHES)

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("OPENPRM_LOG_LEVEL", "WARNING")},
}
