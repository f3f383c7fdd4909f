"""Lesson and course progress, and the assessment engine's finish handler for course tests.

Rules:
- an activity is complete by its block's rule: a video file watched to `complete_percent` of
  its distinct seconds (an embedded video when the lesson is opened), an H5P activity passed
  or completed (see services/xapi.py), a knowledge check passed at its test's pass mark
  (70 % when the test has none);
- a lesson is complete when every live activity in it is complete; a lesson without activities
  when it has been opened;
- a course is complete when every live lesson is complete AND its final test (if any) passed.

Completion is a record of what happened: a completed lesson or course stays completed when the
content changes later. Every write locks the enrolment row first, so statements, video beats and
test results arriving together for one learner are applied one after the other.
"""

import math
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    ActivityProgress,
    CoursePage,
    Enrolment,
    LessonActivity,
    LessonPage,
    LessonProgress,
)
from ..selectors.learning import course_lessons, course_of_lesson, enrolment_for_learning

DEFAULT_KNOWLEDGE_CHECK_PASS_PERCENT = 70
# Longest video the server keeps a per-second map for (12 hours), and most entries per beat.
VIDEO_MAX_SECONDS = 12 * 3600
VIDEO_MAX_ENTRIES = 2000


class LearningRefused(Exception):
    """A learner's request that cannot be accepted; `message` is for the learner."""

    def __init__(self, message, status: int = 400):
        self.message = message
        self.status = status
        super().__init__(str(message))


@dataclass(frozen=True)
class ProgressResult:
    """What the player and the video tracker are told after a write."""

    activity: int
    recorded: bool
    activity_complete: bool
    lesson_complete: bool
    course_percent: int
    # The activity's graded score in percent (None before any scored attempt).
    activity_percent: int | None = None

    def as_dict(self) -> dict:
        return {
            "activity": self.activity,
            "recorded": self.recorded,
            "activity_complete": self.activity_complete,
            "lesson_complete": self.lesson_complete,
            "course_percent": self.course_percent,
            "activity_percent": self.activity_percent,
        }


def _locked(enrolment: Enrolment) -> Enrolment:
    return Enrolment.objects.select_for_update(of=("self",)).get(pk=enrolment.pk)


def activity_belongs_to(*, activity: LessonActivity, enrolment: Enrolment) -> bool:
    """True when the activity is live, in a live lesson of the enrolment's course."""
    lesson = activity.lesson
    if not activity.is_live or not lesson.live:
        return False
    course = course_of_lesson(lesson)
    return course is not None and course.pk == enrolment.course_id


def progress_result(
    *, enrolment: Enrolment, activity: LessonActivity, recorded: bool = True
) -> ProgressResult:
    """The learner's current state on an activity, its lesson and the course (reads only)."""
    enrolment.refresh_from_db(fields=["progress_percent"])
    state = (
        ActivityProgress.objects.filter(enrolment=enrolment, activity=activity)
        .values("completed_at", "score_scaled")
        .first()
    ) or {"completed_at": None, "score_scaled": None}
    activity_done = state["completed_at"] is not None
    lesson_done = LessonProgress.objects.filter(
        enrolment=enrolment, lesson_id=activity.lesson_id, completed_at__isnull=False
    ).exists()
    return ProgressResult(
        activity=activity.pk,
        recorded=recorded,
        activity_complete=activity_done,
        lesson_complete=lesson_done,
        course_percent=enrolment.progress_percent,
        activity_percent=(
            None if state["score_scaled"] is None else round(state["score_scaled"] * 100)
        ),
    )


def final_test_passed(*, enrolment: Enrolment, course: CoursePage) -> bool:
    """True when a finished attempt at the course's final test, started after the learner
    enrolled for this cycle, reaches the course's pass mark (any passing attempt counts)."""
    from quizzes.models import Attempt

    if course.final_test_id is None:
        return False
    attempts = Attempt.objects.filter(
        assessment_id=course.final_test_id,
        user_id=enrolment.user_id,
        started_at__gte=enrolment.enrolled_at,
        score__isnull=False,
    ).exclude(status=Attempt.Status.IN_PROGRESS)
    return any(
        a.max_score and a.score * 100 >= course.pass_percent * a.max_score
        for a in attempts.only("score", "max_score")
    )


