from celery import shared_task
from django.core.mail import BadHeaderError


@shared_task(
    autoretry_for=(ConnectionError, OSError),
    dont_autoretry_for=(BadHeaderError,),
    retry_backoff=30,
    max_retries=5,
)
def feedback_submission_email_task(submission_id: int) -> bool:
    from .services import feedback_submission_email

    return feedback_submission_email(submission_id=submission_id)
