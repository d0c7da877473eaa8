"""Django settings, read from the environment (django-environ); see README for each variable."""

import contextlib
import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
DATA_DIR = Path(env.str("REFORMTRACK_DATA_DIR", default=str(PACKAGE_DIR.parents[1] / "var")))
# Files and folders the product creates (database, media, exports, audit anchors) are the
# service account's alone: 0600/0700. REFORMTRACK_UMASK=022 restores the usual 0644/0755.
os.umask(int(env.str("REFORMTRACK_UMASK", default="077"), 8))

SECRET_KEY = env.str("SECRET_KEY", default="")
# `make run` leaves a generated key here (0600), so every command works in a new shell.
LOCAL_SECRET_FILE = DATA_DIR / "secret.key"
if not SECRET_KEY and LOCAL_SECRET_FILE.is_file():
    SECRET_KEY = LOCAL_SECRET_FILE.read_text(encoding="utf-8").strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "treebeard",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "reformtrack.core",
    "reformtrack.orgs",
    "reformtrack.programs",
    "reformtrack.kpis",
    "reformtrack.assessments",
    "reformtrack.documents",
    "reformtrack.contracts",
    "reformtrack.chains",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "reformtrack.core.middleware.VerifiedUserMiddleware",  # django_otp's, user loaded once
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "reformtrack.core.middleware.RequestContextMiddleware",
    "reformtrack.core.middleware.UploadRedirectMiddleware",
    "reformtrack.core.middleware.SecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "reformtrack.urls"
WSGI_APPLICATION = "reformtrack.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reformtrack.core.context_processors.navigation",
            ],
        },
    }
]

# SQLite by default (one machine, out of the box); DATABASE_URL=postgres://… in production.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'reformtrack.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE transactions serialise writers, which keeps the audit hash chain linear.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
# Keep each worker's connection between requests (opening one per request cost a signed-in page
# more than its queries on PostgreSQL); checked before reuse, so a restarted server is no error.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=300)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["TEST"] = (
    {"NAME": None} if "postgres" in DATABASES["default"]["ENGINE"] else {}
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# Charts drawn from data, keyed by a digest of that data (core/figure_cache.py): shared by
# every server process, on disk under the data folder by default, so no worker draws a chart
# another already drew. Nothing in it is ever stale (a change in the data is a new key).
CACHES["figures"] = env.cache_url(
    "FIGURE_CACHE_URL", default=f"filecache://{DATA_DIR / 'cache' / 'figures'}"
)
CACHES["figures"].setdefault("TIMEOUT", 86400)
CACHES["figures"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 5000)
# Whole read pages under the data version (core/page_cache.py): process memory by default
# (never a database cache: reading writes nothing); never stale, the version is in the key.
CACHES["pages"] = env.cache_url("PAGE_CACHE_URL", default="locmemcache://pages")
CACHES["pages"].setdefault("TIMEOUT", 3600)
CACHES["pages"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 200)

# --- Authentication and the 等保 2.0 level-3 controls (assessor defaults, all settings) ---
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_MIN_LENGTH = env.int("PASSWORD_MIN_LENGTH", default=8)
PASSWORD_MIN_CLASSES = env.int("PASSWORD_MIN_CLASSES", default=3)
PASSWORD_EXPIRY_DAYS = env.int("PASSWORD_EXPIRY_DAYS", default=90)
# None of an account's last N passwords may be chosen again.
PASSWORD_HISTORY_COUNT = env.int("PASSWORD_HISTORY_COUNT", default=5)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": "reformtrack.core.security.passwords.PasswordHistoryValidator",
        "OPTIONS": {"count": PASSWORD_HISTORY_COUNT},
    },
    {
        "NAME": "reformtrack.core.security.passwords.CharacterClassValidator",
        "OPTIONS": {"min_classes": PASSWORD_MIN_CLASSES},
    },
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("LOGIN_LOCKOUT_MINUTES", default=30) / 60
# Lock the account (等保 practice), not the address: a shared office NAT must not lock everyone.
AXES_LOCKOUT_PARAMETERS = ["username"]
# models.W040: the roll-up index INCLUDEs id for PostgreSQL; SQLite's rowid is in every index.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "models.W040"]
# Failures (password or second factor) are forgotten only once the whole sign-in succeeded:
# core.views.auth resets them, not the password step alone.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "reformtrack.core.views.auth.locked_out"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)
OTP_TOTP_ISSUER = "reformtrack"
# Idle timeout: the session expires after this many seconds without a request.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=1800)
SESSION_SAVE_EVERY_REQUEST = True
# ...but a session row is rewritten only when its expiry moves by a minute or more.
SESSION_ENGINE = "reformtrack.core.session_touch"
SESSION_TOUCH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Absolute lifetime: a session ends this long after sign-in, however busy (12 h by default).
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
HTTPS = env.bool("HTTPS", default=False)
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=HTTPS)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES
# Behind HTTPS browsers are told to use nothing else (HSTS), and plain HTTP is redirected.
SECURE_HSTS_SECONDS = env.int("HSTS_SECONDS", default=31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and env.bool("HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = HTTPS and env.bool("HSTS_PRELOAD", default=False)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
}

# --- Internationalisation: Simplified Chinese by default, English second ---
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(DATA_DIR / "static")))
# WhiteNoise warns on every request until collectstatic has run; a read-only deployment
# (collectstatic at install time) keeps whatever it has.
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# plotly.js is served from the plotly wheel itself (vendor/plotly.min.js): offline, no copy in git.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "reformtrack.programs.staticfinders.PlotlyFinder",
]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Uploaded files and their folders are readable by the service account alone (issue 16).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# EMAIL_URL, e.g. smtp+tls://user:pass@mail.example:587; console output by default.
_email = env.email_url("EMAIL_URL", default="consolemail://")
_smtp_options = {
    "host": "EMAIL_HOST", "port": "EMAIL_PORT", "username": "EMAIL_HOST_USER",
    "password": "EMAIL_HOST_PASSWORD", "use_tls": "EMAIL_USE_TLS", "use_ssl": "EMAIL_USE_SSL",
}  # fmt: skip
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {k: _email[v] for k, v in _smtp_options.items() if v in _email}
        if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="reformtrack@localhost")

