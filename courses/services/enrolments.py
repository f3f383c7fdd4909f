"""Self-enrolment in a course."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import CoursePage, Enrolment
from ..selectors.learning import current_cycle


def enrolment_create(*, user, course: CoursePage) -> Enrolment:
    """Enrols `user` in `course` for the current yearly cycle; returns the enrolment.

    Idempotent: the user's enrolment of the current cycle, or an earlier one not yet completed
    (an assignment still open), is returned unchanged. Otherwise the course must be live and
    open to self-enrolment and every prerequisite course completed (in any cycle).
    Raises ValidationError with a message for the learner; nothing is written then. Two
    concurrent calls make one enrolment (the unique constraint decides).
    """
    if user is None or not user.is_authenticated:
        raise ValidationError(_("Sign in to enrol in this course."))
    cycle = current_cycle()
    existing = (
        Enrolment.objects.filter(user=user, course_id=course.pk).filter(cycle=cycle).first()
    ) or (
        Enrolment.objects.filter(user=user, course_id=course.pk)
        .exclude(status=Enrolment.Status.COMPLETED)
        .order_by("-cycle")
        .first()
    )
    if existing is not None:
        return existing
    if not course.live:
        raise ValidationError(_("This course is not open."))
    if not course.self_enrolment:
        raise ValidationError(
            _("This course is not open to self-enrolment: it is assigned by your unit.")
        )
    missing = [
        prerequisite.title
        for prerequisite in course.prerequisites.all()
        if not Enrolment.objects.filter(
            user=user, course_id=prerequisite.pk, status=Enrolment.Status.COMPLETED
        ).exists()
    ]
    if missing:
        raise ValidationError(
            _("Complete these courses first: %(courses)s.") % {"courses": ", ".join(missing)}
        )
    try:
        with transaction.atomic():
            enrolment = Enrolment(user=user, course=course, cycle=cycle)
            enrolment.full_clean(
                exclude=["course", "user"], validate_unique=False, validate_constraints=False
            )
            enrolment.save()
    except IntegrityError:
        enrolment = Enrolment.objects.get(user=user, course_id=course.pk, cycle=cycle)
    return enrolment
