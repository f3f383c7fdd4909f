"""Reads for contestants: their registration, the rounds with their own state, my contests."""

from django.db.models import Q
from django.utils import timezone

from ..models import Attempt, ContestPage, Registration, Round, Standing


def round_of_assessment(*, assessment_id: int) -> Round | None:
    """The round this test belongs to (for everyone, or for staff); a test has one round."""
    return (
        Round.objects.select_related("contest", "assessment", "staff_assessment")
        .filter(Q(assessment_id=assessment_id) | Q(staff_assessment_id=assessment_id))
        .first()
    )


def registration_of(*, contest: ContestPage, user) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(contest=contest, user=user).first()


def contest_rounds_for(
    *, contest: ContestPage, user, registration: Registration | None = None
) -> list[dict]:
    """Each round with its state (upcoming/open/closed) and, for a contestant (`registration`,
    looked up when not given), their attempts, the attempt in progress and the counted result.
    Four queries whatever the number of rounds."""
    now = timezone.now()
    registration = registration or registration_of(contest=contest, user=user)
    rounds = list(
        contest.rounds.select_related("assessment", "staff_assessment").prefetch_related(
            "assessment__draw_rules", "staff_assessment__draw_rules"
        )
    )
    attempts: dict[int, list[Attempt]] = {}
    standings: dict[int, Standing] = {}
    if registration is not None:
        assessment_ids = {r.assessment_for(registration.audience).pk for r in rounds}
        for attempt in Attempt.objects.filter(user=user, assessment_id__in=assessment_ids):
            attempts.setdefault(attempt.assessment_id, []).append(attempt)
        standings = {s.round_id: s for s in Standing.objects.filter(registration=registration)}
    result = []
    for round_ in rounds:
        entry = {"round": round_, "state": round_.state(now), "attempts": [], "in_progress": None}
        if registration is not None:
            assessment = round_.assessment_for(registration.audience)
            mine = sorted(attempts.get(assessment.pk, []), key=lambda a: a.number)
            entry.update(
                attempts=mine,
                in_progress=next((a for a in mine if not a.is_finished), None),
                attempts_left=max(0, assessment.attempts_allowed - len(mine)),
                assessment=assessment,
                standing=standings.get(round_.pk),
            )
        result.append(entry)
    return result


def my_contests(*, user) -> list[dict]:
    """The user's registrations, newest first, each with its rounds and results."""
    return [
        {
            "registration": registration,
            "rounds": contest_rounds_for(
                contest=registration.contest, user=user, registration=registration
            ),
        }
        for registration in Registration.objects.filter(user=user).select_related("contest")
    ]
