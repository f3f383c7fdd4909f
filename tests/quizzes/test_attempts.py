"""The assessment engine: draw, save, submit, expiry, and the refusals that change nothing."""

import datetime
import random

import pytest
from django.utils import timezone

from quizzes.errors import (
    AttemptClosed,
    AttemptInvalidAnswer,
    AttemptLimitReached,
    AttemptNotFound,
    QuestionBankTooSmall,
)
from quizzes.models import Attempt, AttemptAnswer, AttemptEvent, Choice, Question
from quizzes.services.attempts import (
    attempt_answer_save,
    attempt_expire,
    attempt_start,
    attempt_submit,
    attempts_expire_overdue,
)
from tests.factories.quizzes import AssessmentFactory, QuestionFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def correct_choice(question_id):
    return Choice.objects.get(question_id=question_id, is_correct=True).pk


def wrong_choice(question_id):
    return Choice.objects.filter(question_id=question_id, is_correct=False).first().pk


def test_draw_is_stored_shuffled_and_has_no_duplicates(question_bank):
    assessment = AssessmentFactory(questions=10)
    attempt, started = attempt_start(
        assessment=assessment, user=UserFactory(), rng=random.Random(4)
    )
    assert started
    ids = attempt.question_ids
    assert len(ids) == len(set(ids)) == 10 == attempt.max_score
    assert set(ids) <= {q.pk for q in question_bank}
    orders = [item["c"] for item in attempt.draw]
    assert any(order != sorted(order) for order in orders)  # choices shuffled
    attempt.refresh_from_db()
    assert attempt.question_ids == ids
    assert attempt.deadline - attempt.started_at == datetime.timedelta(minutes=20)


def test_draw_refuses_a_bank_too_small(question_bank):
    assessment = AssessmentFactory(questions=31)
    with pytest.raises(QuestionBankTooSmall):
        attempt_start(assessment=assessment, user=UserFactory())
    assert not Attempt.objects.exists()


def test_inactive_questions_are_never_drawn(question_bank):
    Question.objects.filter(pk__in=[q.pk for q in question_bank[:25]]).update(is_active=False)
    attempt, _ = attempt_start(assessment=AssessmentFactory(questions=5), user=UserFactory())
    assert set(attempt.question_ids) == {q.pk for q in question_bank[25:]}


def test_start_twice_resumes_the_same_attempt(question_bank):
    assessment, user = AssessmentFactory(), UserFactory()
    first, _ = attempt_start(assessment=assessment, user=user)
    second, started = attempt_start(assessment=assessment, user=user)
    assert (second.pk, started) == (first.pk, False)
    assert Attempt.objects.count() == 1


def test_save_is_idempotent_and_submit_grades(question_bank):
    assessment, user = AssessmentFactory(questions=4), UserFactory()
    attempt, _ = attempt_start(assessment=assessment, user=user)
    q1, q2, q3, _q4 = attempt.question_ids
    for _ in range(3):
        attempt_answer_save(
            public_id=attempt.public_id, user=user, question_id=q1, choice_ids=[correct_choice(q1)]
        )
    attempt_answer_save(
        public_id=attempt.public_id, user=user, question_id=q2, choice_ids=[wrong_choice(q2)]
    )
    attempt_answer_save(
        public_id=attempt.public_id, user=user, question_id=q3, choice_ids=[correct_choice(q3)]
    )
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 3
    done = attempt_submit(public_id=attempt.public_id, user=user)
    assert (done.status, done.score, done.max_score) == ("submitted", 2, 4)
    again = attempt_submit(public_id=attempt.public_id, user=user)
    assert (again.finished_at, again.score) == (done.finished_at, 2)
    assert AttemptEvent.objects.filter(attempt=attempt, kind="submit").count() == 1


def test_multiple_choice_needs_the_exact_set(db):
    question = QuestionFactory(kind=Question.Kind.MULTIPLE, choices=4, choices__correct=2)
    assessment, user = AssessmentFactory(questions=1), UserFactory()
    attempt, _ = attempt_start(assessment=assessment, user=user)
    right = list(question.choices.filter(is_correct=True).values_list("pk", flat=True))
    attempt_answer_save(
        public_id=attempt.public_id, user=user, question_id=question.pk, choice_ids=right[:1]
    )
    assert attempt_submit(public_id=attempt.public_id, user=user).score == 0
    attempt2, _ = attempt_start(assessment=assessment, user=user)
    attempt_answer_save(
        public_id=attempt2.public_id, user=user, question_id=question.pk, choice_ids=right
    )
    assert attempt_submit(public_id=attempt2.public_id, user=user).score == 1


