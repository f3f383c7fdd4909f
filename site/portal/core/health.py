"""Checks behind /healthz: each answers "ok", "down: <reason>" or, for the broker, "in-process"."""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection

OK = "ok"
IN_PROCESS = "in-process"


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means the database is down
        return f"down: {type(exc).__name__}"
    return OK


def cache_status() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=10)
        value = cache.get(key)
        cache.delete(key)
    except Exception as exc:  # noqa: BLE001
        return f"down: {type(exc).__name__}"
    return OK if value == "1" else "down: value not stored"


def broker_status() -> str:
    """Connects to the Celery broker; "in-process" when tasks run eagerly with no broker."""
    from portal.celery import app

    if app.conf.task_always_eager and settings.CELERY_BROKER_URL == "memory://":
        return IN_PROCESS
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return f"down: {type(exc).__name__}"
    return OK


def health_report() -> tuple[bool, dict[str, str]]:
    checks = {
        "database": database_status(),
        "cache": cache_status(),
        "broker": broker_status(),
    }
    healthy = all(status in (OK, IN_PROCESS) for status in checks.values())
    return healthy, checks
