"""Indexing tasks: thin, safe to run twice, retried with backoff while the engine is down."""

from celery import shared_task

from .engines import EngineUnavailable

__all__ = ["index_pending_task"]

MAX_RETRIES = 8
BACKOFF_MAX_SECONDS = 300


def retry_countdown(retries: int) -> int:
    """2, 4, 8 … seconds, at most five minutes."""
    return min(BACKOFF_MAX_SECONDS, 2 ** (retries + 1))


@shared_task(bind=True, name="search.tasks.index_pending_task", max_retries=MAX_RETRIES)
def index_pending_task(self):
    """Indexes every queued change. While the engine is down the changes stay queued and the
    task tries again later; after the last retry the periodic sweep (this same task, every
    minute) takes them."""
    from .services import index_pending_process

    try:
        result = index_pending_process()
    except EngineUnavailable as error:
        # Run in-process (tests), the next attempt runs at once instead of raising Retry.
        return self.retry(
            exc=error,
            countdown=retry_countdown(self.request.retries),
            throw=not self.request.is_eager,
        )
    return {"indexed": result.indexed, "removed": result.removed}
