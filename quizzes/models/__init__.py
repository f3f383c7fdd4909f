"""Question bank, the assessment engine (tests, attempts) and contests built on it."""

from .assessments import Assessment, Attempt, AttemptAnswer, AttemptEvent, DrawRule
from .bank import Choice, Question, QuestionCategory
from .contests import (
    ContestIndexPage,
    ContestPage,
    ParticipationBand,
    Registration,
    Round,
    Standing,
)

__all__ = [
    "Assessment",
    "Attempt",
    "AttemptAnswer",
    "AttemptEvent",
    "Choice",
    "ContestIndexPage",
    "ContestPage",
    "DrawRule",
    "ParticipationBand",
    "Question",
    "QuestionCategory",
    "Registration",
    "Round",
    "Standing",
]
