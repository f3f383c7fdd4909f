"""Reminder emails for mandatory training: due soon or overdue, one email a person a day.

At most once a day: the day's ReminderLog row is inserted first, inside a transaction, and the
email is sent while that transaction is still open. A second run on the same day (or a concurrent
one, which waits on the unique row until the first commits) hits the unique constraint and skips
the person. When sending fails, the transaction rolls back, the row disappears and the next run
tries again: a person may miss a day's reminder, never get two.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import Assignment, Enrolment, ReminderLog
from .assignments import assignment_current_cycle

logger = logging.getLogger(__name__)

# The admin caps remind_days_before at 90: nothing due later can need a reminder today.
REMIND_HORIZON_DAYS = 90


@dataclass(frozen=True)
class ReminderItem:
    enrolment_id: int
    course_title: str
    due_date: datetime.date
    overdue: bool
    days_left: int


def _due_enrolments(*, today: datetime.date) -> dict[int, list[ReminderItem]]:
    """Open mandatory enrolments that are due within their assignment's reminder window or are
    overdue, of active users with an email, grouped by user id."""
    horizon = today + datetime.timedelta(days=REMIND_HORIZON_DAYS)
    enrolments = (
        Enrolment.objects.filter(
            assignment__isnull=False,
            assignment__is_active=True,
            due_date__isnull=False,
            due_date__lte=horizon,
            user__is_active=True,
            course__live=True,
        )
        .exclude(status=Enrolment.Status.COMPLETED)
        .exclude(user__email="")
        .select_related("assignment", "course")
        .order_by("user_id", "due_date", "course__title")
    )
    current_cycles: dict[int, int] = {}
    due: dict[int, list[ReminderItem]] = defaultdict(list)
    for enrolment in enrolments.iterator(chunk_size=2000):
        assignment: Assignment = enrolment.assignment
        if assignment.pk not in current_cycles:
            current_cycles[assignment.pk] = assignment_current_cycle(
                assignment=assignment, today=today
            )
        # Last year's unfinished cycle is a record now; this year's cycle is the one to remind.
        if enrolment.cycle != current_cycles[assignment.pk]:
            continue
        days_left = (enrolment.due_date - today).days
        if days_left > assignment.remind_days_before:
            continue
        due[enrolment.user_id].append(
            ReminderItem(
                enrolment_id=enrolment.pk,
                course_title=enrolment.course.title,
                due_date=enrolment.due_date,
                overdue=days_left < 0,
                days_left=days_left,
            )
        )
    return due


def _reminder_message(*, user, items: list[ReminderItem], connection) -> EmailMultiAlternatives:
    overdue = [item for item in items if item.overdue]
    due_soon = [item for item in items if not item.overdue]
    context = {
        "user": user,
        "overdue": overdue,
        "due_soon": due_soon,
        "training_url": settings.SITE_BASE_URL.rstrip("/") + reverse("my_training"),
    }
    if overdue:
        subject = _("Mandatory training overdue: please complete your courses")
    else:
        subject = _("Reminder: mandatory training due soon")
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("courses/email/training_reminder.txt", context),
        to=[user.email],
        connection=connection,
    )
    message.attach_alternative(
        render_to_string("courses/email/training_reminder.html", context), "text/html"
    )
    return message


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Sends the day's reminder emails; returns how many were sent.

    One email per person per day lists all their mandatory courses due within the reminder
    window or overdue. Completed enrolments, inactive users, users without an email address and
    inactive assignments are skipped. Safe to run twice or concurrently (see the module note).
    Emails are written in the site's default language (Vietnamese).
    """
    from django.contrib.auth import get_user_model

    today = today or timezone.localdate()
    due = _due_enrolments(today=today)
    if not due:
        return 0
    users = get_user_model().objects.in_bulk(list(due))
    sent = 0
    with translation.override(settings.LANGUAGE_CODE), get_connection() as connection:
        for user_id, items in due.items():
            user = users.get(user_id)
            if user is None:
                continue
            try:
                with transaction.atomic():
                    try:
                        with transaction.atomic():
                            ReminderLog.objects.create(
                                user=user,
                                sent_on=today,
                                enrolment_ids=[item.enrolment_id for item in items],
                            )
                    except IntegrityError:
                        continue  # already reminded today
                    _reminder_message(user=user, items=items, connection=connection).send()
            except Exception:
                # The log row rolled back with the failed send: the next run tries again.
                logger.exception("Training reminder to user %s failed", user_id)
                continue
            sent += 1
    logger.info("Training reminders sent on %s: %s", today, sent)
    return sent
