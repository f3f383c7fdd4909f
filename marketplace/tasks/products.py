"""Products tasks: thin, they take ids, call one service, and are safe to run twice."""

from celery import shared_task

__all__ = ["certificates_expiry_task"]


@shared_task(name="marketplace.tasks.certificates_expiry_task")
def certificates_expiry_task() -> dict:
    """Daily (beat, 00:30): OCOP badges of expired certificates come off; notices go out once."""
    from ..services.certificates import certificates_expiry_run

    result = certificates_expiry_run()
    return {"expired": result.expired, "noticed": result.noticed, "emails": result.emails}
