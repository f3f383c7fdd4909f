"""Production settings served over plain HTTP on loopback, plus the bench's trivial view."""

import os

from portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False

# The xAPI benchmark's learners post statements back to back, far faster than a person plays:
# it raises the per-user limit of courses/api.py (240 a minute by default) through this variable.
# The video limit stays the application's default.
if os.environ.get("COURSES_XAPI_PER_USER"):
    COURSES_RATE_LIMITS = {
        "xapi": (int(os.environ["COURSES_XAPI_PER_USER"]), 60),
        "video": (60, 60),
    }
