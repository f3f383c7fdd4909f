"""The assessment engine: start (draw), save, submit and expire attempts; grade them.

The server is the only clock: an answer counts only if it is committed before the attempt's
deadline plus its grace period. Every write locks the attempt row, so a save racing a submit or
an expiry ends in one consistent state. Owners of assessments (contests, courses) register a
handler that runs inside the same transaction when an attempt finishes.
"""

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.core.http import ClientInfo

from ..errors import (
    AssessmentNotOpen,
    AttemptClosed,
    AttemptInvalidAnswer,
    AttemptLimitReached,
    AttemptNotFound,
    QuestionBankTooSmall,
)
from ..models import Assessment, Attempt, AttemptAnswer, AttemptEvent, Choice, Question

AttemptFinishHandler = Callable[[Attempt], None]
_finish_handlers: list[AttemptFinishHandler] = []


def attempt_finish_handler_register(handler: AttemptFinishHandler) -> None:
    """Runs `handler(attempt)` in the finishing transaction of every attempt (submit or expiry)."""
    if handler not in _finish_handlers:
        _finish_handlers.append(handler)


def assessment_draw(*, assessment: Assessment, rng: random.Random) -> list[dict]:
    """Draws the questions of each rule (no question twice) and orders questions and choices.

    Raises QuestionBankTooSmall when a rule cannot be filled from active questions.
    """
    chosen: list[int] = []
    for rule in assessment.draw_rules.all():
        pool = Question.objects.filter(is_active=True).exclude(pk__in=chosen).order_by()
        if rule.category_id:
            pool = pool.filter(category_id=rule.category_id)
        if rule.difficulty:
            pool = pool.filter(difficulty=rule.difficulty)
        ids = list(pool.values_list("pk", flat=True))
        if len(ids) < rule.count:
            raise QuestionBankTooSmall()
        chosen.extend(rng.sample(ids, rule.count))
    if assessment.shuffle_questions:
        rng.shuffle(chosen)
    choices: dict[int, list[int]] = {pk: [] for pk in chosen}
    for question_id, choice_id in (
        Choice.objects.filter(question_id__in=chosen)
        .order_by("question_id", "sort_order", "pk")
        .values_list("question_id", "pk")
    ):
        choices[question_id].append(choice_id)
    if assessment.shuffle_choices:
        for ids in choices.values():
            rng.shuffle(ids)
    return [{"q": pk, "c": choices[pk]} for pk in chosen]


def _event(attempt: Attempt, kind: str, client: ClientInfo | None, now, **detail) -> None:
    client = client or ClientInfo()
    AttemptEvent.objects.create(
        attempt=attempt,
        kind=kind,
        at=now,
        ip=client.ip,
        user_agent=client.user_agent,
        detail=detail,
    )


def attempt_start(
    *,
    assessment: Assessment,
    user,
    not_after: datetime | None = None,
    counted_since: datetime | None = None,
    client: ClientInfo | None = None,
    rng: random.Random | None = None,
) -> tuple[Attempt, bool]:
    """Returns the user's attempt in progress, or starts a new one; (attempt, started).

    An overdue attempt in progress is expired first. The deadline is the time limit from now,
    cut at `not_after` (a round's closing time). Only attempts started at or after
    `counted_since` count toward the limit (a yearly course's new cycle). Two concurrent starts
    make one attempt: the database's one-in-progress constraint refuses the second, which then
    returns the first.
    Raises AssessmentNotOpen (past `not_after`), AttemptLimitReached and QuestionBankTooSmall.
    """
    now = timezone.now()
    current = Attempt.objects.filter(
        assessment=assessment, user=user, status=Attempt.Status.IN_PROGRESS
    ).first()
    if current is not None:
        if not _is_overdue(current, now):
            _event(current, AttemptEvent.Kind.RESUME, client, now)
            return current, False
        attempt_expire(attempt_id=current.pk)
    if not_after is not None and now >= not_after:
        raise AssessmentNotOpen()
    attempts = Attempt.objects.filter(assessment=assessment, user=user)
    used = attempts.count()
    counted = (
        used if counted_since is None else attempts.filter(started_at__gte=counted_since).count()
    )
    if counted >= assessment.attempts_allowed:
        raise AttemptLimitReached()
    draw = assessment_draw(assessment=assessment, rng=rng or random.SystemRandom())
    deadline = now + timedelta(minutes=assessment.time_limit_minutes)
    if not_after is not None:
        deadline = min(deadline, not_after)
    attempt = Attempt(
        assessment=assessment,
        user=user,
        number=used + 1,
        started_at=now,
        deadline=deadline,
        grace_seconds=assessment.grace_seconds,
        draw=draw,
        max_score=len(draw),
    )
    try:
        with transaction.atomic():
            attempt.save()
            _event(attempt, AttemptEvent.Kind.START, client, now)
    except IntegrityError:
        current = Attempt.objects.filter(
            assessment=assessment, user=user, status=Attempt.Status.IN_PROGRESS
        ).first()
        if current is None:  # the other start finished its attempt already: count again
            return attempt_start(
                assessment=assessment,
                user=user,
                not_after=not_after,
                counted_since=counted_since,
                client=client,
                rng=rng,
            )
        return current, False
    _schedule_expiry(attempt)
    return attempt, True


