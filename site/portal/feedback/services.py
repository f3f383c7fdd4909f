"""Feedback submissions: rate limiting, storing, and emailing them to the editors."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from portal.core.ratelimit import rate_limit_exceeded

from .forms import HONEYPOT_FIELD
from .models import FeedbackSubmission


def feedback_rate_limit_exceeded(*, client_address: str) -> bool:
    """Counts one attempt for this address; True once it passes the limit in the window."""
    return rate_limit_exceeded(
        scope="feedback",
        key=client_address,
        limit=settings.FEEDBACK_RATE_LIMIT,
        window_seconds=settings.FEEDBACK_RATE_WINDOW_SECONDS,
    )


@transaction.atomic
def feedback_submission_create(*, page, form) -> FeedbackSubmission:
    """Stores the submission and queues its email once the transaction commits."""
    from .tasks import feedback_submission_email_task

    data = {k: v for k, v in form.cleaned_data.items() if k != HONEYPOT_FIELD}
    submission = FeedbackSubmission(page=page, form_data=data)
    submission.full_clean()
    submission.save()
    if page.to_address:
        transaction.on_commit(lambda: feedback_submission_email_task.delay(submission.pk))
    return submission


def _format_value(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def feedback_submission_email(*, submission_id: int) -> bool:
    """Emails a stored submission to the page's recipients once.

    Locks the submission row; returns False when it was already emailed or has no recipients.
    """
    with transaction.atomic():
        submission = (
            FeedbackSubmission.objects.select_for_update()
            .select_related("page")
            .get(pk=submission_id)
        )
        if submission.emailed_at is not None:
            return False
        page = submission.page.specific
        recipients = [a.strip() for a in page.to_address.split(",") if a.strip()]
        if not recipients:
            return False
        labels = dict(page.get_data_fields())
        data = submission.form_data
        lines = [
            f"{labels.get(name, name)}: {_format_value(value)}" for name, value in data.items()
        ]
        lines.append(
            f"{labels.get('submit_time')}: "
            f"{date_format(timezone.localtime(submission.submit_time), 'SHORT_DATETIME_FORMAT')}"
        )
        send_mail(
            subject=page.subject or page.title,
            message="\n".join(lines),
            from_email=page.from_address or settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
        submission.emailed_at = timezone.now()
        submission.save(update_fields=["emailed_at"])
    return True
