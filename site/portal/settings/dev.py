"""Local development: DEBUG on, console email, tasks in-process unless a broker is configured."""

from .base import *

DEBUG = DEBUG_FROM_ENV is not False
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
