"""Channels tasks: thin, they take ids, call one service, and are safe to run twice."""

from celery import shared_task

__all__ = ["channel_listing_sync_task"]


@shared_task(bind=True, name="marketplace.tasks.channel_listing_sync_task", max_retries=None)
def channel_listing_sync_task(self, listing_id: int, action: str, idempotency_key: str):
    """One attempt of a listing sync; the service logs it and says whether and when to retry
    (the same idempotency key goes with every retry). Retries are bounded by the channel's
    `max_retries`, read at each attempt."""
    from ..services.channels import channel_listing_sync

    result = channel_listing_sync(
        listing_id=listing_id,
        action=action,
        idempotency_key=idempotency_key,
        attempt=self.request.retries + 1,
    )
    if result.retry_in is None:
        return None
    # Run eagerly (no broker: development and tests), a raised Retry would reach the caller;
    # returned, it makes Celery's apply() run the next attempt at once, without the wait.
    retry = self.retry(
        countdown=result.retry_in,
        max_retries=result.max_retries,
        throw=not self.request.is_eager,
    )
    return retry
