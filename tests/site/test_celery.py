"""Tasks go through the real broker to a real worker when one is configured."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.core import mail
from django.db import connections

from portal.celery import app as celery_app
from portal.feedback.models import FeedbackSubmission

requires_broker = pytest.mark.skipif(
    settings.CELERY_BROKER_URL == "memory://",
    reason="no CELERY_BROKER_URL or REDIS_URL: tasks run in-process",
)


def close_worker_connections(**kwargs):
    connections.close_all()


def test_without_broker_tasks_run_in_process():
    if settings.CELERY_BROKER_URL == "memory://":
        assert celery_app.conf.task_always_eager is True
    else:
        assert celery_app.conf.broker_url.startswith(("redis://", "rediss://", "amqp://"))


@requires_broker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_feedback_email_travels_through_broker_and_worker(client, feedback_page):
    celery_app.conf.task_always_eager = False
    # The worker thread's database connection must not outlive the test (test DB teardown).
    task_postrun.connect(close_worker_connections)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            response = client.post(
                feedback_page.url,
                {
                    "ho_va_ten": "Võ Văn Tám",
                    "email": "tam@example.vn",
                    "noi_dung_gop_y": "Góp ý qua hàng đợi.",
                    "website": "",
                },
            )
            assert response.status_code == 200
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not mail.outbox:
                time.sleep(0.1)
    finally:
        celery_app.conf.task_always_eager = True
        task_postrun.disconnect(close_worker_connections)
    assert len(mail.outbox) == 1
    assert "Góp ý qua hàng đợi." in mail.outbox[0].body
    assert FeedbackSubmission.objects.get().emailed_at is not None


def test_redis_visibility_timeout_outlasts_every_scheduled_task():
    """Redis redelivers a task still unacknowledged after the visibility timeout, ETA tasks
    included: the longest wait (a transfer's payment deadline) must fit inside it."""
    longest = max(settings.MARKETPLACE_PAYMENT_TIMEOUT_MINUTES.values()) * 60
    assert celery_app.conf.broker_transport_options["visibility_timeout"] > longest
