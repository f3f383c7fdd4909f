"""Races on PostgreSQL: functions started at the same moment in threads, each with its own
database connection. Test modules take `POSTGRES_RACES` as their marks."""

import threading

import pytest
from django.db import connection, connections

POSTGRES_RACES = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"
    ),
]
# The PostgreSQL server is shared (max_connections 100): at most this many threads hold a
# connection at once; all of them are released together and still fight for the same rows.
MAX_CONNECTIONS = 30


def run_together(*functions, limit: int = MAX_CONNECTIONS):
    """Starts the functions at the same moment in threads; returns results or exceptions.
    Fails when a thread is still running after two minutes (a deadlock)."""
    barrier = threading.Barrier(len(functions))
    gate = threading.BoundedSemaphore(limit)
    results = [None] * len(functions)

    def call(i, fn):
        try:
            barrier.wait()
            with gate:
                try:
                    results[i] = fn()
                finally:
                    connections.close_all()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[i] = exc

    threads = [threading.Thread(target=call, args=(i, fn)) for i, fn in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return results
