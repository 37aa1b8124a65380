"""Keel's settings, read from the environment.

With nothing set, Keel runs embedded: SQLite and a filesystem Celery broker under ``var/``, email
to the console. Production sets ``DATABASE_URL``, ``CELERY_BROKER_URL``, ``SECRET_KEY``,
``ALLOWED_HOSTS`` and ``KEEL_HTTPS``. Every variable is listed in the README.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from csp.constants import NONCE as CSP_NONCE
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF

# Lets classes such as ModelAdmin[Programme] be subscripted at run time, as the type stubs allow.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

VAR_DIR = Path(env.str("KEEL_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _embedded_secret_key() -> str:
    """A random key kept in ``var/``: an embedded run needs no setup, sessions survive restarts.
    Web workers start together, so the key is written whole under another name and linked into
    place, which only one of them can do: none reads a half-written file or keeps a key of its
    own."""
    key_file = VAR_DIR / "secret-key"
    if not key_file.exists():
        draft = VAR_DIR / f"secret-key.{os.getpid()}.{secrets.token_hex(4)}"
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
            out.write(secrets.token_urlsafe(50))
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return key_file.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or _embedded_secret_key()
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Behind TLS (KEEL_HTTPS=true) cookies are secure and browsers are told to stay on HTTPS.
KEEL_HTTPS = env.bool("KEEL_HTTPS", default=False)
SESSION_COOKIE_SECURE = KEEL_HTTPS
CSRF_COOKIE_SECURE = KEEL_HTTPS
SECURE_SSL_REDIRECT = KEEL_HTTPS
# Load balancers probe over plain HTTP inside the network; a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = 31_536_000 if KEEL_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = KEEL_HTTPS
SECURE_HSTS_PRELOAD = KEEL_HTTPS
KEEL_BEHIND_PROXY = env.bool("KEEL_BEHIND_PROXY", default=False)
if KEEL_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts and styles from Keel itself only; an inline
# <script> or <style> runs only with the request's nonce (``{{ request.csp_nonce }}``), and style
# attributes never apply. htmx is told to need neither eval nor inline styles (base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF, CSP_NONCE],
        "style-src": [CSP_SELF, CSP_NONCE],
        "img-src": [CSP_SELF, "data:"],
        "font-src": [CSP_SELF],
        "connect-src": [CSP_SELF],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_NONE],
    }
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "axes",
    "programmes",
    "scorecards",
    "oncall",
    "incidents",
    "governance",
    "portfolio",
]

MIDDLEWARE = [
    "programmes.request_id.RequestIdMiddleware",
    "config.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.user_timezone.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "programmes.context_processors.unread_notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'keel.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded run shares one SQLite file between the web server and the worker: writers wait
    # for each other instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password guessing (django-axes): after KEEL_LOGIN_FAILURE_LIMIT wrong passwords within
# KEEL_LOGIN_LOCKOUT_MINUTES, that username, and separately that client address, is refused on
# /login/, /admin/login/ and the API token endpoint until the window has passed. Counts are shared
# by every process: in the cache when KEEL_CACHE_URL names a shared one, else in the database.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading a session's user with their time zone and groups at once.
    "programmes.auth_backend.PersonModelBackend",
    # Only for sessions signed in before PersonModelBackend (it never sees a password).
    "django.contrib.auth.backends.ModelBackend",
]
KEEL_LOGIN_FAILURE_LIMIT = env.int("KEEL_LOGIN_FAILURE_LIMIT", default=10)
KEEL_LOGIN_LOCKOUT_MINUTES = env.int("KEEL_LOGIN_LOCKOUT_MINUTES", default=15)
AXES_FAILURE_LIMIT = KEEL_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=KEEL_LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "config.login_throttle.client_address"
AXES_LOCKOUT_CALLABLE = "config.login_throttle.lockout_response"
AXES_DISABLE_ACCESS_LOG = True
# Failures are logged with the username and address (the password is never kept or logged).
AXES_SENSITIVE_PARAMETERS: list[str] = []
# Django's database sessions, read with one plain statement (programmes.session_store).
SESSION_ENGINE = "programmes.session_store"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Unhashed names keep `{% static %}` working before collectstatic has run (tests, embedded).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Keel <keel@localhost>")

# Links in emails and Slack messages point here.
KEEL_BASE_URL = env.str("KEEL_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Slack-compatible webhooks: Keel posts only to these hosts (shell-style patterns), over https.
KEEL_WEBHOOK_ALLOWED_HOSTS = env.list("KEEL_WEBHOOK_ALLOWED_HOSTS", default=["hooks.slack.com"])
KEEL_WEBHOOK_REQUIRE_HTTPS = env.bool("KEEL_WEBHOOK_REQUIRE_HTTPS", default=True)
KEEL_WEBHOOK_TIMEOUT_SECONDS = env.float("KEEL_WEBHOOK_TIMEOUT_SECONDS", default=5.0)

# Delivery retries: exponential backoff with jitter, capped well under the broker's visibility
# timeout so a waiting retry is never handed to a second worker.
KEEL_NOTIFICATION_MAX_ATTEMPTS = env.int("KEEL_NOTIFICATION_MAX_ATTEMPTS", default=6)
KEEL_NOTIFICATION_RETRY_BASE_SECONDS = env.float("KEEL_NOTIFICATION_RETRY_BASE_SECONDS", default=30)
KEEL_NOTIFICATION_RETRY_CAP_SECONDS = env.float("KEEL_NOTIFICATION_RETRY_CAP_SECONDS", default=600)
# A queued notification this long past its due time is handed to Celery again.
KEEL_NOTIFICATION_STALL_SECONDS = env.int("KEEL_NOTIFICATION_STALL_SECONDS", default=300)
# How often beat runs the scheduled jobs (reminders, the stall sweep): programmes.registry.jobs.
KEEL_SCHEDULER_TICK_SECONDS = env.int("KEEL_SCHEDULER_TICK_SECONDS", default=60)
# The longest a job's run keeps the tick from starting that job again (a killed worker's run
# stops counting after this).
KEEL_SCHEDULER_JOB_LEASE_SECONDS = env.int("KEEL_SCHEDULER_JOB_LEASE_SECONDS", default=600)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "programmes.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["programmes.permissions.IsPersonOrAllowedProgrammeToken"],
    # Input hygiene (nesting, NUL characters, lone surrogates) for every body: programmes.api_input.
    "DEFAULT_PARSER_CLASSES": [
        "programmes.api_input.JSONParser",
        "programmes.api_input.FormParser",
        "programmes.api_input.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "programmes.api_renderers.JSONRenderer",
        "programmes.api_renderers.BrowsableAPIRendererUnderCSP",
    ],
    "DEFAULT_PAGINATION_CLASS": "programmes.api_pagination.PageNumbers",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "programmes.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "programmes.api_errors.exception_handler",
    # A refused item of a list is reported under its position: {"3": {"value": [...]}}.
    "LIST_SERIALIZER_ERRORS_AS_DICT": True,
    # Password guessing through the token endpoint is slowed per client address.
    "DEFAULT_THROTTLE_RATES": {"token": env.str("KEEL_TOKEN_RATE", default="20/minute")},
    # The client address is the proxy's last X-Forwarded-For entry behind one proxy, else the
    # socket's: a client cannot pick its own address to dodge the limit.
    "NUM_PROXIES": 1 if KEEL_BEHIND_PROXY else 0,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Keel API",
    "DESCRIPTION": "The operating model of every AI programme: programmes, people, owners, audit.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "programmes.models.Stage",
        "RoleEnum": "programmes.models.Role",
        "WeekdayEnum": "programmes.models.Weekday",
        "NotificationKindEnum": "programmes.registry.notification_kinds.kind_choices",
        "MetricKindEnum": "scorecards.models.MetricKind",
        "RagEnum": "scorecards.models.Rag",
        "DirectionEnum": "scorecards.models.Direction",
        "MeasurementSourceEnum": "scorecards.models.MeasurementSource",
        "FeedKindEnum": "oncall.models.FeedKind",
        "ShiftKindEnum": "oncall.models.ShiftKind",
        "LevelEnum": "oncall.models.Level",
        "CoverStatusEnum": "oncall.models.CoverStatus",
        "IncidentStatusEnum": "incidents.models.IncidentStatus",
        "ActionStatusEnum": "incidents.models.ActionStatus",
        "TimelineKindEnum": "incidents.models.TimelineKind",
        "SeriousKindEnum": "incidents.models.SeriousKind",
        "SeverityEnum": "incidents.models.Severity",
        "HarmCategoryEnum": "incidents.models.HarmCategory",
        "IncidentSourceEnum": "incidents.models.IncidentSource",
        "NotificationStatusEnum": "programmes.models.NotificationStatus",
        "ProgrammeTokenScopeEnum": "programmes.models.ProgrammeToken.Scope",
        "AlertStatusEnum": "incidents.serializers.ALERT_STATUSES",
        "ReviewStatusEnum": "governance.models.ReviewStatus",
        "ReviewActionStatusEnum": "governance.models.ActionStatus",
        "ReviewDecisionKindEnum": "governance.models.ReviewDecisionKind",
        "CriterionStatusEnum": "governance.models.CriterionStatus",
        "OpenCriterionStatusEnum": "governance.readiness_rules.OPEN_STATUSES",
        "PillarEnum": "governance.models.Pillar",
        "SignoffRoleEnum": "governance.models.SignoffRole",
        "SignoffDecisionEnum": "governance.models.SignOffDecision",
        "StopDecisionKindEnum": "governance.models.DecisionKind",
        "StopConsequenceEnum": "governance.models.Consequence",
    },
}

# Rate-limit counters are shared by every web process only in a shared cache (Redis); the
# embedded default keeps them per process.
KEEL_CACHE_URL = env.str("KEEL_CACHE_URL", default="")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": KEEL_CACHE_URL}
        if KEEL_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
AXES_HANDLER = (
    "axes.handlers.cache.AxesCacheHandler"
    if KEEL_CACHE_URL
    else "axes.handlers.database.AxesDatabaseHandler"
)

# Celery: the embedded default is kombu's filesystem transport, which needs no server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_DIR = VAR_DIR / "broker"
KEEL_BROKER_VISIBILITY_TIMEOUT = env.int("KEEL_BROKER_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
    "visibility_timeout": KEEL_BROKER_VISIBILITY_TIMEOUT
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_DIR.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR),
        "data_folder_out": str(CELERY_BROKER_DIR),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = "UTC"
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Django's LOGGING (JSON lines) applies to the worker too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# /metrics: with a token, scrapers send `Authorization: Bearer <token>`; without one, only these
# networks may scrape.
KEEL_METRICS_TOKEN = env.str("KEEL_METRICS_TOKEN", default="")
KEEL_METRICS_ALLOWED_NETWORKS = env.list(
    "KEEL_METRICS_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"]
)

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "programmes.request_id.RequestIdLogFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
