"""/healthz reports each dependency; a stopped Redis makes it answer 503."""

import shutil
import socket
import subprocess
import time

import pytest
from kombu import pools as kombu_pools

from portal.celery import app as celery_app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def point_at_redis(settings, url):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.CELERY_BROKER_URL = url
    celery_app.conf.broker_url = url
    reset_broker_pools()


def reset_broker_pools():
    """Drops the pooled broker connections so the next task opens one to the current URL.

    Closing the pool alone is not enough: kombu keeps the closed pool in its registry, and
    Celery 5.7 takes a producer from it even for eager tasks ("Acquire on closed pool").
    """
    kombu_pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def restore_celery_broker():
    original = celery_app.conf.broker_url
    yield
    celery_app.conf.broker_url = original
    reset_broker_pools()


@pytest.mark.django_db
def test_healthz_is_ok_with_configured_services(client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"
    assert body["checks"]["broker"] in ("ok", "in-process")


@pytest.mark.django_db
def test_healthz_reports_unreachable_redis_as_down(client, settings, restore_celery_broker):
    point_at_redis(settings, f"redis://127.0.0.1:{free_port()}/0")
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "down"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"].startswith("down")
    assert body["checks"]["broker"].startswith("down")


@pytest.mark.django_db
@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_healthz_follows_a_real_redis_that_stops(client, settings, tmp_path, restore_celery_broker):
    port = free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        point_at_redis(settings, f"redis://127.0.0.1:{port}/0")
        up = client.get("/healthz")
        assert up.status_code == 200, up.json()
        assert up.json()["checks"] == {"database": "ok", "cache": "ok", "broker": "ok"}
    finally:
        server.terminate()
        server.wait(timeout=10)
    down = client.get("/healthz")
    assert down.status_code == 503
    assert down.json()["checks"]["cache"].startswith("down")
    assert down.json()["checks"]["broker"].startswith("down")