@pytest.mark.parametrize(
    "payload",
    [
        {"question_id": 999_999, "choice_ids": []},  # not in the draw
        {"question_id": "1", "choice_ids": []},  # not an integer
        {"question_id": None, "choice_ids": [999_999]},  # choice of another question
        {"question_id": None, "choice_ids": "abc"},
        {"question_id": None, "choice_ids": "two"},  # two choices for a single-choice question
    ],
)
def test_forged_answers_are_refused_and_change_nothing(question_bank, payload):
    assessment, user = AssessmentFactory(questions=3), UserFactory()
    attempt, _ = attempt_start(assessment=assessment, user=user)
    q = attempt.question_ids[0]
    question_id = q if payload["question_id"] is None else payload["question_id"]
    choice_ids = payload["choice_ids"]
    if choice_ids == "two":
        choice_ids = attempt.draw[0]["c"][:2]
    with pytest.raises(AttemptInvalidAnswer):
        attempt_answer_save(
            public_id=attempt.public_id, user=user, question_id=question_id, choice_ids=choice_ids
        )
    assert not AttemptAnswer.objects.exists()


def test_someone_elses_attempt_is_not_found(question_bank):
    attempt, _ = attempt_start(assessment=AssessmentFactory(), user=UserFactory())
    intruder = UserFactory()
    with pytest.raises(AttemptNotFound):
        attempt_answer_save(
            public_id=attempt.public_id,
            user=intruder,
            question_id=attempt.question_ids[0],
            choice_ids=[],
        )
    with pytest.raises(AttemptNotFound):
        attempt_submit(public_id=attempt.public_id, user=intruder)
    assert Attempt.objects.get().status == "in_progress"


def test_save_after_deadline_and_grace_is_refused_and_expires(question_bank):
    assessment, user = AssessmentFactory(questions=2), UserFactory()
    attempt, _ = attempt_start(assessment=assessment, user=user)
    q = attempt.question_ids[0]
    attempt_answer_save(
        public_id=attempt.public_id, user=user, question_id=q, choice_ids=[correct_choice(q)]
    )
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=21),
        deadline=timezone.now() - datetime.timedelta(seconds=31),
    )
    with pytest.raises(AttemptClosed):
        attempt_answer_save(
            public_id=attempt.public_id, user=user, question_id=q, choice_ids=[wrong_choice(q)]
        )
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score) == ("expired", 1)
    expected = (attempt.deadline - attempt.started_at).total_seconds() * 1000
    assert attempt.duration_ms == int(expected)  # the full time: it ended at the deadline


def test_save_within_grace_is_accepted(question_bank):
    assessment, user = AssessmentFactory(questions=2), UserFactory()
    attempt, _ = attempt_start(assessment=assessment, user=user)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=20, seconds=10),
        deadline=timezone.now() - datetime.timedelta(seconds=10),
    )
    q = attempt.question_ids[0]
    attempt_answer_save(
        public_id=attempt.public_id, user=user, question_id=q, choice_ids=[correct_choice(q)]
    )
    done = attempt_submit(public_id=attempt.public_id, user=user)
    assert done.score == 1
    assert done.duration_ms == int((done.deadline - done.started_at).total_seconds() * 1000)


def test_never_returning_contestant_is_closed_by_the_sweep(question_bank):
    assessment, user = AssessmentFactory(questions=2), UserFactory()
    attempt, _ = attempt_start(assessment=assessment, user=user)
    assert attempt_expire(attempt_id=attempt.pk) is False  # not due yet
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert attempts_expire_overdue() == 1
    assert attempts_expire_overdue() == 0
    attempt.refresh_from_db()
    assert attempt.status == "expired" and attempt.score == 0
    assert AttemptEvent.objects.filter(attempt=attempt, kind="auto_close").count() == 1


def test_attempt_limit(question_bank):
    assessment, user = AssessmentFactory(attempts_allowed=2), UserFactory()
    for _ in range(2):
        attempt, _ = attempt_start(assessment=assessment, user=user)
        attempt_submit(public_id=attempt.public_id, user=user)
    with pytest.raises(AttemptLimitReached):
        attempt_start(assessment=assessment, user=user)
    assert Attempt.objects.count() == 2


def test_deadline_is_cut_at_not_after(question_bank):
    closes = timezone.now() + datetime.timedelta(minutes=5)
    attempt, _ = attempt_start(assessment=AssessmentFactory(), user=UserFactory(), not_after=closes)
    assert attempt.deadline == closes
