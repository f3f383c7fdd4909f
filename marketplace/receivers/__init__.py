"""Signal receivers of the marketplace: thin, each calls one service."""

from . import roles  # noqa: F401
