"""JSON API of attempts: each click saves at once; the server's clock decides what counts.

Every write needs the session and the CSRF token, is rate limited per user and per address,
and answers refusals with 4xx and a message in the contestant's language.
"""

from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth
from pydantic import Field

from portal.core.http import ClientInfo

from .errors import AttemptRefused
from .ratelimits import quiz_rate_limited
from .selectors.attempts import attempt_state
from .services.attempts import attempt_answer_save, attempt_prediction_save, attempt_submit

router = Router(auth=django_auth, tags=["attempts"])

MAX_BODY_BYTES = 4096


class AnswerIn(Schema):
    question: int
    choices: list[int] = Field(max_length=8)


class PredictionIn(Schema):
    value: int = Field(ge=0, le=1_000_000_000)


class SavedOut(Schema):
    saved: bool
    remaining_seconds: int


class StateOut(Schema):
    status: str
    remaining_seconds: int
    answers: dict[str, list[int]]
    prediction: int | None


class SubmittedOut(Schema):
    status: str
    score: int
    max_score: int
    duration_ms: int


def _guard(request: HttpRequest, action: str) -> None:
    if len(request.body) > MAX_BODY_BYTES:
        raise HttpError(413, _("The request is too large."))
    if quiz_rate_limited(request, action):
        raise HttpError(429, _("Too many requests in a short time. Please wait a moment."))


def _refused(exc: AttemptRefused) -> HttpError:
    return HttpError(exc.status, str(exc.message))


@router.get("/attempts/{public_id}", response=StateOut, url_name="attempt")
def attempt_read(request, public_id: UUID):
    state = attempt_state(public_id=public_id, user=request.user)
    if state is None:
        raise HttpError(404, _("This attempt does not exist or is not yours."))
    return state


@router.put("/attempts/{public_id}/answers", response=SavedOut)
def answer_save(request, public_id: UUID, payload: AnswerIn):
    _guard(request, "save")
    try:
        answer = attempt_answer_save(
            public_id=public_id,
            user=request.user,
            question_id=payload.question,
            choice_ids=payload.choices,
            client=ClientInfo.from_request(request),
        )
    except AttemptRefused as exc:
        raise _refused(exc) from exc
    return {"saved": True, "remaining_seconds": answer.attempt.remaining_seconds}


@router.put("/attempts/{public_id}/prediction", response=SavedOut)
def prediction_save(request, public_id: UUID, payload: PredictionIn):
    _guard(request, "save")
    try:
        attempt = attempt_prediction_save(
            public_id=public_id,
            user=request.user,
            prediction=payload.value,
            client=ClientInfo.from_request(request),
        )
    except AttemptRefused as exc:
        raise _refused(exc) from exc
    return {"saved": True, "remaining_seconds": attempt.remaining_seconds}


@router.post("/attempts/{public_id}/submit", response=SubmittedOut)
def submit(request, public_id: UUID):
    _guard(request, "save")
    try:
        attempt = attempt_submit(
            public_id=public_id, user=request.user, client=ClientInfo.from_request(request)
        )
    except AttemptRefused as exc:
        raise _refused(exc) from exc
    return {
        "status": attempt.status,
        "score": attempt.score,
        "max_score": attempt.max_score,
        "duration_ms": attempt.duration_ms,
    }
