"""Attempts of contestants who never come back are closed by the worker at their deadline."""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.utils import timezone

from portal.celery import app as celery_app
from quizzes.models import Attempt, Round, Standing
from quizzes.services.contests import contest_attempt_start
from quizzes.tasks import attempts_expire_overdue_task, rounds_close_due_task
from tests.factories.quizzes import RegistrationFactory
from tests.site.test_celery import close_worker_connections, requires_broker


@requires_broker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_scheduled_expiry_runs_in_the_worker(contest):
    round_ = contest.rounds.get()
    round_.assessment.grace_seconds = 0
    round_.assessment.save()
    Round.objects.filter(pk=round_.pk).update(
        closes_at=timezone.now() + datetime.timedelta(seconds=2)
    )
    round_.refresh_from_db()
    registration = RegistrationFactory(contest=contest)
    celery_app.conf.task_always_eager = False
    task_postrun.connect(close_worker_connections)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            attempt, started = contest_attempt_start(round_=round_, user=registration.user)
            assert started and attempt.deadline <= round_.closes_at
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if Attempt.objects.get(pk=attempt.pk).status != "in_progress":
                    break
                time.sleep(0.2)
    finally:
        celery_app.conf.task_always_eager = True
        task_postrun.disconnect(close_worker_connections)
    attempt.refresh_from_db()
    assert attempt.status == "expired"
    assert Standing.objects.get().attempt_id == attempt.pk


@pytest.mark.django_db
def test_beat_tasks_close_overdue_attempts_and_ended_rounds(contest):
    round_ = contest.rounds.get()
    registration = RegistrationFactory(contest=contest)
    attempt, _ = contest_attempt_start(round_=round_, user=registration.user)
    past = timezone.now() - datetime.timedelta(minutes=30)
    Attempt.objects.update(deadline=past, started_at=past - datetime.timedelta(minutes=20))
    Round.objects.update(closes_at=past)
    assert attempts_expire_overdue_task.delay().get() == 1
    assert rounds_close_due_task.delay().get() == 1
    assert rounds_close_due_task.delay().get() == 0
    round_.refresh_from_db()
    assert round_.ranked_at is not None and round_.prediction_actual == 0
    assert Standing.objects.get().rank == 1
