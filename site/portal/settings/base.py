"""Settings shared by every environment.

Every value that differs between deployments is read from the environment here, and only here.
dev.py, test.py and production.py adjust defaults and add checks; they read nothing new.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

PORTAL_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PORTAL_DIR.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# Marks a key that must never reach production (production.py refuses it).
INSECURE_SECRET_KEY_PREFIX = "django-insecure-"  # noqa: S105 - a marker, not a secret

# None when unset: dev.py turns DEBUG on unless it is explicitly set.
DEBUG_FROM_ENV = env.bool("DEBUG", default=None)
DEBUG = bool(DEBUG_FROM_ENV)
TESTING = False
SECRET_KEY = env("SECRET_KEY", default=INSECURE_SECRET_KEY_PREFIX + "local-development-only")
CONFIGURED_ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
ALLOWED_HOSTS = CONFIGURED_ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASE_URL = env("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
EMAIL_URL = env("EMAIL_URL", default="consolemail://")
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
# Bank-transaction notifications (VietQR transfers) are HMAC-SHA256 signed with this secret.
BANK_WEBHOOK_SECRET = env("BANK_WEBHOOK_SECRET", default="")
# Keys for personal data at rest (citizen IDs); changing it makes stored ones unreadable.
CONFIGURED_PERSONAL_DATA_KEY = env("PERSONAL_DATA_KEY", default="")
PERSONAL_DATA_KEY = CONFIGURED_PERSONAL_DATA_KEY or SECRET_KEY + ":personal-data"
# The province running the portal (2025 code; 86 = Vĩnh Long): default for address forms.
PORTAL_PROVINCE_CODE = env.int("PORTAL_PROVINCE_CODE", default=86)
SITE_BASE_URL = env("SITE_BASE_URL", default="http://127.0.0.1:8000")
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
# Files only the application may hand out, after a permission check: H5P content, certificates.
PRIVATE_ROOT = Path(env("PRIVATE_ROOT", default=str(VAR_DIR / "private")))

INSTALLED_APPS = [
    "portal.core",
    "portal.users",
    "portal.organisations",
    "portal.locations",
    "portal.home",
    "portal.news",
    "portal.pages",
    "portal.feedback",
    "quizzes",
    "courses",
    "marketplace",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "portal.users.apps.PortalWagtailUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PORTAL_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "marketplace.context_processors.cart",
            ],
        },
    },
]

DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cds",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: a broker when one is configured; otherwise tasks run in-process, at once.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "max_retries": 2}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
# Safety nets for attempts whose own expiry task was lost, and for rounds that have ended.
CELERY_BEAT_SCHEDULE = {
    "quizzes-expire-overdue-attempts": {
        "task": "quizzes.tasks.attempts_expire_overdue_task",
        "schedule": 60.0,
    },
    "quizzes-close-due-rounds": {"task": "quizzes.tasks.rounds_close_due_task", "schedule": 60.0},
    # Staff who joined a unit, and new yearly cycles, get their enrolments; then reminders.
    "courses-sync-assignments": {
        "task": "courses.tasks.assignments_sync_all_task",
        "schedule": crontab(hour=1, minute=0),
    },
    "courses-send-reminders": {
        "task": "courses.tasks.reminders_send_task",
        "schedule": crontab(hour=7, minute=30),
    },
    # OCOP badges of expired certificates come off; producers hear 30 days before.
    "marketplace-certificates-expiry": {
        "task": "marketplace.tasks.certificates_expiry_task",
        "schedule": crontab(hour=0, minute=30),
    },
    # Safety net for unpaid transfer/card orders whose own expiry task was lost.
    "marketplace-expire-unpaid-orders": {
        "task": "marketplace.tasks.orders_expire_unpaid_task",
        "schedule": 300.0,
    },
    # Safety net for index changes whose task was lost or ran out of retries.
    "search-index-pending": {"task": "search.tasks.index_pending_task", "schedule": 60.0},
}
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"

vars().update(env.email_url_config(EMAIL_URL))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Cổng CĐS <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_USER_MODEL = "users.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"

# Vietnamese first, English second; dates dd/mm/yyyy through our own format module.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PORTAL_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [
    PORTAL_DIR / "static",
    # The H5P player (npm h5p-standalone, installed by `make install`), served as our own files.
    ("h5p-player", BASE_DIR / "node_modules" / "h5p-standalone" / "dist"),
]
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Requests larger than this are refused before a view sees them (feedback spam, oversized posts).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

WAGTAIL_SITE_NAME = "Cổng thông tin Chuyển đổi số"
WAGTAILADMIN_BASE_URL = SITE_BASE_URL
WAGTAIL_I18N_ENABLED = False
# No outside services: avatars are uploaded or initials, never fetched from Gravatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Search (search/): Elasticsearch when ELASTICSEARCH_URL is set, else the database engine.
SEARCH_ENGINE = "elasticsearch" if ELASTICSEARCH_URL else "database"
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", default="cds_")
ELASTICSEARCH_TIMEOUT = env.float("ELASTICSEARCH_TIMEOUT", default=3.0)
# Wagtail's own search (the admin): accent-insensitive on every engine (search.admin_backend).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.admin_backend"}}
if ELASTICSEARCH_URL:
    from search.engines.es_documents import wagtail_index_settings

    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.admin_backend",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": ELASTICSEARCH_INDEX_PREFIX + "wagtail_",
            "TIMEOUT": 5,
            "INDEX_SETTINGS": wagtail_index_settings(),
        }
    }

# Feedback form spam limits: submissions per client address per window.
FEEDBACK_RATE_LIMIT = env.int("FEEDBACK_RATE_LIMIT", default=5)
FEEDBACK_RATE_WINDOW_SECONDS = env.int("FEEDBACK_RATE_WINDOW_SECONDS", default=3600)
FEEDBACK_MAX_MESSAGE_LENGTH = 5000

# Demo content of the apps built on the site, run by `seed_demo` after the site's own.
DEMO_SEEDERS = [
    "quizzes.demo.contest_demo_seed",
    "courses.demo.courses_demo_seed",
    "marketplace.demo.marketplace_demo_seed",
    "search.demo.search_demo_seed",  # last: indexes all of the above
]

# H5P packages: limits checked before anything is unpacked (zip bombs), per Lumi's defaults.
H5P_MAX_PACKAGE_BYTES = env.int("H5P_MAX_PACKAGE_BYTES", default=64 * 1024 * 1024)
H5P_MAX_FILE_BYTES = env.int("H5P_MAX_FILE_BYTES", default=16 * 1024 * 1024)
H5P_MAX_FILES = env.int("H5P_MAX_FILES", default=2000)

# Contest abuse controls: (hits, window in seconds) per user and per client address. A whole
# office may sit behind one address, so the per-address limits are generous.
QUIZ_RATE_LIMITS = {
    "register_ip": (env.int("QUIZ_REGISTER_PER_IP", default=30), 3600),
    "start_user": (20, 600),
    "start_ip": (env.int("QUIZ_START_PER_IP", default=600), 600),
    "save_user": (300, 60),
    "save_ip": (env.int("QUIZ_SAVE_PER_IP", default=6000), 60),
}

# OCOP marketplace.
# The catalogue's engine (filters, counts, sorting): the search's, which matches text through the
# search engine and browses from the database.
MARKETPLACE_CATALOGUE_ENGINE = env(
    "MARKETPLACE_CATALOGUE_ENGINE", default="search.catalogue.SearchCatalogue"
)
# Upper bound on the age of cached facet counts (any product change drops them at once anyway).
MARKETPLACE_CATALOGUE_FACETS_CACHE_SECONDS = env.int(
    "MARKETPLACE_CATALOGUE_FACETS_CACHE_SECONDS", default=300
)
# Minutes an unpaid transfer or card order holds its stock before it is cancelled.
MARKETPLACE_PAYMENT_TIMEOUT_MINUTES = {
    "vietqr": env.int("VIETQR_PAYMENT_TIMEOUT_MINUTES", default=120),
    "stripe": env.int("STRIPE_PAYMENT_TIMEOUT_MINUTES", default=60),
}
# With Redis as broker, a task scheduled further ahead than the visibility timeout is delivered
# again when that timeout passes; keep it beyond the longest payment deadline (an hour spare).
CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = max(
    3 * 3600, (max(MARKETPLACE_PAYMENT_TIMEOUT_MINUTES.values()) + 60) * 60
)
OCOP_CERTIFICATE_VALID_MONTHS = 36
OCOP_EXPIRY_NOTICE_DAYS = 30
MARKETPLACE_PHOTO_MAX_BYTES = 10 * 1024 * 1024
MARKETPLACE_PHOTOS_PER_PRODUCT = 8
MARKETPLACE_CERTIFICATE_MAX_BYTES = 10 * 1024 * 1024
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # Wagtail's own background jobs log every run at INFO; keep the console readable.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # In-process tasks (no broker) would log every run into the web or seed output.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
    },
}
