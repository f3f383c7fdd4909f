"""Celery tasks: thin, take ids, safe to run twice."""

from celery import shared_task

from .services.attempts import attempt_expire, attempts_expire_overdue
from .services.rounds import round_close, rounds_due_for_close


@shared_task(ignore_result=True)
def attempt_expire_task(attempt_id: int) -> bool:
    return attempt_expire(attempt_id=attempt_id)


@shared_task(ignore_result=True)
def attempts_expire_overdue_task() -> int:
    return attempts_expire_overdue()


@shared_task(ignore_result=True)
def rounds_close_due_task() -> int:
    """Beat, every minute: closes every round that has ended."""
    return sum(round_close(round_id=pk) for pk in rounds_due_for_close())
