"""Reads of the course catalogue."""

from ..models import CoursePage, Enrolment, LessonPage
from .learning import current_cycle


def course_catalogue(*, index, user) -> list[dict]:
    """The live courses under `index` in tree order, each with its number of live lessons and
    the user's enrolment of the current cycle (None for visitors). Three queries."""
    courses = list(
        CoursePage.objects.child_of(index).live().select_related("cover_image").order_by("path")
    )
    lesson_paths = LessonPage.objects.live().filter(
        depth=index.depth + 2, path__startswith=index.path
    )
    counts: dict[str, int] = {}
    steplen = CoursePage.steplen
    for path in lesson_paths.values_list("path", flat=True):
        counts[path[:-steplen]] = counts.get(path[:-steplen], 0) + 1
    enrolments = {}
    if user is not None and user.is_authenticated and courses:
        enrolments = {
            e.course_id: e
            for e in Enrolment.objects.filter(user=user, course__in=courses, cycle=current_cycle())
        }
    return [
        {
            "course": course,
            "lesson_count": counts.get(course.path, 0),
            "enrolment": enrolments.get(course.pk),
        }
        for course in courses
    ]
