"""Test runs: the same database and cache as configured (PostgreSQL/Redis or SQLite/local memory).

Celery runs tasks eagerly here so that a test sees their effect; the broker itself is exercised
by tests/site/test_celery.py with a real worker when CELERY_BROKER_URL or REDIS_URL is set.
"""

from .base import *

DEBUG = False
TESTING = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = VAR_DIR / "test-media"
# Cache keys of parallel or repeated runs must not collide on a shared Redis.
if REDIS_URL:
    CACHES["default"]["KEY_PREFIX"] = "cds-test"
WAGTAILADMIN_BASE_URL = "http://testserver"
# Static files come from the app folders (no collectstatic before tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Threads (live server, Celery test worker) must not keep connections open past a test.
DATABASES["default"]["CONN_MAX_AGE"] = 0
PRIVATE_ROOT = VAR_DIR / "test-private"
