"""Course tests through the engine: a yearly cycle gets the test's full attempt allowance again."""

import datetime

import pytest
from django.utils import timezone

from courses.services.progress import LearningRefused
from courses.services.tests import course_test_attempt_start
from quizzes.errors import AttemptLimitReached
from quizzes.models import Attempt
from quizzes.services.attempts import attempt_submit
from tests.factories.courses import EnrolmentFactory
from tests.factories.quizzes import AssessmentFactory

pytestmark = pytest.mark.django_db


def _complete_lessons(enrolment, course):
    from courses.models import LessonProgress

    now = timezone.now()
    for lesson in course.get_children().live().specific():
        LessonProgress.objects.create(
            enrolment=enrolment,
            lesson=lesson,
            first_viewed_at=now,
            last_viewed_at=now,
            completed_at=now,
        )


def test_final_test_is_closed_until_every_lesson_is_complete(course, question_bank):
    course.final_test = AssessmentFactory(questions=4, attempts_allowed=1)
    course.save()
    enrolment = EnrolmentFactory(course=course)
    with pytest.raises(LearningRefused):
        course_test_attempt_start(enrolment=enrolment, assessment=course.final_test)
    assert not Attempt.objects.exists()


def test_a_new_yearly_cycle_has_the_full_attempt_allowance(course, question_bank):
    course.final_test = AssessmentFactory(questions=4, attempts_allowed=1)
    course.save()
    year = timezone.localdate().year
    last_year = EnrolmentFactory(course=course, cycle=year - 1)
    _complete_lessons(last_year, course)
    attempt = course_test_attempt_start(enrolment=last_year, assessment=course.final_test)
    attempt_submit(public_id=attempt.public_id, user=last_year.user, answers={})
    with pytest.raises(AttemptLimitReached):
        course_test_attempt_start(enrolment=last_year, assessment=course.final_test)

    this_year = EnrolmentFactory(course=course, user=last_year.user, cycle=year)
    # Enrolled after last year's attempt: that attempt no longer counts against the limit.
    type(this_year).objects.filter(pk=this_year.pk).update(
        enrolled_at=timezone.now() + datetime.timedelta(seconds=1)
    )
    this_year.refresh_from_db()
    _complete_lessons(this_year, course)
    second = course_test_attempt_start(enrolment=this_year, assessment=course.final_test)
    assert second.number == 2


def test_the_course_page_offers_the_new_cycle_its_attempts(course, question_bank):
    from courses.selectors.learning import final_test_summary

    course.final_test = AssessmentFactory(questions=4, attempts_allowed=1)
    course.save()
    year = timezone.localdate().year
    last_year = EnrolmentFactory(course=course, cycle=year - 1)
    _complete_lessons(last_year, course)
    attempt = course_test_attempt_start(enrolment=last_year, assessment=course.final_test)
    attempt_submit(public_id=attempt.public_id, user=last_year.user, answers={})
    assert final_test_summary(course=course, enrolment=last_year)["attempts_left"] == 0
    this_year = EnrolmentFactory(course=course, user=last_year.user, cycle=year)
    type(this_year).objects.filter(pk=this_year.pk).update(
        enrolled_at=timezone.now() + datetime.timedelta(seconds=1)
    )
    this_year.refresh_from_db()
    assert final_test_summary(course=course, enrolment=this_year)["attempts_left"] == 1