def _schedule_expiry(attempt: Attempt) -> None:
    from ..tasks import attempt_expire_task

    eta = attempt.deadline + timedelta(seconds=attempt.grace_seconds + 1)
    transaction.on_commit(lambda: attempt_expire_task.apply_async((attempt.pk,), eta=eta))


def _is_overdue(attempt: Attempt, now) -> bool:
    return now > attempt.deadline + timedelta(seconds=attempt.grace_seconds)


def _locked_attempt(*, public_id, user) -> Attempt:
    attempt = (
        Attempt.objects.select_for_update()
        .select_related("assessment")
        .filter(public_id=public_id, user=user)
        .first()
    )
    if attempt is None:
        raise AttemptNotFound()
    return attempt


def _check_open(attempt: Attempt, now, client) -> None:
    """Raises AttemptClosed for a finished attempt; expires an overdue one first."""
    if attempt.is_finished:
        raise AttemptClosed()
    if _is_overdue(attempt, now):
        _finish(attempt, Attempt.Status.EXPIRED, now, client)
        raise AttemptClosed()


def _write_while_open(*, public_id, user, client, write):
    """Runs `write(attempt, now)` on the locked attempt if it is still open; returns its result.

    Past deadline + grace the attempt is expired and graded instead and AttemptClosed is raised
    after the commit, so the expiry is kept and nothing of the late write is.
    """
    now = timezone.now()
    closed = False
    with transaction.atomic():
        attempt = _locked_attempt(public_id=public_id, user=user)
        try:
            _check_open(attempt, now, client)
        except AttemptClosed:
            closed = True
            _event(attempt, AttemptEvent.Kind.REFUSED, client, now, reason="closed")
        if not closed:
            return write(attempt, now)
    raise AttemptClosed()


def attempt_answer_save(
    *, public_id, user, question_id: int, choice_ids: list[int], client: ClientInfo | None = None
) -> AttemptAnswer:
    """Replaces the answer to one drawn question; saving the same answer twice changes nothing.

    Locks the attempt. Raises AttemptNotFound (not the user's), AttemptInvalidAnswer (question
    or choice not in the draw, several choices for a single-choice question) and AttemptClosed
    (finished, or past deadline + grace: the attempt is then expired and graded, and the answer
    is not stored).
    """

    def write(attempt, now):
        answer = _store_answer(attempt, question_id, choice_ids, now)
        _event(attempt, AttemptEvent.Kind.SAVE, client, now, q=question_id, c=answer.choice_ids)
        return answer

    return _write_while_open(public_id=public_id, user=user, client=client, write=write)


def _store_answer(attempt: Attempt, question_id, choice_ids, now) -> AttemptAnswer:
    drawn = {item["q"]: item["c"] for item in attempt.draw}
    if not isinstance(question_id, int) or question_id not in drawn:
        raise AttemptInvalidAnswer()
    if not isinstance(choice_ids, list) or not all(isinstance(c, int) for c in choice_ids):
        raise AttemptInvalidAnswer()
    selected = sorted(set(choice_ids))
    if not set(selected) <= set(drawn[question_id]):
        raise AttemptInvalidAnswer()
    if len(selected) > 1:
        kinds = Question.objects.filter(pk=question_id).order_by().values_list("kind", flat=True)
        kind = kinds.first()
        if kind != Question.Kind.MULTIPLE:
            raise AttemptInvalidAnswer()
    answer, _created = AttemptAnswer.objects.update_or_create(
        attempt=attempt, question_id=question_id, defaults={"choice_ids": selected, "saved_at": now}
    )
    return answer


