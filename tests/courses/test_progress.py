"""Progress rules: text lessons on view, videos by distinct seconds watched, knowledge checks
and the final test through the real quizzes engine, course completion and the certificate."""

from unittest import mock

import pytest

from courses.models import ActivityProgress, Enrolment, LessonActivity, LessonProgress
from courses.services.progress import (
    LearningRefused,
    enrolment_progress_refresh,
    lesson_view_record,
    video_progress_record,
)
from quizzes.models import Choice
from quizzes.services.attempts import attempt_start, attempt_submit
from tests.factories.courses import (
    EnrolmentFactory,
    learning_block,
    learning_lesson,
    learning_video_document,
)
from tests.factories.quizzes import AssessmentFactory

pytestmark = pytest.mark.django_db


def _lessons(course):
    return [page.specific for page in course.get_children().live().order_by("path")]


def _answers(attempt, correct=True):
    answers = {}
    for item in attempt.draw:
        choices = Choice.objects.filter(pk__in=item["c"], is_correct=correct).values_list(
            "pk", flat=True
        )
        answers[item["q"]] = [list(choices)[0]]
    return answers


def _take(assessment, user, correct=True):
    attempt, _started = attempt_start(assessment=assessment, user=user)
    return attempt_submit(
        public_id=attempt.public_id, user=user, answers=_answers(attempt, correct)
    )


@pytest.fixture
def task_delay():
    with mock.patch("courses.tasks.certificate_issue_task.delay") as delay:
        yield delay


def test_text_lessons_complete_on_view_and_course_completes(
    course, task_delay, django_capture_on_commit_callbacks
):
    enrolment = EnrolmentFactory(course=course)
    first, second = _lessons(course)

    with django_capture_on_commit_callbacks(execute=True):
        lesson_view_record(enrolment=enrolment, lesson=first)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.IN_PROGRESS and enrolment.started_at
    assert enrolment.progress_percent == 50
    assert enrolment.last_lesson_id == first.pk
    assert LessonProgress.objects.get(enrolment=enrolment, lesson=first).completed_at
    task_delay.assert_not_called()

    with django_capture_on_commit_callbacks(execute=True):
        lesson_view_record(enrolment=enrolment, lesson=second)
        lesson_view_record(enrolment=enrolment, lesson=second)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED and enrolment.completed_at
    assert enrolment.progress_percent == 100
    task_delay.assert_called_once_with(enrolment.pk)


