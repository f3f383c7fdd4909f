"""Starting course tests (the final test, knowledge checks) through the quizzes engine."""

from django.utils.translation import gettext as _

from portal.core.http import ClientInfo
from quizzes.models import Assessment, Attempt
from quizzes.services.attempts import attempt_start

from ..models import CoursePage, Enrolment
from ..selectors.learning import lessons_all_complete
from .progress import LearningRefused


def course_test_attempt_start(
    *,
    enrolment: Enrolment,
    assessment: Assessment,
    client: ClientInfo | None = None,
) -> Attempt:
    """Starts (or resumes) an attempt at one of the enrolment's course tests.

    The final test opens only when every lesson is complete. Attempts count toward the test's
    limit from the enrolment on, so a yearly course's new cycle has the full allowance again.
    Raises LearningRefused and the engine's AttemptRefused errors.
    """
    course: CoursePage = enrolment.course
    if assessment.pk == course.final_test_id and not lessons_all_complete(
        course=course, enrolment=enrolment
    ):
        raise LearningRefused(_("Complete every lesson before taking the final test."), 409)
    attempt, _started = attempt_start(
        assessment=assessment,
        user=enrolment.user,
        counted_since=enrolment.enrolled_at,
        client=client,
    )
    return attempt
