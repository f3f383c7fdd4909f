"""Standings: each contestant's counted attempt per round, and the fixed ranks after close.

Kept in step with attempts inside the transaction that finishes an attempt, so leaderboards
read a small indexed table instead of scanning attempts; `standings_rebuild` recomputes them.
"""

from django.db import connection, transaction

from ..models import Assessment, Attempt, Registration, Round, Standing
from ..ranking_keys import RANKING_KEYS
from ..selectors.contests import round_of_assessment


def counted_attempt(attempts: list[Attempt], counting: str) -> Attempt | None:
    """The attempt that counts among finished ones: best (score, then faster, then earlier),
    first or last."""
    finished = [a for a in attempts if a.is_finished]
    if not finished:
        return None
    if counting == Assessment.Counting.FIRST:
        return min(finished, key=lambda a: a.number)
    if counting == Assessment.Counting.LAST:
        return max(finished, key=lambda a: a.number)
    return min(finished, key=lambda a: (-a.score, a.duration_ms, a.finished_at, a.number))


def standing_refresh(attempt: Attempt) -> None:
    """Finish handler: recomputes the standing of the attempt's user in the test's round."""
    round_ = round_of_assessment(assessment_id=attempt.assessment_id)
    if round_ is None:  # a test of another owner (a course)
        return
    registration = Registration.objects.filter(
        contest_id=round_.contest_id, user_id=attempt.user_id
    ).first()
    if registration is not None:
        _standing_upsert(round_, registration)


def _standing_upsert(round_: Round, registration: Registration) -> Standing | None:
    assessment = round_.assessment_for(registration.audience)
    attempts = list(Attempt.objects.filter(assessment=assessment, user_id=registration.user_id))
    counted = counted_attempt(attempts, assessment.counting)
    if counted is None:
        Standing.objects.filter(round=round_, registration=registration).delete()
        return None
    values = {
        "audience": registration.audience,
        "unit_id": registration.unit_id,
        "attempt": counted,
        "attempts_count": len(attempts),
        "score": counted.score,
        "max_score": counted.max_score,
        "duration_ms": counted.duration_ms,
        "submitted_at": counted.finished_at,
        "prediction": counted.prediction,
    }
    if round_.prediction_actual is not None and counted.prediction is not None:
        values["prediction_error"] = abs(counted.prediction - round_.prediction_actual)
    standing, _created = Standing.objects.update_or_create(
        round=round_, registration=registration, defaults=values
    )
    return standing


@transaction.atomic
def standings_rebuild(*, round_: Round) -> int:
    """Recomputes every standing of the round from the attempts; re-ranks a ranked round."""
    Standing.objects.filter(round=round_).delete()
    count = 0
    for registration in Registration.objects.filter(contest_id=round_.contest_id):
        count += _standing_upsert(round_, registration) is not None
    if round_.ranked_at is not None:
        standings_rank(round_=round_)
    return count


def ranking_order_sql(keys: list[str]) -> str:
    """ORDER BY for the keys (whitelisted names only); ties end on the row id."""
    parts = []
    for key in keys:
        column, descending = RANKING_KEYS[key]
        parts.append(f"{column} {'DESC' if descending else 'ASC'} NULLS LAST")
    return ", ".join([*parts, "id ASC"])


def standings_rank(*, round_: Round) -> None:
    """Numbers the standings 1, 2, … in the contest's order (per audience when separated).

    One UPDATE with a window function; the caller holds the transaction.
    """
    contest = round_.contest
    partition = "PARTITION BY audience " if contest.separate_staff else ""
    order = ranking_order_sql(contest.ranking_key_list)
    table = Standing._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET rank = ranked.position FROM ("  # noqa: S608 - whitelisted names
            f"SELECT id, ROW_NUMBER() OVER ({partition}ORDER BY {order}) AS position "
            f"FROM {table} WHERE round_id = %s) AS ranked WHERE {table}.id = ranked.id",
            [round_.pk],
        )
