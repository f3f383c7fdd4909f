"""Races on PostgreSQL: each ends in one consistent state (threads with their own connections)."""

import datetime

import pytest
from django.utils import timezone

from quizzes.errors import AttemptClosed
from quizzes.models import Attempt, AttemptAnswer, AttemptEvent, Choice, Standing
from quizzes.services.attempts import (
    attempt_answer_save,
    attempt_expire,
    attempt_start,
    attempt_submit,
)
from tests.concurrency import POSTGRES_RACES, run_together
from tests.factories.quizzes import AssessmentFactory, RegistrationFactory, RoundFactory

pytestmark = POSTGRES_RACES


@pytest.fixture
def entrant(contest_index, question_bank):
    from tests.factories.quizzes import ContestPageFactory

    contest = ContestPageFactory(parent=contest_index)
    round_ = RoundFactory(contest=contest, assessment=AssessmentFactory(questions=5))
    registration = RegistrationFactory(contest=contest)
    return round_, registration.user


def test_two_tabs_starting_make_one_attempt(entrant):
    round_, user = entrant
    results = run_together(
        *[lambda: attempt_start(assessment=round_.assessment, user=user) for _ in range(4)]
    )
    attempts = {attempt.pk for attempt, _started in results}
    assert len(attempts) == 1
    assert Attempt.objects.count() == 1
    assert sum(started for _a, started in results) == 1


def test_double_submit_gives_one_submission(entrant):
    round_, user = entrant
    attempt, _ = attempt_start(assessment=round_.assessment, user=user)
    q = attempt.question_ids[0]
    attempt_answer_save(
        public_id=attempt.public_id,
        user=user,
        question_id=q,
        choice_ids=[Choice.objects.get(question_id=q, is_correct=True).pk],
    )
    results = run_together(
        *[lambda: attempt_submit(public_id=attempt.public_id, user=user) for _ in range(3)]
    )
    assert {r.finished_at for r in results} == {Attempt.objects.get().finished_at}
    assert AttemptEvent.objects.filter(kind="submit").count() == 1
    assert Standing.objects.get().score == 1


def test_auto_close_racing_a_manual_submit(entrant):
    round_, user = entrant
    attempt, _ = attempt_start(assessment=round_.assessment, user=user)
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - datetime.timedelta(seconds=31)
    )
    results = run_together(
        lambda: attempt_submit(public_id=attempt.public_id, user=user),
        lambda: attempt_expire(attempt_id=attempt.pk),
    )
    assert not any(isinstance(r, Exception) for r in results), results
    final = Attempt.objects.get()
    assert final.status == "expired"  # past deadline + grace: closed, whoever came first
    assert AttemptEvent.objects.filter(kind__in=["submit", "auto_close"]).count() == 1
    assert Standing.objects.count() == 1


def test_saves_racing_the_deadline_end_consistent(entrant):
    round_, user = entrant
    attempt, _ = attempt_start(assessment=round_.assessment, user=user)
    # The grace period ends now: some saves land before, the expiry and later saves after.
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - datetime.timedelta(seconds=29, milliseconds=950)
    )

    def save(q):
        return lambda: attempt_answer_save(
            public_id=attempt.public_id,
            user=user,
            question_id=q,
            choice_ids=[Choice.objects.get(question_id=q, is_correct=True).pk],
        )

    results = run_together(*[save(q) for q in attempt.question_ids])
    final = Attempt.objects.get()
    stored = AttemptAnswer.objects.filter(attempt=final).count()
    refused = sum(isinstance(r, AttemptClosed) for r in results)
    assert stored + refused == len(attempt.question_ids)
    if final.status == "expired":
        assert final.score == stored  # graded on exactly what was committed before it closed
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, AttemptClosed)]