def _check_prediction(prediction) -> None:
    if not isinstance(prediction, int) or isinstance(prediction, bool):
        raise AttemptInvalidAnswer()
    if not 0 <= prediction <= 1_000_000_000:
        raise AttemptInvalidAnswer()


def attempt_prediction_save(
    *, public_id, user, prediction: int, client: ClientInfo | None = None
) -> Attempt:
    """Stores the numeric prediction (0 to 10^9); same locking and deadline as answers."""
    _check_prediction(prediction)

    def write(attempt, now):
        attempt.prediction = prediction
        attempt.save(update_fields=["prediction"])
        _event(attempt, AttemptEvent.Kind.SAVE, client, now, prediction=prediction)
        return attempt

    return _write_while_open(public_id=public_id, user=user, client=client, write=write)


def attempt_submit(
    *,
    public_id,
    user,
    answers: dict[int, list[int]] | None = None,
    prediction: int | None = None,
    client: ClientInfo | None = None,
) -> Attempt:
    """Submits and grades the attempt; submitting a finished attempt returns it unchanged.

    `answers` (from a form post) are stored first when still in time; past the deadline plus
    grace they are ignored and the attempt is closed as expired with what was saved before.
    Raises AttemptNotFound and AttemptInvalidAnswer (then nothing is stored).
    """
    now = timezone.now()
    with transaction.atomic():
        attempt = _locked_attempt(public_id=public_id, user=user)
        if attempt.is_finished:
            return attempt
        if _is_overdue(attempt, now):
            _finish(attempt, Attempt.Status.EXPIRED, now, client)
            return attempt
        for question_id, choice_ids in (answers or {}).items():
            _store_answer(attempt, question_id, choice_ids, now)
        if prediction is not None:
            _check_prediction(prediction)
            attempt.prediction = prediction
        _finish(attempt, Attempt.Status.SUBMITTED, now, client)
    return attempt


def attempt_expire(*, attempt_id: int) -> bool:
    """Closes and grades an overdue attempt in progress; False when there was nothing to do.

    Safe to run any number of times and concurrently with a submit (the row is locked).
    """
    now = timezone.now()
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update()
            .select_related("assessment")
            .filter(pk=attempt_id)
            .first()
        )
        if attempt is None or attempt.is_finished or not _is_overdue(attempt, now):
            return False
        _finish(attempt, Attempt.Status.EXPIRED, now, None)
    return True


def attempts_expire_overdue(*, limit: int = 1000) -> int:
    """Expires attempts whose contestants never came back; the periodic safety net.

    Looks only at attempts past their deadline (an index on status and deadline); each one is
    expired under its own lock, so running this beside the per-attempt tasks is harmless.
    """
    candidates = (
        Attempt.objects.filter(status=Attempt.Status.IN_PROGRESS, deadline__lt=timezone.now())
        .order_by("deadline")  # the longest overdue first, so none waits behind fresh ones
        .values_list("pk", flat=True)
    )
    return sum(attempt_expire(attempt_id=pk) for pk in list(candidates[:limit]))


def _finish(attempt: Attempt, status: str, now, client) -> None:
    """Grades, records the end and runs the owners' handlers; the attempt row is locked."""
    answers = {a.question_id: a for a in attempt.answers.all()}
    correct: dict[int, set[int]] = {pk: set() for pk in attempt.question_ids}
    for question_id, choice_id in Choice.objects.filter(
        question_id__in=attempt.question_ids, is_correct=True
    ).values_list("question_id", "pk"):
        correct[question_id].add(choice_id)
    score = 0
    for question_id, answer in answers.items():
        answer.is_correct = bool(answer.choice_ids) and set(answer.choice_ids) == correct.get(
            question_id
        )
        score += answer.is_correct
    AttemptAnswer.objects.bulk_update(answers.values(), ["is_correct"])
    end = min(now, attempt.deadline)
    attempt.status = status
    attempt.finished_at = now
    attempt.score = score
    attempt.duration_ms = max(0, int((end - attempt.started_at).total_seconds() * 1000))
    attempt.save(update_fields=["status", "finished_at", "score", "duration_ms", "prediction"])
    kind = (
        AttemptEvent.Kind.SUBMIT
        if status == Attempt.Status.SUBMITTED
        else (AttemptEvent.Kind.AUTO_CLOSE)
    )
    _event(attempt, kind, client, now, score=score)
    for handler in _finish_handlers:
        handler(attempt)