def lesson_progress_refresh(*, enrolment: Enrolment, lesson: LessonPage) -> LessonProgress | None:
    """Marks the lesson complete when every live activity of it is complete (a lesson without
    activities: once opened). Completion is kept once reached. Call inside a transaction
    holding the enrolment lock. Returns the lesson progress (None: never opened, not complete)."""
    now = timezone.now()
    progress = LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson).first()
    if progress is not None and progress.completed_at:
        return progress
    activity_ids = list(
        LessonActivity.objects.filter(lesson=lesson, is_live=True).values_list("pk", flat=True)
    )
    done = ActivityProgress.objects.filter(
        enrolment=enrolment, activity_id__in=activity_ids, completed_at__isnull=False
    ).count()
    if done < len(activity_ids):
        return progress
    if progress is None:
        if not activity_ids:
            return None
        progress = LessonProgress(
            enrolment=enrolment, lesson=lesson, first_viewed_at=now, last_viewed_at=now
        )
    progress.completed_at = now
    progress.save()
    return progress


def enrolment_progress_refresh(*, enrolment: Enrolment) -> Enrolment:
    """Recomputes the course progress percent and completion of an enrolment; returns it fresh.

    Locks the enrolment row. Units are the live lessons plus the final test (if any). On the
    step to completed: status, completed_at, and (when the course issues certificates) the
    certificate task is enqueued once, after the commit. A completed enrolment stays completed.
    """
    from ..tasks import certificate_issue_task

    now = timezone.now()
    with transaction.atomic():
        enrolment = _locked(enrolment)
        course = CoursePage.objects.get(pk=enrolment.course_id)
        lessons = course_lessons(course=course)
        done = LessonProgress.objects.filter(
            enrolment=enrolment, lesson__in=lessons, completed_at__isnull=False
        ).count()
        units = len(lessons)
        if course.final_test_id is not None:
            units += 1
            done += final_test_passed(enrolment=enrolment, course=course)
        was_completed = enrolment.status == Enrolment.Status.COMPLETED
        enrolment.progress_percent = (
            100 if was_completed else ((done * 100) // units if units else 0)
        )
        if not was_completed and units and done >= units:
            enrolment.status = Enrolment.Status.COMPLETED
            enrolment.completed_at = now
            enrolment.started_at = enrolment.started_at or now
            if course.certificate_enabled:
                pk = enrolment.pk
                transaction.on_commit(lambda: certificate_issue_task.delay(pk))
        elif enrolment.status == Enrolment.Status.NOT_STARTED and done:
            enrolment.status = Enrolment.Status.IN_PROGRESS
            enrolment.started_at = enrolment.started_at or now
        enrolment.save(update_fields=["progress_percent", "status", "started_at", "completed_at"])
    return enrolment


def lesson_view_record(*, enrolment: Enrolment, lesson: LessonPage) -> LessonProgress:
    """Records that the learner opened the lesson: first/last viewed, the lesson to resume,
    the enrolment started; embedded videos of the lesson count as watched. Then refreshes the
    lesson and the course. Locks the enrolment row."""
    now = timezone.now()
    with transaction.atomic():
        enrolment = _locked(enrolment)
        progress, created = LessonProgress.objects.get_or_create(
            enrolment=enrolment,
            lesson=lesson,
            defaults={"first_viewed_at": now, "last_viewed_at": now},
        )
        if not created:
            progress.last_viewed_at = now
            progress.save(update_fields=["last_viewed_at"])
        for activity in LessonActivity.objects.filter(
            lesson=lesson, is_live=True, kind=LessonActivity.Kind.VIDEO, rule__embed=True
        ):
            watched, _created = ActivityProgress.objects.get_or_create(
                enrolment=enrolment, activity=activity
            )
            if watched.completed_at is None:
                watched.watched_percent = 100
                watched.completed_at = now
                watched.save()
        enrolment.last_lesson = lesson
        fields = ["last_lesson"]
        if enrolment.status == Enrolment.Status.NOT_STARTED:
            enrolment.status = Enrolment.Status.IN_PROGRESS
            enrolment.started_at = now
            fields += ["status", "started_at"]
        enrolment.save(update_fields=fields)
        progress = lesson_progress_refresh(enrolment=enrolment, lesson=lesson) or progress
        enrolment_progress_refresh(enrolment=enrolment)
    return progress


def _parse_seconds(seconds, length: int) -> set[int]:
    """Seconds played: integers, or [start, end) pairs; refused when malformed."""
    if not isinstance(seconds, list) or len(seconds) > VIDEO_MAX_ENTRIES:
        raise LearningRefused(_("The list of watched seconds is not valid."))
    played: set[int] = set()
    for item in seconds:
        if isinstance(item, bool):
            raise LearningRefused(_("The list of watched seconds is not valid."))
        if isinstance(item, int):
            if not 0 <= item < length:
                raise LearningRefused(_("The list of watched seconds is not valid."))
            played.add(item)
            continue
        if (
            isinstance(item, list | tuple)
            and len(item) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in item)
            and all(math.isfinite(v) for v in item)
            and 0 <= item[0] <= item[1] <= length
        ):
            played.update(range(int(item[0]), int(item[1])))
            continue
        raise LearningRefused(_("The list of watched seconds is not valid."))
    return played


