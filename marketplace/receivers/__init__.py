"""Signal receivers of the marketplace: thin, each calls one service."""

from . import catalogue, roles  # noqa: F401
