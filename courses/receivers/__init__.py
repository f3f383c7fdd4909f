"""Signal receivers: thin, each hands the event to one service or task."""

from . import pages, roles, users  # noqa: F401
