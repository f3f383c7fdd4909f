"""Production: refuses to start with unsafe values; `manage.py check --deploy` is clean."""

from django.core.exceptions import ImproperlyConfigured

from .base import *

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (unset DEBUG or set DEBUG=false).")
if (
    SECRET_KEY.startswith(INSECURE_SECRET_KEY_PREFIX)
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "SECRET_KEY is missing or insecure: set at least 50 random characters "
        "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )
if len(CONFIGURED_PERSONAL_DATA_KEY) < 32 or CONFIGURED_PERSONAL_DATA_KEY == SECRET_KEY:
    raise ImproperlyConfigured(
        "PERSONAL_DATA_KEY must be set to at least 32 random characters, different from "
        "SECRET_KEY; keep it safe: citizen IDs stored with it cannot be read without it."
    )
if not CONFIGURED_ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's host names in production.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Wagtail's live preview shows the page in a same-origin iframe, so DENY would break it.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]

STORAGES["staticfiles"] = {
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}