# --- REST API ---
# API tokens expire this many days after they are made (`reformtrack token create`, or the
# "API tokens" page); they also stop with the account's disabling or password expiry.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "reformtrack.core.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["reformtrack.core.api.permissions.BusinessUserPermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "reformtrack.core.api.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "reformtrack.core.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "reformtrack API",
    "DESCRIPTION": "SOE reform governance: organisations, designations, approvals.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Every operation documents the JSON errors it answers with (core/api/errors.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "reformtrack.core.api.errors.document_errors",
    ],
}

DJANGO_TABLES2_TEMPLATE = "core/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table"}

# The scoping layer lives in core but roles live in orgs: core asks orgs through this hook.
REFORMTRACK_SCOPE_RESOLVER = "reformtrack.orgs.scoping.grants_by_action"
# Approval chains: for each object kind, the organisation kinds that approve, nearest first.
# Who approves what, nearest first, by organisation kind. An enterprise's self-assessment goes
# straight to the supervisor that rates it.
# A chain is a list of kinds, or {"kinds": [...], "own_first": [...]}: the kinds that review their
# own organisation's submissions first (a list means every kind does). A submission never waits
# at a level whose approve right the submitter holds: a group office's own report goes on above.
APPROVAL_CHAINS = {
    "default": {"kinds": ["subsidiary", "group", "supervisor"], "own_first": ["subsidiary"]},
    "assessment": ["supervisor"],
    # Plan changes end at the level of the organisation the programme was launched to.
    "plan_change_subsidiary": {"kinds": ["subsidiary"], "own_first": ["subsidiary"]},
    "plan_change_group": {"kinds": ["subsidiary", "group"], "own_first": ["subsidiary"]},
    "plan_change_supervisor": {
        "kinds": ["subsidiary", "group", "supervisor"],
        "own_first": ["subsidiary"],
    },
}
# Who holds an action on one organisation (approval notices); approvals waiting longer than
# this many days are chased by `reformtrack approvals chase`.
REFORMTRACK_SCOPE_HOLDERS = "reformtrack.orgs.approval_holders.holders"
REFORMTRACK_APPROVAL_CHASE_DAYS = env.int("REFORMTRACK_APPROVAL_CHASE_DAYS", default=3)
# Evidence uploads: largest accepted file; roll-ups: points below the target that are amber.
REFORMTRACK_EVIDENCE_MAX_BYTES = env.int("REFORMTRACK_EVIDENCE_MAX_MB", default=20) * 2**20
REFORMTRACK_AMBER_MARGIN = env.int("REFORMTRACK_AMBER_MARGIN", default=10)
# Large document back-fills run as Celery tasks on Redis when set (e.g. redis://127.0.0.1:6379/0);
# empty: the same code runs in the calling process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# Long work (period closing, overdue marking, tally rebuilds, imports) runs as jobs on a queue
# (core/jobs): "db" (default: a table in the same database, run by `reformtrack worker`, which
# `reformtrack serve` starts), "celery" (Redis at CELERY_BROKER_URL, for scale) or "immediate"
# (in the calling process: tests, one-off scripts).
JOBS_BACKEND = env.str("JOBS_BACKEND", default="db")
TASKS = {
    "default": {
        "BACKEND": {
            "db": "django_tasks_db.DatabaseBackend",
            "celery": "reformtrack.core.jobs.celery.CeleryBackend",
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
        }[JOBS_BACKEND],
    }
}
# Peer benchmarks: statistics over organisations a user may not see need this many of them.
REFORMTRACK_PEER_MIN_HIDDEN = env.int("REFORMTRACK_PEER_MIN_HIDDEN", default=4)
# Where the shipped libraries (programmes, rule sets, KPI sets) live.
REFORMTRACK_LIBRARY_DIR = PACKAGE_DIR / "libraries"
# Audit chain (docs/audit.md): the HMAC key (comma-separated, newest first) or else the keyring
# file audit.key, and the checkpoints audit-anchors.log, both in REFORMTRACK_AUDIT_DIR.
REFORMTRACK_AUDIT_DIR = Path(env.str("REFORMTRACK_AUDIT_DIR", default=str(DATA_DIR)))
REFORMTRACK_AUDIT_KEY = env.str("REFORMTRACK_AUDIT_KEY", default="")
REFORMTRACK_AUDIT_HMAC = env.str("REFORMTRACK_AUDIT_HMAC", default="hmac-sha256")  # or hmac-sm3
REFORMTRACK_AUDIT_CHECKPOINT_EVERY = env.int("REFORMTRACK_AUDIT_CHECKPOINT_EVERY", default=100)
REFORMTRACK_AUDIT_RETENTION_DAYS = env.int("REFORMTRACK_AUDIT_RETENTION_DAYS", default=180)
if REFORMTRACK_AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured("REFORMTRACK_AUDIT_RETENTION_DAYS must be at least 180.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
# The organisation model that scoped core records (approvals) point to.
REFORMTRACK_ORGANISATION_MODEL = "orgs.Organisation"
