"""Self-enrolment: open courses only, prerequisites completed in any cycle, once per cycle."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses.models import Enrolment
from courses.services.enrolments import enrolment_create
from tests.factories.courses import CoursePageFactory, EnrolmentFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def test_enrol_creates_one_enrolment_for_the_current_cycle(course):
    user = UserFactory()
    first = enrolment_create(user=user, course=course)
    again = enrolment_create(user=user, course=course)

    assert first.pk == again.pk
    assert first.cycle == timezone.localdate().year
    assert first.assignment is None and first.status == Enrolment.Status.NOT_STARTED
    assert Enrolment.objects.filter(user=user, course=course).count() == 1


def test_closed_course_refuses_with_a_message(course):
    course.self_enrolment = False
    course.save()
    with pytest.raises(ValidationError) as excinfo:
        enrolment_create(user=UserFactory(), course=course)
    assert excinfo.value.messages
    assert not Enrolment.objects.exists()


def test_assigned_learner_gets_their_enrolment_even_when_closed(course):
    course.self_enrolment = False
    course.save()
    existing = EnrolmentFactory(course=course)
    assert enrolment_create(user=existing.user, course=course).pk == existing.pk


def test_prerequisite_must_be_completed(course_index, course):
    advanced = CoursePageFactory(parent=course_index)
    advanced.prerequisites.add(course)
    advanced.save()
    user = UserFactory()

    with pytest.raises(ValidationError) as excinfo:
        enrolment_create(user=user, course=advanced)
    assert course.title in excinfo.value.messages[0]
    assert not Enrolment.objects.filter(course=advanced).exists()

    # Completed in an earlier cycle counts.
    EnrolmentFactory(
        user=user,
        course=course,
        cycle=timezone.localdate().year - 1,
        status=Enrolment.Status.COMPLETED,
    )
    assert enrolment_create(user=user, course=advanced).course_id == advanced.pk


def test_unfinished_earlier_cycle_is_returned_not_duplicated(course):
    old = EnrolmentFactory(course=course, cycle=timezone.localdate().year - 1)
    assert enrolment_create(user=old.user, course=course).pk == old.pk


def test_completed_earlier_cycle_gets_a_new_enrolment(course):
    old = EnrolmentFactory(
        course=course, cycle=timezone.localdate().year - 1, status=Enrolment.Status.COMPLETED
    )
    new = enrolment_create(user=old.user, course=course)
    assert new.pk != old.pk and new.cycle == timezone.localdate().year


def test_unpublished_course_refuses(course):
    course.unpublish()
    course.refresh_from_db()
    with pytest.raises(ValidationError):
        enrolment_create(user=UserFactory(), course=course)