def video_progress_record(
    *, enrolment: Enrolment, activity: LessonActivity, seconds: list, duration
) -> ProgressResult:
    """Adds the seconds the learner played to the activity's per-second map.

    `seconds` holds whole seconds (ints) or [start, end) ranges; `duration` is the video's
    length in seconds as the player reports it. Watched percent = distinct seconds played /
    length, so skipping to the end plays only the last seconds. The map never shrinks: a
    shorter duration reported later does not raise the percent. Complete at the block's
    `complete_percent`. Locks the enrolment row. Raises LearningRefused (404: not a video of
    this enrolment's course; 400: bad seconds or duration) with nothing changed.
    """
    if activity.kind != LessonActivity.Kind.VIDEO or not activity_belongs_to(
        activity=activity, enrolment=enrolment
    ):
        raise LearningRefused(_("This video is not part of your course."), status=404)
    if (
        isinstance(duration, bool)
        or not isinstance(duration, int | float)
        or not math.isfinite(duration)
        or not 0 < duration <= VIDEO_MAX_SECONDS
    ):
        raise LearningRefused(_("The video length is not valid."))
    now = timezone.now()
    with transaction.atomic():
        enrolment = _locked(enrolment)
        progress, _created = ActivityProgress.objects.get_or_create(
            enrolment=enrolment, activity=activity
        )
        bitmap = progress.watched_seconds
        length = max(len(bitmap), math.ceil(duration))
        played = _parse_seconds(seconds, length)
        bits = bytearray(bitmap.ljust(length, "0"), "ascii")
        for second in played:
            bits[second] = ord("1")
        progress.watched_seconds = bits.decode("ascii")
        progress.watched_percent = min(100, bits.count(b"1") * 100 // length)
        required = int(activity.rule.get("complete_percent") or 80)
        if progress.completed_at is None and (
            activity.rule.get("embed") or progress.watched_percent >= required
        ):
            progress.completed_at = now
        progress.save()
        if progress.completed_at:
            lesson_progress_refresh(enrolment=enrolment, lesson=activity.lesson)
        enrolment_progress_refresh(enrolment=enrolment)
    return progress_result(enrolment=enrolment, activity=activity)


def _knowledge_check_record(*, enrolment: Enrolment, activity: LessonActivity, attempt) -> None:
    """Records a finished attempt at a knowledge check: best score kept, passed once reached."""
    now = timezone.now()
    pass_percent = activity.assessment.pass_percent
    if pass_percent is None:
        pass_percent = DEFAULT_KNOWLEDGE_CHECK_PASS_PERCENT
    scaled = attempt.score / attempt.max_score if attempt.max_score else 0.0
    passed = scaled * 100 >= pass_percent
    with transaction.atomic():
        enrolment = _locked(enrolment)
        progress, _created = ActivityProgress.objects.get_or_create(
            enrolment=enrolment, activity=activity
        )
        if progress.score_scaled is None or scaled > progress.score_scaled:
            progress.score_scaled = scaled
        if passed:
            progress.passed = True
            progress.completed_at = progress.completed_at or now
        elif progress.passed is None:
            progress.passed = False
        progress.save()
        lesson_progress_refresh(enrolment=enrolment, lesson=activity.lesson)
        enrolment_progress_refresh(enrolment=enrolment)


def course_attempt_finished(attempt) -> None:
    """Finish handler of the assessment engine, run inside the attempt's transaction.

    A finished attempt at a course's final test refreshes that course's progress (the pass is
    read from the attempts, see `final_test_passed`); one at a knowledge check records the
    check's result on the learner's enrolment. Attempts at other tests (contests) cost two
    queries and change nothing.
    """
    if attempt.score is None:
        return
    courses = list(CoursePage.objects.filter(final_test_id=attempt.assessment_id))
    activities = list(
        LessonActivity.objects.filter(
            assessment_id=attempt.assessment_id,
            kind=LessonActivity.Kind.KNOWLEDGE_CHECK,
            is_live=True,
        ).select_related("lesson", "assessment")
    )
    if not courses and not activities:
        return
    user = attempt.user
    for course in courses:
        enrolment = enrolment_for_learning(user=user, course=course)
        if enrolment is not None:
            enrolment_progress_refresh(enrolment=enrolment)
    for activity in activities:
        course = course_of_lesson(activity.lesson)
        enrolment = enrolment_for_learning(user=user, course=course) if course else None
        if enrolment is not None and activity_belongs_to(activity=activity, enrolment=enrolment):
            _knowledge_check_record(enrolment=enrolment, activity=activity, attempt=attempt)
