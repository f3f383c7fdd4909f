"""Course and lesson pages, H5P packages, enrolments and progress, assignments, certificates."""

from .assignments import Assignment, ReminderLog
from .certificates import Certificate
from .h5p import H5PContent, H5PLibrary
from .learning import (
    ActivityProgress,
    Enrolment,
    H5PAttempt,
    LessonActivity,
    LessonProgress,
    XapiStatement,
)
from .pages import CourseIndexPage, CoursePage, LessonPage

__all__ = [
    "ActivityProgress",
    "Assignment",
    "Certificate",
    "CourseIndexPage",
    "CoursePage",
    "Enrolment",
    "H5PAttempt",
    "H5PContent",
    "H5PLibrary",
    "LessonActivity",
    "LessonPage",
    "LessonProgress",
    "ReminderLog",
    "XapiStatement",
]
