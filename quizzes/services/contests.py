"""Taking part in a contest: the checks around the engine's attempt start."""

from django.utils.translation import gettext_lazy as _

from portal.core.http import ClientInfo

from ..errors import AssessmentNotOpen, AttemptRefused
from ..models import Attempt, Registration, Round
from .attempts import attempt_start


class RoundNotOpen(AssessmentNotOpen):
    default_message = _("This round is not open now.")


class NotRegistered(AttemptRefused):
    status = 403
    default_message = _("Register for the contest before taking a round.")


def contest_attempt_start(
    *, round_: Round, user, client: ClientInfo | None = None
) -> tuple[Attempt, bool]:
    """Starts (or resumes) the user's attempt at the round's test for their audience.

    Raises NotRegistered, RoundNotOpen and the engine's refusals; the deadline never passes the
    round's closing time.
    """
    registration = Registration.objects.filter(contest_id=round_.contest_id, user=user).first()
    if registration is None:
        raise NotRegistered()
    if not round_.is_open():
        current = Attempt.objects.filter(
            assessment=round_.assessment_for(registration.audience),
            user=user,
            status=Attempt.Status.IN_PROGRESS,
        ).first()
        if current is None:
            raise RoundNotOpen()
    return attempt_start(
        assessment=round_.assessment_for(registration.audience),
        user=user,
        not_after=round_.closes_at,
        client=client,
    )