def test_no_certificate_task_when_the_course_issues_none(
    course, task_delay, django_capture_on_commit_callbacks
):
    course.certificate_enabled = False
    course.save()
    enrolment = EnrolmentFactory(course=course)
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in _lessons(course):
            lesson_view_record(enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    task_delay.assert_not_called()


@pytest.fixture
def video_lesson(course):
    doc = learning_video_document()
    lesson = learning_lesson(
        course,
        [
            learning_block(
                "video",
                {
                    "title": "Video",
                    "file": doc.pk,
                    "poster": None,
                    "embed": None,
                    "complete_percent": 80,
                },
            )
        ],
    )
    return lesson, LessonActivity.objects.get(lesson=lesson)


def test_video_needs_distinct_seconds_skipping_does_not_count(course, video_lesson):
    lesson, activity = video_lesson
    enrolment = EnrolmentFactory(course=course)
    lesson_view_record(enrolment=enrolment, lesson=lesson)

    result = video_progress_record(
        enrolment=enrolment, activity=activity, seconds=[[0, 50]], duration=100
    )
    assert not result.activity_complete and not result.lesson_complete
    # Skipping to the end: only the seconds really played count.
    video_progress_record(enrolment=enrolment, activity=activity, seconds=[[90, 100]], duration=100)
    # Watching the same part again adds nothing.
    video_progress_record(
        enrolment=enrolment, activity=activity, seconds=list(range(0, 50)), duration=100
    )
    progress = ActivityProgress.objects.get(enrolment=enrolment, activity=activity)
    assert progress.watched_percent == 60 and progress.completed_at is None
    assert len(progress.watched_seconds) == 100

    result = video_progress_record(
        enrolment=enrolment, activity=activity, seconds=[[50, 70]], duration=100
    )
    assert result.activity_complete and result.lesson_complete
    progress.refresh_from_db()
    assert progress.watched_percent == 80


def test_video_shorter_duration_later_does_not_inflate(course, video_lesson):
    _lesson, activity = video_lesson
    enrolment = EnrolmentFactory(course=course)
    video_progress_record(enrolment=enrolment, activity=activity, seconds=[[0, 10]], duration=100)
    result = video_progress_record(
        enrolment=enrolment, activity=activity, seconds=[0, 1], duration=10
    )
    progress = ActivityProgress.objects.get(enrolment=enrolment, activity=activity)
    assert progress.watched_percent == 10 and not result.activity_complete


@pytest.mark.parametrize(
    ("seconds", "duration"),
    [
        ([[0, 200]], 100),  # past the end
        ([-1], 100),
        ([True], 100),
        (["5"], 100),
        ([[5, 1]], 100),
        ([1], 0),
        ([1], float("inf")),
        ([1], 10**9),
    ],
)
def test_video_bad_input_is_refused_and_changes_nothing(course, video_lesson, seconds, duration):
    _lesson, activity = video_lesson
    enrolment = EnrolmentFactory(course=course)
    with pytest.raises(LearningRefused):
        video_progress_record(
            enrolment=enrolment, activity=activity, seconds=seconds, duration=duration
        )
    assert not ActivityProgress.objects.filter(enrolment=enrolment).exists()


def test_video_of_another_course_is_refused(course, course_index, video_lesson):
    from tests.factories.courses import CoursePageFactory

    _lesson, activity = video_lesson
    other = EnrolmentFactory(course=CoursePageFactory(parent=course_index))
    with pytest.raises(LearningRefused) as excinfo:
        video_progress_record(enrolment=other, activity=activity, seconds=[1], duration=10)
    assert excinfo.value.status == 404


def test_embedded_video_counts_when_the_lesson_is_viewed(course):
    lesson = learning_lesson(
        course,
        [
            learning_block(
                "video",
                {
                    "title": "YouTube",
                    "file": None,
                    "poster": None,
                    "embed": "https://www.youtube.com/watch?v=abc",
                    "complete_percent": 80,
                },
            )
        ],
    )
    activity = LessonActivity.objects.get(lesson=lesson)
    assert activity.rule["embed"] is True
    enrolment = EnrolmentFactory(course=course)
    lesson_view_record(enrolment=enrolment, lesson=lesson)
    assert ActivityProgress.objects.get(enrolment=enrolment, activity=activity).completed_at
    assert LessonProgress.objects.get(enrolment=enrolment, lesson=lesson).completed_at


@pytest.fixture
def check_lesson(course, question_bank):
    assessment = AssessmentFactory(questions=4, attempts_allowed=3, pass_percent=75)
    lesson = learning_lesson(
        course, [learning_block("knowledge_check", {"assessment": assessment.pk, "intro": ""})]
    )
    return lesson, LessonActivity.objects.get(lesson=lesson), assessment


def test_knowledge_check_passes_through_the_quizzes_engine(course, check_lesson):
    lesson, activity, assessment = check_lesson
    enrolment = EnrolmentFactory(course=course)
    lesson_view_record(enrolment=enrolment, lesson=lesson)

    _take(assessment, enrolment.user, correct=False)
    progress = ActivityProgress.objects.get(enrolment=enrolment, activity=activity)
    assert progress.passed is False and progress.completed_at is None
    assert not LessonProgress.objects.get(enrolment=enrolment, lesson=lesson).completed_at

    _take(assessment, enrolment.user, correct=True)
    progress.refresh_from_db()
    assert progress.passed is True and progress.completed_at and progress.score_scaled == 1.0
    assert LessonProgress.objects.get(enrolment=enrolment, lesson=lesson).completed_at


def test_knowledge_check_default_pass_mark_is_70(course, check_lesson):
    _lesson, activity, assessment = check_lesson
    assessment.pass_percent = None
    assessment.save()
    enrolment = EnrolmentFactory(course=course)
    attempt, _started = attempt_start(assessment=assessment, user=enrolment.user)
    answers = _answers(attempt, correct=True)
    wrong = _answers(attempt, correct=False)
    # 2 of 4 right = 50 % < 70 %.
    for question_id in list(answers)[:2]:
        answers[question_id] = wrong[question_id]
    attempt_submit(public_id=attempt.public_id, user=enrolment.user, answers=answers)
    assert ActivityProgress.objects.get(enrolment=enrolment, activity=activity).passed is False


def test_knowledge_check_of_a_user_not_enrolled_records_nothing(course, check_lesson):
    from tests.factories.users import UserFactory

    _lesson, _activity, assessment = check_lesson
    _take(assessment, UserFactory())
    assert not ActivityProgress.objects.exists()


def test_course_completes_only_with_the_final_test_passed(
    course, question_bank, task_delay, django_capture_on_commit_callbacks
):
    course.final_test = AssessmentFactory(questions=5, attempts_allowed=3)
    course.pass_percent = 80
    course.save()
    enrolment = EnrolmentFactory(course=course)
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in _lessons(course):
            lesson_view_record(enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.IN_PROGRESS
    assert enrolment.progress_percent == 66  # 2 of 3 units

    with django_capture_on_commit_callbacks(execute=True):
        _take(course.final_test, enrolment.user, correct=False)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.IN_PROGRESS
    task_delay.assert_not_called()

    with django_capture_on_commit_callbacks(execute=True):
        _take(course.final_test, enrolment.user, correct=True)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED and enrolment.progress_percent == 100
    task_delay.assert_called_once_with(enrolment.pk)

    with django_capture_on_commit_callbacks(execute=True):
        enrolment_progress_refresh(enrolment=enrolment)
    task_delay.assert_called_once()


def test_new_lesson_published_later_does_not_undo_a_completed_course(course):
    enrolment = EnrolmentFactory(course=course)
    for lesson in _lessons(course):
        lesson_view_record(enrolment=enrolment, lesson=lesson)
    learning_lesson(course, [learning_block("paragraph", "<p>Bài mới</p>")])
    enrolment = enrolment_progress_refresh(enrolment=enrolment)
    assert enrolment.status == Enrolment.Status.COMPLETED and enrolment.progress_percent == 100


def test_in_progress_course_counts_a_new_lesson(course):
    enrolment = EnrolmentFactory(course=course)
    lesson_view_record(enrolment=enrolment, lesson=_lessons(course)[0])
    learning_lesson(course, [learning_block("paragraph", "<p>Bài mới</p>")])
    enrolment = enrolment_progress_refresh(enrolment=enrolment)
    assert enrolment.progress_percent == 33
