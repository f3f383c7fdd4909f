"""`cds_fold(text)` in SQLite: `search.folding.fold` callable from SQL, so that triggers fold
what they index (Wagtail's own FTS5 index). Registered on every SQLite connection."""

from django.db.backends.signals import connection_created

from .folding import fold


def _fold(value):
    return None if value is None else fold(str(value))


def register(dbapi_connection) -> None:
    dbapi_connection.create_function("cds_fold", 1, _fold, deterministic=True)


def on_connection_created(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        register(connection.connection)


def connect() -> None:
    """Registers on future connections and on any already open."""
    from django.db import connections

    connection_created.connect(on_connection_created, dispatch_uid="search_sqlite_fold")
    for connection in connections.all(initialized_only=True):
        if connection.vendor == "sqlite" and connection.connection is not None:
            register(connection.connection)
