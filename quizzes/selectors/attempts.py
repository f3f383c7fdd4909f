"""Reads of attempts: what the contestant's page shows, never a correct answer before the end."""

from django.utils import timezone

from ..models import Attempt, Choice, Question


def attempt_for_user(*, public_id, user) -> Attempt | None:
    return (
        Attempt.objects.select_related("assessment").filter(public_id=public_id, user=user).first()
    )


def attempt_state(*, public_id, user) -> dict | None:
    """Status, seconds left by the server's clock, saved answers and prediction."""
    attempt = attempt_for_user(public_id=public_id, user=user)
    if attempt is None:
        return None
    return {
        "status": attempt.status,
        "remaining_seconds": attempt.remaining_seconds,
        "answers": {
            str(question_id): choice_ids
            for question_id, choice_ids in attempt.answers.values_list("question_id", "choice_ids")
        },
        "prediction": attempt.prediction,
    }


def attempt_review_allowed(*, attempt: Attempt, closes_at) -> bool:
    """Correct answers are shown when the test allows it and they can no longer help with
    another attempt: every attempt is used, or the test's window (a round) has closed."""
    if not attempt.assessment.show_review:
        return False
    if timezone.now() >= closes_at:
        return True
    used = Attempt.objects.filter(assessment_id=attempt.assessment_id, user_id=attempt.user_id)
    return used.count() >= attempt.assessment.attempts_allowed


def attempt_paper(*, attempt: Attempt, reveal: bool) -> list[dict]:
    """The questions in the drawn order with their choices in the drawn order.

    With reveal=False (an attempt in progress) no choice carries whether it is correct and no
    explanation is included.
    """
    question_ids = attempt.question_ids
    questions = Question.objects.in_bulk(question_ids)
    choices = Choice.objects.in_bulk([c for item in attempt.draw for c in item["c"]])
    saved = dict(attempt.answers.values_list("question_id", "choice_ids"))
    correctness = dict(attempt.answers.values_list("question_id", "is_correct")) if reveal else {}
    paper = []
    for number, item in enumerate(attempt.draw, start=1):
        question = questions.get(item["q"])
        if question is None:
            continue
        selected = set(saved.get(question.pk, []))
        paper.append(
            {
                "number": number,
                "id": question.pk,
                "text": question.text,
                "multiple": question.kind == Question.Kind.MULTIPLE,
                "explanation": question.explanation if reveal else "",
                "is_correct": correctness.get(question.pk) if reveal else None,
                "choices": [
                    {
                        "id": choice_id,
                        "text": choices[choice_id].text,
                        "selected": choice_id in selected,
                        "correct": choices[choice_id].is_correct if reveal else None,
                    }
                    for choice_id in item["c"]
                    if choice_id in choices
                ],
            }
        )
    return paper


def registration_attempts_log(*, registration) -> list[dict]:
    """The contestant's attempts at the contest's rounds, newest first, each with its audit
    events (start, resume, saves, refusals, submit, auto-close; address and browser).
    Three queries."""
    from ..models import AttemptEvent, Round

    rounds = list(Round.objects.filter(contest_id=registration.contest_id))
    by_assessment = {}
    for round_ in rounds:
        by_assessment[round_.assessment_id] = round_
        if round_.staff_assessment_id:
            by_assessment[round_.staff_assessment_id] = round_
    attempts = list(
        Attempt.objects.filter(
            user_id=registration.user_id, assessment_id__in=by_assessment
        ).order_by("-started_at")
    )
    events: dict[int, list] = {}
    for event in AttemptEvent.objects.filter(attempt__in=attempts).order_by("at", "id"):
        events.setdefault(event.attempt_id, []).append(event)
    return [
        {
            "attempt": attempt,
            "round": by_assessment[attempt.assessment_id],
            "events": events.get(attempt.pk, []),
        }
        for attempt in attempts
    ]
