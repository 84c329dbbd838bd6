"""Settings for the power-list portal, read from the environment.

Safe defaults: DEBUG is off unless asked for, there is no secret key outside DEBUG,
and without DATABASE_URL / REDIS_URL the portal runs on a SQLite file with Celery
tasks executed in-process (the `make run` demo). Production sets them all.
"""

import sys
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# --- Core -------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
# manage.py commands that read models and files but never sign, serve or store anything
# signed: they may run without a key (e.g. a migrations check on a bare checkout).
OFFLINE_COMMANDS = {"makemigrations", "showmigrations", "makemessages", "compilemessages", "help"}
if not SECRET_KEY and not DEBUG and sys.argv[0].endswith("manage.py") and sys.argv[1:2] and (
    sys.argv[1] in OFFLINE_COMMANDS
):
    SECRET_KEY = "offline-command-placeholder-never-used-for-signing"
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production needs SECRET_KEY in the environment "
            "(set DEBUG=1 for a development key)."
        )
    # A fixed development key, the same in every process, used only with DEBUG on.
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "guardian",
    "django_celery_beat",
    "axes",
    "csp",
    "powerlist",
    "riskpoints",
    "disclosure",
    "disclosure.opendata",
    "supervision",
    "captcha",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # NUL in a path, query string or form: 400 before any view (config/middleware.py).
    "config.middleware.RefuseNulMiddleware",
    # A public page's cache hit is answered here, before the staff middlewares (docs/disclosure.md).
    "disclosure.pages.PublicCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A password an administrator set must be changed before anything else.
    "powerlist.org.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "powerlist.context_processors.navigation",
                "powerlist.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions serialise writers, so the review log's hash chain
    # cannot fork on SQLite either (PostgreSQL uses row locks).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A read replica for public reads (config/db_router.py, docs/scale.md): the portal's
# public pages and the open data API read there; every write and all staff work stay on
# "default". Unset: one database, the router does nothing.
DATABASE_REPLICA_ALIAS = None
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    # Tests run against one test database: the replica alias mirrors it.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_REPLICA_ALIAS = "replica"
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]

# --- Auth and object permissions --------------------------------------------
AUTH_USER_MODEL = "powerlist.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses locked-out usernames/addresses before any password is checked.
    "config.auth.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: the public has no account
GUARDIAN_RAISE_403 = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "powerlist:workspace"
LOGOUT_REDIRECT_URL = "home"
# The password policy (docs/administration.md): at least 10 characters, not like the
# username, name or email, not a common password, not all digits. The forms show it.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["username", "display_name", "email"]},
    },
    {"NAME": "powerlist.org.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time ------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
# Uploaded and generated files (imports, exports, PDFs, open data) go through Django's
# storage API: local disk under MEDIA_ROOT by default; an S3-compatible store (MinIO,
# Ceph, a cloud bucket) through django-storages when AWS_STORAGE_BUCKET_NAME is set, so
# web and worker nodes can run on different machines (docs/scale.md).
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
            # Files are private: links are signed and expire; never overwrite a name.
            "querystring_auth": True,
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=3600),
            "file_overwrite": False,
            "default_acl": None,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Celery -----------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without Redis the tasks run in-process (the demo and the default test run).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TRACK_STARTED = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The operation record's daily checkpoints (docs/operation-record.md).
