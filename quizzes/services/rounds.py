"""Round close: expire what is left, compute the prediction's actual value, fix the ranking."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Case, F, Func, Max, When
from django.utils import timezone

from ..models import Attempt, Round, Standing
from .attempts import attempt_expire
from .standings import standings_rank


def round_prediction_actual(*, round_: Round) -> int:
    """The number the prediction question asked for, from the round's standings."""
    standings = Standing.objects.filter(round=round_)
    if round_.prediction_target == Round.PredictionTarget.FULL_MARKS:
        standings = standings.filter(score=F("max_score"))
    return standings.count()


def round_close(*, round_id: int) -> bool:
    """Closes a round once its last attempt can no longer be saved; False when too early or
    already done. Idempotent: the round row is locked and `ranked_at` is set once."""
    now = timezone.now()
    round_ = Round.objects.select_related("contest").get(pk=round_id)
    assessments = [pk for pk in (round_.assessment_id, round_.staff_assessment_id) if pk]
    grace = Attempt.objects.filter(assessment_id__in=assessments).aggregate(g=Max("grace_seconds"))
    if round_.ranked_at is not None or now < round_.closes_at + timedelta(seconds=grace["g"] or 0):
        return False
    for pk in Attempt.objects.filter(
        assessment_id__in=assessments, status=Attempt.Status.IN_PROGRESS
    ).values_list("pk", flat=True):
        attempt_expire(attempt_id=pk)
    with transaction.atomic():
        round_ = Round.objects.select_for_update().select_related("contest").get(pk=round_id)
        if round_.ranked_at is not None:
            return False
        actual = round_prediction_actual(round_=round_)
        # One pass over the round's rows: every rewrite of a row costs at this size.
        Standing.objects.filter(round=round_).update(
            prediction_error=Case(
                When(
                    prediction__isnull=False,
                    then=Func(F("prediction") - actual, function="ABS"),
                ),
                default=None,
            )
        )
        standings_rank(round_=round_)
        round_.prediction_actual = actual
        round_.ranked_at = now
        round_.save(update_fields=["prediction_actual", "ranked_at"])
    return True


def rounds_due_for_close() -> list[int]:
    """Ids of rounds past their closing time and not ranked yet (round_close waits for grace)."""
    return list(
        Round.objects.filter(ranked_at__isnull=True, closes_at__lte=timezone.now()).values_list(
            "pk", flat=True
        )
    )
