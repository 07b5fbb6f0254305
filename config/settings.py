"""Alur settings: one module, driven by the environment (CONTRACT.md section 2).

Safe by default: without DEBUG=1 this is production, which refuses to start without
a real SECRET_KEY and turns on every HTTPS/cookie protection `check --deploy` asks for.

Over ~400 lines on purpose: every setting and the environment variable behind it is read
top to bottom in one file; split per app, a reader would have to chase overrides across
modules.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production (DEBUG unset) refuses to start without a real "
            "secret key; set SECRET_KEY, or DEBUG=1 for development."
        )
    SECRET_KEY = "django-insecure-alur-development-only"  # noqa: S105 - DEBUG only
elif not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure")
):
    # The same bar as `check --deploy` (security.W009), enforced where it cannot be skipped.
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production: use at least 50 random characters, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)

PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[PUBLIC_BASE_URL])

INSTALLED_APPS = [
    # The admin grouped by what an office administrator manages (config/admin_site.py).
    "config.admin_site.AlurAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    # Only the engine: viewflow's base app (its pages, templates and bundled assets,
    # some of which it does not ship) is not installed, since Alur runs it headless.
    "axes",
    "viewflow.workflow",
    # Alur, lowest room first: imports only point upwards in this list.
    "core",
    "organization",
    "accounts",
    "services_catalog",
    "workflow",
    "skp",
    "tracking",
    "notifications",
    "documents",
    "feedback",
    "personnel",
    "attendance",
    "open311",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "config.middleware.ForbiddenCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A first login with an initial password goes to the password change page first.
    "accounts.middleware.ForcePasswordChangeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a login lockout into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # "Login terakhir" in the header of staff pages (the previous login).
                "core.context_processors.previous_login",
                "tracking.context_processors.counter",
                # The overdue badge beside "Staf" in the header.
                "workflow.context_processors.staff_overdue",
                "dashboard.context_processors.dashboard",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Statements prepared by config/prepared.py (Django prepares none) run their generic
# plan from the first run: PostgreSQL's own choice kept planning the staff queue's rows
# on every run (the generic plan's estimate was a little higher; it runs as fast).
_GENERIC_PLANS = "-c plan_cache_mode=force_generic_plan"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", _GENERIC_PLANS)
# A streaming replica for public status lookups only (config/dbrouters.py): optional.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"].update(
        CONN_MAX_AGE=DATABASES["default"].get("CONN_MAX_AGE", 0),
        CONN_HEALTH_CHECKS=True,
        TEST={"MIRROR": "default"},
    )
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("options", _GENERIC_PLANS)
DATABASE_ROUTERS = ["config.dbrouters.PublicReadReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
# The cache (and so every rate limit) is on Redis whenever there is one. CACHE_URL apart
# from REDIS_URL lets the test suite run them on its real Redis while tasks stay in-process.
CACHE_URL = env.str("CACHE_URL", default=REDIS_URL)
if CACHE_URL:
    # Fails open: with Redis down, cache and rate limits use this process's memory for a
    # few seconds at a time (one warning per outage), never a 5xx (core/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out username or address before any password check.
# Then ModelBackend with the signed-in user read as a prepared statement (it signs users
# in); Django's own stays listed for the sessions signed in before, which name it.
AUTHENTICATION_BACKENDS = [
    "config.authentication.LoginLockoutBackend",
    "accounts.backends.UserBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Django's database sessions, the row read as a prepared statement (accounts/sessions.py).
SESSION_ENGINE = "accounts.sessions"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/staf/"
LOGOUT_REDIRECT_URL = "/"

# Bahasa Indonesia first, English available.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="id")
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
# Uploaded documents are private: they are served only through permission-checked views.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Largest request body Django reads into memory / accepts; per-document limits live in
# the catalogue and are checked by the workflow (413).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
# SKP realisation and evaluation (README "SKP realisation and evaluation").
SKP_EVIDENCE_MAX_BYTES = env.int("SKP_EVIDENCE_MAX_BYTES", default=5 * 1024 * 1024)
SKP_QUOTA_WARN_ONLY = env.bool("SKP_QUOTA_WARN_ONLY", default=False)
SKP_HEAD_INCLUDES_NON_STRUCTURAL = env.bool("SKP_HEAD_INCLUDES_NON_STRUCTURAL", default=False)

# HR's Excel/CSV import (django-import-export, organization/admin_hr.py): one transaction,
# so a file with any bad row imports nothing. The uploaded file waits between preview and
# confirm in the temporary folder of this host (one host; several need a shared storage).
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# --- API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: an anonymous API call then gets 401 with `WWW-Authenticate: Token`
    # (who you are), keeping 403 for what you may not do.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.exceptions.api_exception_handler",
}
# Staff API tokens expire this long after they were issued (a new login issues a new one);
# DELETE /api/v1/auth/token/ revokes the caller's token, the admin revokes anyone's.
API_TOKEN_TTL_HOURS = env.float("API_TOKEN_TTL_HOURS", default=12)

# --- Rate limits (config.ratelimit: one mechanism, on the shared cache, failing open) -----
# "N/s|min|hour|day"; empty disables a limit.
TRACK_RATE_LIMIT = env.str("TRACK_RATE_LIMIT", default="60/min")  # per address, page and API
# The catalogue API per address (list, searches and details together): an app's first
# start reads the list and a few services, far below it.
CATALOGUE_RATE_LIMIT = env.str("CATALOGUE_RATE_LIMIT", default="120/min")
SUBMIT_RATE_LIMIT = env.str("SUBMIT_RATE_LIMIT", default="30/min")  # per address (or user)
TOKEN_RATE_LIMIT = env.str("TOKEN_RATE_LIMIT", default="20/min")  # API logins per address
WHATSAPP_INBOUND_RATE_LIMIT = env.str("WHATSAPP_INBOUND_RATE_LIMIT", default="10/min")
WHATSAPP_PHONE_RATE_LIMIT = env.str("WHATSAPP_PHONE_RATE_LIMIT", default="20/hour")
ATTENDANCE_RATE_LIMIT = env.str("ATTENDANCE_RATE_LIMIT", default="10/min")
# Public answers cached in the shared cache (invalidated on every change; see
# tracking/cache.py and services_catalog/cache.py): how long one may live at most.
TRACK_CACHE_SECONDS = env.int("TRACK_CACHE_SECONDS", default=600)
CATALOGUE_CACHE_SECONDS = env.int("CATALOGUE_CACHE_SECONDS", default=300)
# Where the client address comes from (config.clientip): X-Forwarded-For is believed only
# from these proxies, NUM_PROXIES hops from the right (the shipped nginx site: 1, loopback).
NUM_PROXIES = env.int("NUM_PROXIES", default=0 if DEBUG else 1)
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1/32", "::1/128"])

# Login lockout (django-axes) on /staf/masuk/, /admin/login/ and the API token: after
# LOGIN_FAILURE_LIMIT wrong passwords for one username, or from one address, further
# attempts are refused (429) for LOGIN_LOCKOUT_MINUTES, even with the right password.
# Counted in the database, so a Redis outage neither unlocks nor blocks anyone.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = env.float("LOGIN_LOCKOUT_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "config.clientip.client_address_for_axes"
AXES_LOCKOUT_CALLABLE = "config.authentication.lockout_response"
AXES_USERNAME_CALLABLE = "config.authentication.username_for_axes"
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False
SPECTACULAR_SETTINGS = {
    "TITLE": "Alur API",
    "DESCRIPTION": "Service catalogue, requests, tracking, staff tasks and SKP.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.openapi.polymorphic_any_of",
    ],
    # Swagger UI and ReDoc assets come from the drf-spectacular-sidecar package (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two choice sets share the field name "kind": name each.
    "ENUM_NAME_OVERRIDES": {
        "AttendanceKindEnum": "attendance.models.AttendanceRecord.Kind",
        "RhkKindEnum": "skp.models.Rhk.Kind",
        # rating_hasil_kerja and rating_perilaku share one scale (1..3, SIASN codes).
        "RatingEnum": "skp.rules.Rating",
        "RequestStatusEnum": "workflow.models.RequestStatus",
        "RequestEventKindEnum": "workflow.models.RequestEvent.Kind",
    },
}

# viewflow is used headless: its own pages are not mounted.
VIEWFLOW = {"AUTOREGISTER": False}

# --- Background work ---------------------------------------------------------------------
# Without REDIS_URL, tasks run in-process (eagerly, after commit), through the same code.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes the database connection before and after every task
# (celery#9824), so each WhatsApp delivery paid a new PostgreSQL connection (profiled:
# about half the worker's CPU per message). It closes only every this many tasks now;
# between them config.celery applies Django's own rules (CONN_MAX_AGE, a connection
# left in error, CONN_HEALTH_CHECKS), as a web request does.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=500)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Retry countdowns stay well below this, so a delayed task is never redelivered early.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "socket_connect_timeout": 3,
    "socket_timeout": 5,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}  # filled by config.celery from each app's schedule
# workflow: the flow's deadlines (viewflow timers): overdue steps, corrections not sent.
CELERY_BEAT_SCHEDULE["workflow-timers"] = {
    "task": "workflow.tasks.fire_workflow_timers",
    "schedule": 5 * 60,
}
# tracking: forget one-time application-form tokens after a day.
CELERY_BEAT_SCHEDULE["tracking-prune-form-submissions"] = {
    "task": "tracking.tasks.prune_form_submissions",
    "schedule": 24 * 60 * 60,
}

# attendance: attendance photos are deleted after the retention period (UU 27/2022).
CELERY_BEAT_SCHEDULE["attendance-purge-photos"] = {
    "task": "attendance.tasks.purge_photos",
    "schedule": 6 * 60 * 60,
}

# --- Attendance ----------------------------------------------------------------------------
# dlib's own threshold: two photos of one person are usually closer than 0.6.
FACE_MATCH_THRESHOLD = env.float("FACE_MATCH_THRESHOLD", default=0.6)
ATTENDANCE_PHOTO_RETENTION_DAYS = env.int("ATTENDANCE_PHOTO_RETENTION_DAYS", default=90)
ATTENDANCE_MAX_PHOTO_BYTES = env.int("ATTENDANCE_MAX_PHOTO_BYTES", default=10 * 1024 * 1024)
ATTENDANCE_PHOTO_SIDE = 480  # pixels of the kept copy (enough for a person to compare)
ATTENDANCE_MAX_CLOCK_SKEW_SECONDS = env.int("ATTENDANCE_MAX_CLOCK_SKEW_SECONDS", default=300)

# --- WhatsApp ----------------------------------------------------------------------------
WHATSAPP_BACKEND = env.str("WHATSAPP_BACKEND", default="console")
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_WHATSAPP_FROM = env.str("TWILIO_WHATSAPP_FROM", default="")
TWILIO_API_BASE_URL = env.str("TWILIO_API_BASE_URL", default="https://api.twilio.com").rstrip("/")
TWILIO_SEND_RATE = env.int("TWILIO_SEND_RATE", default=80)  # messages per second per sender
WHATSAPP_SEND_RATE_LIMIT = f"{TWILIO_SEND_RATE}/s" if TWILIO_SEND_RATE > 0 else ""
TWILIO_HTTP_TIMEOUT = env.float("TWILIO_HTTP_TIMEOUT", default=10.0)
# Approved WhatsApp templates per message kind, used outside the 24-hour window, e.g.
# {"submitted": "HX...", "returned": "HX..."}; the admin's message templates can also set one.
TWILIO_CONTENT_SIDS = env.json("TWILIO_CONTENT_SIDS", default={})
# Delivery (notifications): retries, and when the sweeper steps in.
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=8)
NOTIFICATIONS_RETRY_BASE_SECONDS = env.float("NOTIFICATIONS_RETRY_BASE_SECONDS", default=2.0)
NOTIFICATIONS_RETRY_MAX_SECONDS = env.float("NOTIFICATIONS_RETRY_MAX_SECONDS", default=300.0)
NOTIFICATIONS_LOST_AFTER_SECONDS = env.float("NOTIFICATIONS_LOST_AFTER_SECONDS", default=60.0)
NOTIFICATIONS_SENDING_TIMEOUT_SECONDS = env.float(
    "NOTIFICATIONS_SENDING_TIMEOUT_SECONDS", default=120.0
)
# While delivery tasks wait in the broker, the sweeper trusts a dispatched row to be among
# them this long before it dispatches the row again (services_delivery.outbox_sweep).
NOTIFICATIONS_BACKLOG_TRUST_SECONDS = env.float(
    "NOTIFICATIONS_BACKLOG_TRUST_SECONDS", default=600.0
)
CELERY_BEAT_SCHEDULE["notifications-sweep-outbox"] = {
    "task": "notifications.tasks.sweep_outbox",
    "schedule": env.float("NOTIFICATIONS_SWEEP_SECONDS", default=60.0),
}

# Extra panels on the staff request page, contributed by higher rooms (e.g. the
# WhatsApp messages sent for the request): dotted paths of callables
# (http_request, service_request) -> HTML, so `workflow` never imports them.
STAFF_REQUEST_PANELS: list[str] = [
    "documents.panels.letter_panel",
    "notifications.panels.message_panel",
]
# The same for the applicant's own request page (with the access token): callables
# `(http_request or None, service_request) -> HTML` from the feature rooms.
APPLICANT_REQUEST_PANELS: list[str] = [
    "documents.panels.applicant_verification_panel",
]

# --- Result documents (documents/) ---------------------------------------------------------
# Office code (or "*") -> {"pkcs12": path, "passphrase": ...}: the certificate that signs
# the office's result letters (PAdES). JSON in the environment.
DOCUMENT_SIGNING_KEYS = env.json("DOCUMENT_SIGNING_KEYS", default={})
# Development only: `manage.py seed_letters` (run by `make run`) writes a self-signed
# certificate here, used when DEBUG is on and no key is configured. Never in production.
DEV_SIGNING_PKCS12 = BASE_DIR / ".dev-signing" / "office.p12"
DEV_SIGNING_PASSPHRASE = "alur-dev"  # noqa: S105 - a throw-away development key
if DEBUG and not DOCUMENT_SIGNING_KEYS:
    DOCUMENT_SIGNING_KEYS = {
        "*": {"pkcs12": str(DEV_SIGNING_PKCS12), "passphrase": DEV_SIGNING_PASSPHRASE}
    }
VERIFY_RATE_LIMIT = env.str("VERIFY_RATE_LIMIT", default="60/min")
COMPLAINT_RATE_LIMIT = env.str("COMPLAINT_RATE_LIMIT", default="10/min")

# --- Personnel (SIASN) -------------------------------------------------------------------
# Largest SIASN export the HR page accepts (a 50,000-row "Export Data ASN" is ~30 MB).
SIASN_IMPORT_MAX_BYTES = env.int("SIASN_IMPORT_MAX_BYTES", default=200 * 1024 * 1024)
# The SIASN web services (read-only), for agencies holding BKN credentials; off while
# SIASN_API_BASE_URL or the credentials are unset. Training: training-apimws.bkn.go.id.
SIASN_API_BASE_URL = env.str("SIASN_API_BASE_URL", default="")
SIASN_TOKEN_URL = env.str("SIASN_TOKEN_URL", default="https://apimws.bkn.go.id/oauth2/token")
SIASN_SSO_TOKEN_URL = env.str(
    "SIASN_SSO_TOKEN_URL",
    default="https://sso-siasn.bkn.go.id/auth/realms/public-siasn/protocol/openid-connect/token",
)
SIASN_CONSUMER_KEY = env.str("SIASN_CONSUMER_KEY", default="")
SIASN_CONSUMER_SECRET = env.str("SIASN_CONSUMER_SECRET", default="")
SIASN_SSO_CLIENT_ID = env.str("SIASN_SSO_CLIENT_ID", default="")
SIASN_SSO_USERNAME = env.str("SIASN_SSO_USERNAME", default="")
SIASN_SSO_PASSWORD = env.str("SIASN_SSO_PASSWORD", default="")
SIASN_HTTP_TIMEOUT = env.float("SIASN_HTTP_TIMEOUT", default=15.0)

# --- Open311 GeoReport v2 --------------------------------------------------------------------
# Reads (services, requests, tokens) per client address; each API client files requests at
# its own rate (set in the admin).
OPEN311_RATE_LIMIT = env.str("OPEN311_RATE_LIMIT", default="60/min")

# --- Demo --------------------------------------------------------------------------------
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="alur-demo-2026")
# Demo rows of higher rooms, loaded by seed_demo after the organisation and catalogue.
DEMO_LOADERS = ["attendance.demo.demo_load"]

# --- Security (production behind a TLS-terminating proxy) --------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Scripts, styles, images and fonts from this site only; no inline script or handler
# (static/js/page.js carries the few behaviours pages share). `data:` images are the
# swagger UI's icons; inline SVG (the receipt's QR code) needs nothing.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Probes talk to the app server directly, without the proxy's X-Forwarded-Proto.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