CELERY_BEAT_SCHEDULE = {
    "operation-record-checkpoint": {"task": "powerlist.record_checkpoint", "schedule": crontab(hour=1, minute=15)},
    # Limits fall due by the day: one pass after midnight raises the day's prompts and
    # cards (events raise theirs on arrival). docs/supervision.md
    "supervision-scan-open-cases": {"task": "supervision.scan_open_cases", "schedule": crontab(hour=0, minute=20)},
    # Open cases derived before their timeline state was kept get it, a bounded number a night.
    "supervision-state-backfill": {"task": "supervision.state_backfill", "schedule": crontab(hour=3, minute=10)},
    # Complaints accepted flag their powers' risk points for re-grading (docs/inspections.md).
    "supervision-riskpoints-fired-by-complaints": {"task": "supervision.flag_riskpoints_fired_by_complaints",
                                                    "schedule": crontab(hour=0, minute=40)},
    # The assessment's monthly publication on the public portal (docs/assessment.md).
    "supervision-assessment-publish-month": {"task": "supervision.assessment_publish_month",
                                              "schedule": crontab(day_of_month=1, hour=2, minute=30)},
    # Uploaded workbooks waiting in the import preview are kept IMPORT_UPLOAD_RETENTION_DAYS (docs/imports.md).
    "import-upload-cleanup": {"task": "powerlist.import_upload_cleanup", "schedule": crontab(hour=2, minute=40)},
    # Complainants' identities past the retention period (docs/complaints.md).
    "supervision-erase-complaint-identities": {"task": "supervision.complaint_identities_erase",
                                               "schedule": crontab(hour=2, minute=10)},
    # Recorded deferrals (暂缓公开) that reached their expected date: the clerks and the
    # office are reminded once (docs/non-disclosure.md).
    "disclosure-deferrals-due": {"task": "disclosure.deferrals_due", "schedule": crontab(hour=7, minute=30)},
    # PDFs whose worker died are queued again (docs/pdfs.md).
    "disclosure-pdf-reap": {"task": "disclosure.pdf_reap", "schedule": 60.0},
    # The case-event table's monthly partitions, three months ahead (docs/supervision.md).
    "supervision-event-partitions": {"task": "supervision.ensure_event_partitions",
                                     "schedule": crontab(hour=0, minute=5)},
    # The supervisors' board reads a rollup rebuilt every five minutes (docs/supervision.md).
    "supervision-board-rollup": {"task": "supervision.refresh_board_rollup", "schedule": crontab(minute="*/5")},
}
# Publication PDFs (docs/pdfs.md): a queue of their own if set; retry backoff base.
DISCLOSURE_PDF_QUEUE = env.str("DISCLOSURE_PDF_QUEUE", default="")
DISCLOSURE_PDF_RETRY_BASE_SECONDS = env.float("DISCLOSURE_PDF_RETRY_BASE_SECONDS", default=30)
# Regions whose operation record is chained per department instead of per region.
OPERATION_RECORD_SPLIT_REGIONS = env.list("OPERATION_RECORD_SPLIT_REGIONS", default=[])

