"""JSON API of learning: xAPI statements from the H5P player, video progress.

Both endpoints need the session and the CSRF token, cap the body size, are rate limited per
user, and answer refusals with 4xx and {"detail": "<message in the learner's language>"}.
Bodies are parsed here rather than by ninja so that a malformed body gets a translated 422.
"""

import json
import math

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth
from pydantic import Field, ValidationError

from portal.core.ratelimit import rate_limit_exceeded

from .models import LessonActivity
from .selectors.learning import course_of_lesson, enrolment_for_learning
from .services.progress import LearningRefused, video_progress_record
from .services.xapi import MAX_STATEMENT_BYTES, xapi_statement_record

router = Router(auth=django_auth, tags=["courses"])

XAPI_MAX_BODY_BYTES = MAX_STATEMENT_BYTES + 1024
VIDEO_MAX_BODY_BYTES = 4 * 1024
# (hits, window in seconds) per user; an H5P activity sends a statement per answer.
DEFAULT_RATE_LIMITS = {"xapi": (240, 60), "video": (60, 60)}


class XapiIn(Schema):
    activity: int = Field(ge=1)
    statement: dict


class VideoProgressIn(Schema):
    seconds: list[int | list[float]] = Field(max_length=600)
    duration: float = Field(gt=0, le=12 * 3600)


class ProgressOut(Schema):
    activity: int
    recorded: bool
    activity_complete: bool
    lesson_complete: bool
    course_percent: int
    activity_percent: int | None = None


def _guard(request: HttpRequest, action: str, max_bytes: int) -> None:
    if len(request.body) > max_bytes:
        raise HttpError(413, _("The request is too large."))
    limits = getattr(settings, "COURSES_RATE_LIMITS", DEFAULT_RATE_LIMITS)
    limit, window = limits[action]
    if rate_limit_exceeded(
        scope=f"courses-{action}-user", key=str(request.user.pk), limit=limit, window_seconds=window
    ):
        raise HttpError(429, _("Too many requests in a short time. Please wait a moment."))


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def _payload(request: HttpRequest, schema: type[Schema]) -> Schema:
    """The body as `schema`; 422 for anything JSONB could not store (NaN, ±Infinity, 1e400,
    NUL characters) or Python could not parse (nesting too deep)."""
    try:
        if b"\\u0000" in request.body or b"\x00" in request.body:
            raise ValueError("NUL character")
        data = json.loads(
            request.body or b"null", parse_constant=_no_constant, parse_float=_finite_float
        )
        return schema.model_validate(data)
    except (ValueError, ValidationError, RecursionError) as exc:
        raise HttpError(422, _("The data sent is not valid.")) from exc


def _refused(exc: LearningRefused) -> HttpError:
    return HttpError(exc.status, str(exc.message))


@router.post("/xapi/statements", response=ProgressOut, url_name="courses_xapi")
def xapi_statement(request):
    _guard(request, "xapi", XAPI_MAX_BODY_BYTES)
    payload = _payload(request, XapiIn)
    try:
        result = xapi_statement_record(
            user=request.user, activity_id=payload.activity, statement=payload.statement
        )
    except LearningRefused as exc:
        raise _refused(exc) from exc
    return result.as_dict()


@router.post(
    "/activities/{activity_id}/video-progress",
    response=ProgressOut,
    url_name="courses_video_progress",
)
def video_progress(request, activity_id: int):
    _guard(request, "video", VIDEO_MAX_BODY_BYTES)
    payload = _payload(request, VideoProgressIn)
    activity = (
        LessonActivity.objects.select_related("lesson")
        .filter(pk=activity_id, kind=LessonActivity.Kind.VIDEO)
        .first()
    )
    course = course_of_lesson(activity.lesson) if activity else None
    enrolment = enrolment_for_learning(user=request.user, course=course) if course else None
    if enrolment is None:
        raise HttpError(404, _("This video is not part of your course."))
    seconds = [
        [item[0], item[1]] if isinstance(item, list) and len(item) == 2 else item
        for item in payload.seconds
    ]
    if any(isinstance(item, list) and len(item) != 2 for item in payload.seconds):
        raise HttpError(422, _("The data sent is not valid."))
    try:
        result = video_progress_record(
            enrolment=enrolment, activity=activity, seconds=seconds, duration=payload.duration
        )
    except LearningRefused as exc:
        raise _refused(exc) from exc
    return result.as_dict()
