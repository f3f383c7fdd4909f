"""Celery tasks of courses: thin, they take ids, call one service, and are safe to run twice."""

from celery import shared_task


@shared_task(name="courses.tasks.certificate_issue_task")
def certificate_issue_task(enrolment_id: int) -> None:
    from .services.certificates import certificate_issue

    certificate_issue(enrolment_id=enrolment_id)


@shared_task(name="courses.tasks.certificate_email_task")
def certificate_email_task(certificate_id: int) -> None:
    from .services.certificates import certificate_email

    certificate_email(certificate_id=certificate_id)


@shared_task(name="courses.tasks.assignments_sync_all_task")
def assignments_sync_all_task() -> None:
    from .services.assignments import assignments_sync_all

    assignments_sync_all()


@shared_task(name="courses.tasks.assignment_sync_task")
def assignment_sync_task(assignment_id: int) -> None:
    from .services.assignments import assignment_enrolments_sync

    assignment_enrolments_sync(assignment_id=assignment_id)


@shared_task(name="courses.tasks.user_assignments_sync_task")
def user_assignments_sync_task(user_id: int) -> None:
    from .services.assignments import user_assignments_sync

    user_assignments_sync(user_id=user_id)


@shared_task(name="courses.tasks.reminders_send_task")
def reminders_send_task() -> None:
    from .services.reminders import reminders_send

    reminders_send()
