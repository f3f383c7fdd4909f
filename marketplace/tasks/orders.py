"""Order tasks: thin, they take ids, call one service, and are safe to run twice."""

import smtplib

from celery import shared_task

__all__ = [
    "order_expire_task",
    "order_placed_email_task",
    "orders_expire_unpaid_task",
    "suborder_event_email_task",
]

# Mail servers that are down or refuse for a while: worth a few bounded retries.
MAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError)


@shared_task(
    name="marketplace.tasks.suborder_event_email_task",
    autoretry_for=MAIL_ERRORS,
    retry_backoff=60,
    max_retries=5,
)
def suborder_event_email_task(event_id: int) -> None:
    from ..services.notifications import suborder_event_email

    suborder_event_email(event_id=event_id)


@shared_task(
    name="marketplace.tasks.order_placed_email_task",
    autoretry_for=MAIL_ERRORS,
    retry_backoff=60,
    max_retries=5,
)
def order_placed_email_task(order_id: int) -> None:
    from ..services.notifications import order_placed_emails

    order_placed_emails(order_id=order_id)


@shared_task(name="marketplace.tasks.order_expire_task")
def order_expire_task(order_id: int) -> int:
    """Queued at checkout with ETA `payment_due_at`; does nothing if run early or once paid."""
    from ..services.orders import order_expire

    return order_expire(order_id=order_id)


@shared_task(name="marketplace.tasks.orders_expire_unpaid_task")
def orders_expire_unpaid_task() -> int:
    """Beat, every 5 minutes: the safety net for expiry tasks that were lost."""
    from ..services.orders import orders_expire_unpaid

    return orders_expire_unpaid()
