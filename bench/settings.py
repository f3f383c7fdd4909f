"""Production settings served over plain HTTP on loopback, plus the bench's trivial view."""

from portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False
