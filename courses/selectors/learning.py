"""Reads of the learner's flow: which enrolment counts, a lesson's sections, a course outline,
where to resume, and the "My training" list."""

from django.conf import settings
from django.utils import timezone

from ..blocks import TRACKED_BLOCK_TYPES
from ..models import (
    ActivityProgress,
    Certificate,
    CoursePage,
    Enrolment,
    LessonActivity,
    LessonPage,
    LessonProgress,
)


def activity_iri(activity: LessonActivity) -> str:
    """The xAPI object id of an activity; sub-content statements append `?subContentId=…`."""
    return f"{settings.SITE_BASE_URL}/xapi/activities/{activity.pk}"


def current_cycle() -> int:
    return timezone.localdate().year


def enrolment_for_learning(*, user, course) -> Enrolment | None:
    """The enrolment a learner's work on `course` counts towards.

    The current cycle's enrolment when there is one; else the latest one not completed (an
    assignment of an earlier year still open); else the latest one. None for visitors and for
    users never enrolled.
    """
    if user is None or not user.is_authenticated:
        return None
    enrolments = list(
        Enrolment.objects.filter(user=user, course_id=course.pk).order_by("-cycle", "-pk")
    )
    if not enrolments:
        return None
    cycle = current_cycle()
    for enrolment in enrolments:
        if enrolment.cycle == cycle:
            return enrolment
    for enrolment in enrolments:
        if enrolment.status != Enrolment.Status.COMPLETED:
            return enrolment
    return enrolments[0]


def course_of_lesson(lesson) -> CoursePage | None:
    parent = lesson.get_parent()
    return parent.specific if parent is not None else None


def course_lessons(*, course) -> list[LessonPage]:
    """The course's live lessons in the order of the page tree."""
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def lesson_sections(*, lesson, enrolment: Enrolment | None) -> list[dict]:
    """Each block of the lesson's body with its activity, the learner's progress on it and its
    xAPI IRI, for `{% include_block section.block with activity=… progress=… iri=… %}`."""
    activities = {a.block_id: a for a in LessonActivity.objects.filter(lesson=lesson, is_live=True)}
    progress = {}
    if enrolment is not None and activities:
        progress = {
            p.activity_id: p
            for p in ActivityProgress.objects.filter(
                enrolment=enrolment, activity__in=activities.values()
            )
        }
    sections = []
    for block in lesson.body:
        activity = activities.get(block.id) if block.block_type in TRACKED_BLOCK_TYPES else None
        sections.append(
            {
                "block": block,
                "activity": activity,
                "progress": progress.get(activity.pk) if activity else None,
                "iri": activity_iri(activity) if activity else "",
            }
        )
    return sections


def course_outline(*, course, enrolment: Enrolment | None) -> list[dict]:
    """The live lessons with the learner's status on each: not_started, in_progress, completed."""
    lessons = course_lessons(course=course)
    states = {}
    if enrolment is not None:
        states = {
            p.lesson_id: p
            for p in LessonProgress.objects.filter(enrolment=enrolment, lesson__in=lessons)
        }
    outline = []
    for number, lesson in enumerate(lessons, start=1):
        state = states.get(lesson.pk)
        if state is None:
            status = "not_started"
        elif state.completed_at:
            status = "completed"
        else:
            status = "in_progress"
        outline.append({"number": number, "lesson": lesson, "status": status, "progress": state})
    return outline


def resume_lesson(*, outline: list[dict], enrolment: Enrolment | None) -> LessonPage | None:
    """Where "Continue" leads: the last lesson opened when not yet complete, else the first
    lesson not complete; None when every lesson is complete (the final test is next)."""
    if enrolment is None:
        return None
    for item in outline:
        if item["lesson"].pk == enrolment.last_lesson_id and item["status"] != "completed":
            return item["lesson"]
    for item in outline:
        if item["status"] != "completed":
            return item["lesson"]
    return None


def lessons_all_complete(*, course, enrolment: Enrolment) -> bool:
    lessons = course_lessons(course=course)
    if not lessons:
        return True
    done = LessonProgress.objects.filter(
        enrolment=enrolment, lesson__in=lessons, completed_at__isnull=False
    ).count()
    return done >= len(lessons)


def my_training(*, user) -> list[dict]:
    """The user's enrolments of every cycle, newest cycle first: course, due date, overdue
    (not completed and past due), progress and the serial of a valid certificate. Three queries."""
    today = timezone.localdate()
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .select_related("course", "assignment")
        .order_by("-cycle", "due_date", "pk")
    )
    serials = dict(
        Certificate.objects.filter(
            enrolment__in=enrolments, status=Certificate.Status.VALID
        ).values_list("enrolment_id", "serial")
    )
    rows = []
    for enrolment in enrolments:
        completed = enrolment.status == Enrolment.Status.COMPLETED
        rows.append(
            {
                "enrolment": enrolment,
                "course": enrolment.course,
                "cycle": enrolment.cycle,
                "assigned": enrolment.assignment_id is not None,
                "due_date": enrolment.due_date,
                "overdue": bool(
                    not completed and enrolment.due_date and enrolment.due_date < today
                ),
                "completed": completed,
                "progress_percent": enrolment.progress_percent,
                "certificate_serial": serials.get(enrolment.pk, ""),
            }
        )
    return rows


def missing_prerequisites(*, course, user) -> list[CoursePage]:
    """Prerequisite courses the user has not completed in any cycle."""
    if user is None or not user.is_authenticated:
        return list(course.prerequisites.all())
    done = set(
        Enrolment.objects.filter(
            user=user, course__in=course.prerequisites.all(), status=Enrolment.Status.COMPLETED
        ).values_list("course_id", flat=True)
    )
    return [c for c in course.prerequisites.all() if c.pk not in done]


def assessment_attempts(*, assessment, user, since=None) -> list:
    """The user's attempts at an assessment, newest first (since a time when given)."""
    from quizzes.models import Attempt

    attempts = Attempt.objects.filter(assessment=assessment, user=user).order_by("-started_at")
    if since is not None:
        attempts = attempts.filter(started_at__gte=since)
    return list(attempts)


def final_test_summary(*, course, enrolment: Enrolment | None) -> dict | None:
    """The final test as the course page shows it: the learner's attempts of this enrolment,
    the one in progress, attempts left (counted from the enrolment, as the start counts them)
    and passed."""
    assessment = course.final_test
    if assessment is None:
        return None
    summary = {
        "assessment": assessment,
        "attempts": [],
        "in_progress": None,
        "attempts_left": assessment.attempts_allowed,
        "passed": False,
        "pass_percent": course.pass_percent,
    }
    if enrolment is None:
        return summary
    all_attempts = assessment_attempts(assessment=assessment, user=enrolment.user)
    attempts = [a for a in all_attempts if a.started_at >= enrolment.enrolled_at]
    summary["attempts"] = attempts
    summary["in_progress"] = next((a for a in attempts if not a.is_finished), None)
    # A yearly cycle has the full allowance again: only this enrolment's attempts count.
    summary["attempts_left"] = max(0, assessment.attempts_allowed - len(attempts))
    summary["passed"] = any(
        a.is_finished
        and a.score is not None
        and a.max_score
        and a.score * 100 >= course.pass_percent * a.max_score
        for a in attempts
    )
    return summary


def attempt_passed(*, attempt, pass_percent: int) -> bool:
    return bool(
        attempt.is_finished
        and attempt.score is not None
        and attempt.max_score
        and attempt.score * 100 >= pass_percent * attempt.max_score
    )
