"""Reminder emails: due soon and overdue, one a person a day, completed and inactive skipped."""

import datetime
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from courses.models import Enrolment, ReminderLog
from courses.services.reminders import reminders_send
from tests.factories.courses import AssignmentFactory, CoursePageFactory, EnrolmentFactory
from tests.factories.users import OrganisationUnitFactory, UserFactory

TODAY = datetime.date(2026, 5, 20)


@pytest.fixture
def unit(db):
    return OrganisationUnitFactory(name="Sở Nội vụ", code="so-noi-vu")


@pytest.fixture
def assignment(course, unit):
    return AssignmentFactory(
        course=course,
        units=[unit],
        due_date=datetime.date(2026, 5, 25),
        yearly=True,
        remind_days_before=7,
    )


def _enrol(user, assignment, *, due=None, cycle=2026, **fields):
    return EnrolmentFactory(
        user=user,
        course=assignment.course,
        assignment=assignment,
        cycle=cycle,
        due_date=due or assignment.due_date_in(cycle),
        **fields,
    )


def test_due_soon_and_overdue_in_one_email(course_index, assignment, unit):
    user = UserFactory(email="an@example.vn", full_name="Nguyễn Văn An", unit=unit)
    _enrol(user, assignment)  # due in 5 days
    other_course = CoursePageFactory(parent=course_index, title="An toàn thông tin cơ bản")
    overdue_assignment = AssignmentFactory(
        course=other_course, units=[unit], due_date=datetime.date(2026, 5, 1), yearly=False
    )
    _enrol(user, overdue_assignment)

    assert reminders_send(today=TODAY) == 1
    (message,) = mail.outbox
    assert message.to == ["an@example.vn"]
    assert assignment.course.title in message.body
    assert "An toàn thông tin cơ bản" in message.body
    assert "25/05/2026" in message.body and "01/05/2026" in message.body
    assert f"{settings.SITE_BASE_URL}/ca-nhan/dao-tao/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'href="http://' in html
    with translation.override("vi"):
        assert message.subject == translation.gettext(
            "Mandatory training overdue: please complete your courses"
        )
        assert translation.gettext("These mandatory courses are overdue:") in message.body
        assert translation.gettext("These mandatory courses are due soon:") in message.body
    log = ReminderLog.objects.get()
    assert log.sent_on == TODAY and len(log.enrolment_ids) == 2


def test_vietnamese_text(assignment, unit):
    """The email is in Vietnamese whatever language was active (needs the compiled catalogue)."""
    _enrol(UserFactory(unit=unit), assignment)
    with translation.override("en"):
        reminders_send(today=TODAY)
    (message,) = mail.outbox
    assert message.subject == "Nhắc nhở: sắp đến hạn hoàn thành khóa học bắt buộc"
    assert "Các khóa học bắt buộc sắp đến hạn:" in message.body


def test_at_most_one_email_per_person_per_day(assignment, unit):
    _enrol(UserFactory(unit=unit), assignment)
    assert reminders_send(today=TODAY) == 1
    assert reminders_send(today=TODAY) == 0
    assert len(mail.outbox) == 1
    # The next day the reminder comes again.
    assert reminders_send(today=TODAY + datetime.timedelta(days=1)) == 1
    assert len(mail.outbox) == 2


def test_not_yet_in_the_window(assignment, unit):
    _enrol(UserFactory(unit=unit), assignment)
    assert reminders_send(today=datetime.date(2026, 5, 17)) == 0  # 8 days before, window is 7
    assert reminders_send(today=datetime.date(2026, 5, 18)) == 1


def test_completed_inactive_without_email_and_self_enrolled_are_skipped(course, assignment, unit):
    _enrol(
        UserFactory(unit=unit),
        assignment,
        status=Enrolment.Status.COMPLETED,
        progress_percent=100,
    )
    _enrol(UserFactory(unit=unit, is_active=False), assignment)
    no_email = UserFactory(unit=unit)
    type(no_email).objects.filter(pk=no_email.pk).update(email="")
    _enrol(no_email, assignment)
    EnrolmentFactory(user=UserFactory(), course=course, cycle=2026, due_date=TODAY)
    assert reminders_send(today=TODAY) == 0
    assert mail.outbox == []
    assert not ReminderLog.objects.exists()


def test_last_years_unfinished_cycle_is_not_reminded(assignment, unit):
    user = UserFactory(unit=unit)
    _enrol(user, assignment, cycle=2025)  # overdue since 25/05/2025
    assert reminders_send(today=datetime.date(2026, 1, 10)) == 0
    _enrol(user, assignment, cycle=2026)
    assert reminders_send(today=TODAY) == 1
    assert ReminderLog.objects.get().enrolment_ids == [
        Enrolment.objects.get(user=user, cycle=2026).pk
    ]


def test_failed_send_is_retried_next_run(assignment, unit):
    _enrol(UserFactory(unit=unit), assignment)
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("smtp down")
    ):
        assert reminders_send(today=TODAY) == 0
    assert not ReminderLog.objects.exists()
    assert reminders_send(today=TODAY) == 1


def test_task_runs_the_service(assignment, unit):
    from courses.tasks import reminders_send_task

    _enrol(UserFactory(unit=unit), assignment, due=datetime.date.today())
    reminders_send_task.delay()
    assert len(mail.outbox) == 1