CACHES = {
    "default": (
        {"BACKEND": "config.cache.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- REST API ---------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "config.throttling.ThrottledTokenAuthentication",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["config.throttling.AnonThrottle", "config.throttling.UserThrottle"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "权力清单管理门户 API",
    "DESCRIPTION": "Power-list portal API: powers, categories, reviews.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its doc pages describe the staff API: signed-in users only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # The intranet has no internet access: Swagger UI and Redoc are served from
    # static files (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Request bodies get their own components, so a required string says minLength: 1
    # (responses may carry empty strings; requests may not).
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation documents the 400/403/404/409/429 answers it can give (config/schema.py).
    # The open data API has its own public schema (/api/open/schema/, docs/open-data.md).
    "PREPROCESSING_HOOKS": ["disclosure.opendata.schema.staff_endpoints"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema.document_error_responses",
    ],
    # Choice sets that several models share, or whose field names collide across
    # apps ("state", "level", "kind"), get one stable name each in the schema.
    "ENUM_NAME_OVERRIDES": {
        "ReviewStateEnum": "powerlist.review.models.ReviewState",
        "ReviewActionEnum": "powerlist.review.models.ReviewAction",
        "RoleEnum": "powerlist.org.roles.Role",
        "RegionLevelEnum": "powerlist.org.models.Region.Level",
        "DepartmentKindEnum": "powerlist.org.models.Department.Kind",
        "FlowchartKindEnum": "powerlist.flowcharts.models.Flowchart.Kind",
        "ResponsibilityStageEnum": "powerlist.catalogue.responsibility.ResponsibilityStage",
        "StageEnum": "riskpoints.models.Stage",  # the name it had before ResponsibilityStage appeared
        "JobStateEnum": "powerlist.jobs.models.Job.State",
        "RiskLevelEnum": "riskpoints.models.RiskLevel",
        "CountermeasureKindEnum": "riskpoints.models.Countermeasure.Kind",
        "CountermeasureStateEnum": "riskpoints.models.Countermeasure.State",
    },
}

# --- Security ---------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# Reverse proxies in front of the portal that append to X-Forwarded-For (0: none, the
# client is REMOTE_ADDR). Login lockout and API throttling count by this address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Login lockout (django-axes, docs/security.md): LOGIN_FAILURE_LIMIT wrong passwords for one
# username (from anywhere) or from one address (for any usernames) lock that username or
# that address for LOGIN_COOLOFF_MINUTES; the login page and the admin login alike.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.auth.lockout_response"  # templates/registration/locked.html
AXES_CLIENT_IP_CALLABLE = "config.auth.client_ip"
AXES_ENABLED = env.bool("LOGIN_LOCKOUT_ENABLED", default=True)

# API throttling (config/throttling.py): per address for anonymous clients, per user for
# signed-in ones, and wrong tokens per address.
API_THROTTLE_ENABLED = env.bool("API_THROTTLE_ENABLED", default=True)
API_THROTTLE_RATES = {
    "anon": env.str("API_THROTTLE_ANON", default="60/min"),
    "user": env.str("API_THROTTLE_USER", default="1200/min"),
    "token_failure": env.str("API_THROTTLE_TOKEN_FAILURES", default="20/min"),
}
# The public open data API (disclosure/opendata/api.py): every client by address.
API_THROTTLE_RATES["open_data"] = env.str("API_THROTTLE_OPEN_DATA", default="120/min")
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = API_THROTTLE_RATES
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT
# JSON bodies nested deeper than this are a 400 (config/parsers.py).
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=32)

# Content-Security-Policy (django-csp 4): only the portal's own scripts and styles, plus
# inline blocks that carry the request's nonce; no plugins, no framing, forms post here only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Logging ----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- Email (notifications, docs/notifications.md) ---------------------------
# Notices are emailed only when EMAIL_HOST is set; with DEBUG the mail goes to the
# console unless EMAIL_BACKEND says otherwise.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="webmaster@localhost")
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend" if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
# The portal's address as users reach it, for links in emails ("https://portal.example.gov.cn").
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000" if DEBUG else "")

# --- Portal -----------------------------------------------------------------
PORTAL_NAME = _("权力清单管理门户")
# Upload limits for attachments (countermeasure documents, imports).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# Days an uploaded import workbook (and its preview) is kept before the nightly cleanup removes it.
IMPORT_UPLOAD_RETENTION_DAYS = env.int("IMPORT_UPLOAD_RETENTION_DAYS", default=2)
# Complaints from the public (docs/complaints.md): the Fernet key that encrypts the
# complainants' identities (check --deploy demands it; DEBUG has a development key),
# earlier keys still readable, and the public form's limits per client address.
COMPLAINT_IDENTITY_KEY = env.str("COMPLAINT_IDENTITY_KEY", default="")
COMPLAINT_IDENTITY_OLD_KEYS = env.list("COMPLAINT_IDENTITY_OLD_KEYS", default=[])
COMPLAINT_FILE_RATE = env.str("COMPLAINT_FILE_RATE", default="5/h")
COMPLAINT_TRACK_RATE = env.str("COMPLAINT_TRACK_RATE", default="20/h")
COMPLAINT_ATTACHMENTS_MAX = 3
CAPTCHA_FONT_SIZE = 30
CAPTCHA_LENGTH = 5
# Minutes a captcha stays valid: long enough to write a complaint.
CAPTCHA_TIMEOUT = 30
# CJK font for WeasyPrint and Graphviz (checked in ENVIRONMENT.md).
CJK_FONT_FAMILY = env.str("CJK_FONT_FAMILY", default="WenQuanYi Micro Hei")

# --- Open data (docs/open-data.md) -------------------------------------------
# The site's public address, written into bulk files and the DCAT catalogue built by
# workers (no request to take it from); empty: paths relative to the site.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="")
