"""xAPI statements from the H5P player: checked, stored per attempt, graded.

The limit of H5P scoring: an H5P package's `content/content.json` carries the correct answers,
and the player runs in the learner's browser, so whatever score it reports was computed on the
client and can be forged by anyone who reads the JSON or writes statements by hand. The server
checks who sends a statement, about what, and recomputes the scaled score from raw/max, but it
cannot know the answers were really given. H5P scores therefore only decide an activity's (and so
a lesson's) completion. A course with a final test completes only when that server-graded test is
passed, and a certificate never rests on an H5P score alone.
"""

import json
import math
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import ActivityProgress, H5PAttempt, LessonActivity, XapiStatement
from ..selectors.learning import activity_iri, course_of_lesson, enrolment_for_learning
from .progress import (
    LearningRefused,
    ProgressResult,
    _locked,
    enrolment_progress_refresh,
    lesson_progress_refresh,
    progress_result,
)

MAX_STATEMENT_BYTES = 64 * 1024
VERB_PREFIX = "http://adlnet.gov/expapi/verbs/"
# Verbs about the whole activity that close an attempt when they carry a score.
CLOSING_VERBS = {VERB_PREFIX + v for v in ("answered", "completed", "passed", "failed")}
UNSCORED_CLOSING_VERBS = {VERB_PREFIX + v for v in ("completed", "passed")}
# A scored statement this soon after the previous one closed an attempt, with the same score,
# reports the same play again.
FOLLOW_UP_SECONDS = 30


def _just_closed(enrolment, activity, parsed, now) -> H5PAttempt | None:
    """The attempt a second scored statement of the same play belongs to.

    Content types often report one play twice (`answered`, then `completed`, or `completed`
    then `passed`) with the same score: that closes no new attempt. It is the latest attempt,
    closed within FOLLOW_UP_SECONDS, with the same raw and max score.
    """
    last = (
        H5PAttempt.objects.filter(enrolment=enrolment, activity=activity)
        .order_by("-number")
        .first()
    )
    if (
        last is not None
        and last.finished_at is not None
        and now - last.finished_at <= timedelta(seconds=FOLLOW_UP_SECONDS)
        and last.score_raw == parsed["raw"]
        and last.score_max == parsed["max"]
    ):
        return last
    return None


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return float(value) if math.isfinite(value) else None
    except OverflowError:  # an integer too large for a float
        return None


def _score(result) -> tuple[float | None, float | None, float | None]:
    """(raw, max, scaled) with scaled recomputed as raw / max clamped to [0, 1]; the client's
    own `scaled` is ignored. No scaled without a positive max."""
    if not isinstance(result, dict) or not isinstance(result.get("score"), dict):
        return None, None, None
    score = result["score"]
    raw, top = _number(score.get("raw")), _number(score.get("max"))
    if raw is None or top is None or top <= 0:
        return raw, top, None
    return raw, top, min(1.0, max(0.0, raw / top))


def _bool(value) -> bool | None:
    return value if isinstance(value, bool) else None


def _is_iri(value) -> bool:
    if not isinstance(value, str) or not 0 < len(value) <= 255:
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _grade(attempts: list[H5PAttempt], method: str) -> float | None:
    """The scaled score that counts among finished attempts (in attempt order)."""
    scores = [a.score_scaled for a in attempts if a.score_scaled is not None]
    if not scores:
        return None
    if method == "last":
        return scores[-1]
    if method == "first":
        return scores[0]
    if method == "average":
        return sum(scores) / len(scores)
    return max(scores)


def h5p_activity_grade(*, enrolment, activity: LessonActivity) -> ActivityProgress:
    """Grades the activity from the learner's finished attempts by the block's grading method
    (highest, last, first, average) and stores it on the activity progress.

    Rule "passed": complete when the graded scaled score × 100 reaches the block's pass mark;
    rule "completed": complete once any attempt is finished. Call under the enrolment lock.
    """
    now = timezone.now()
    rule = activity.rule or {}
    attempts = list(
        H5PAttempt.objects.filter(
            enrolment=enrolment, activity=activity, finished_at__isnull=False
        ).order_by("number")
    )
    graded = _grade(attempts, rule.get("grading") or "highest")
    pass_percent = rule.get("pass_percent") or 0
    passed = graded is not None and graded * 100 >= pass_percent - 1e-9
    complete = bool(attempts) if rule.get("completion") == "completed" else passed
    progress, _created = ActivityProgress.objects.get_or_create(
        enrolment=enrolment, activity=activity
    )
    progress.score_scaled = graded
    progress.passed = passed if attempts else None
    # Completion follows the grade (with "last" a worse attempt can undo it); the lesson keeps
    # its own completion once reached.
    if complete:
        progress.completed_at = progress.completed_at or now
    else:
        progress.completed_at = None
    progress.save()
    return progress


def _refuse(message, status=400):
    raise LearningRefused(message, status=status)


def _check_statement(*, user, activity: LessonActivity, statement) -> dict:
    """Checks the statement's shape, actor and object; returns the parts the server uses."""
    if not isinstance(statement, dict):
        _refuse(_("The statement is not valid."))
    actor = statement.get("actor")
    mbox = actor.get("mbox") if isinstance(actor, dict) else None
    if not isinstance(mbox, str) or mbox.strip().lower() != f"mailto:{user.email}".lower():
        _refuse(_("This statement is not about you."), status=403)
    verb = statement.get("verb")
    verb_id = verb.get("id") if isinstance(verb, dict) else None
    if not _is_iri(verb_id):
        _refuse(_("The statement's verb is not valid."))
    obj = statement.get("object")
    object_id = obj.get("id") if isinstance(obj, dict) else None
    iri = activity_iri(activity)
    if not isinstance(object_id, str) or len(object_id) > 500:
        _refuse(_("The statement is not about this activity."))
    top_level = object_id == iri
    if not top_level and not (
        object_id.startswith(iri + "?subContentId=") and len(object_id) > len(iri) + 14
    ):
        _refuse(_("The statement is not about this activity."))
    statement_id = statement.get("id")
    if statement_id is not None:
        try:
            statement_id = uuid.UUID(str(statement_id))
        except (ValueError, TypeError, AttributeError):
            _refuse(_("The statement id is not valid."))
    raw, top, scaled = _score(statement.get("result"))
    result = statement.get("result") if isinstance(statement.get("result"), dict) else {}
    return {
        "id": statement_id,
        "verb": verb_id,
        "object_id": object_id,
        "top_level": top_level,
        "raw": raw,
        "max": top,
        "scaled": scaled,
        "success": _bool(result.get("success")),
        "completion": _bool(result.get("completion")),
    }


def xapi_statement_record(*, user, activity_id, statement: dict) -> ProgressResult:
    """Stores one xAPI statement from the H5P player and updates the learner's progress.

    Checks, in order (nothing is stored when one fails; LearningRefused carries the status):
    size ≤ 64 KB (413); the activity exists, is live, is an H5P activity of a live lesson (404);
    the user has an enrolment in its course (403); actor.mbox is mailto:<the user's email>,
    case-insensitive (403); the verb id is an IRI, the object id is the activity's IRI or the
    IRI + "?subContentId=…", the statement id (if any) a UUID (400).

    The statement is stored once per statement id: a replay changes nothing and returns the
    current result. It is attached to the open attempt (attempt #n+1 is opened when none is).
    A statement about the top-level object with verb answered/completed/passed/failed and a
    score closes the attempt with the server's scaled = raw/max clamped to [0, 1]; statements
    about sub-content are stored but never close an attempt or count. Then the activity is
    graded (see `h5p_activity_grade`) and the lesson and course refreshed. Locks the
    enrolment row.
    """
    try:
        size = len(json.dumps(statement, ensure_ascii=False).encode())
    except (TypeError, ValueError):
        _refuse(_("The statement is not valid."))
    if size > MAX_STATEMENT_BYTES:
        _refuse(_("The statement is too large."), status=413)
    activity = (
        LessonActivity.objects.select_related("lesson")
        .filter(pk=activity_id, kind=LessonActivity.Kind.H5P, is_live=True)
        .first()
        if isinstance(activity_id, int) and not isinstance(activity_id, bool)
        else None
    )
    if activity is None or not activity.lesson.live:
        _refuse(_("This activity does not exist."), status=404)
    course = course_of_lesson(activity.lesson)
    enrolment = enrolment_for_learning(user=user, course=course) if course else None
    if enrolment is None:
        _refuse(_("You are not enrolled in the course of this activity."), status=403)
    parsed = _check_statement(user=user, activity=activity, statement=statement)
    if (
        parsed["id"] is not None
        and XapiStatement.objects.filter(statement_id=parsed["id"]).exists()
    ):
        return _replayed(parsed["id"], enrolment, activity)
    now = timezone.now()
    try:
        with transaction.atomic():
            enrolment = _locked(enrolment)
            # Scored statements close an attempt; so does an unscored `completed`/`passed`
            # (content without questions), which counts for the "completed" rule only.
            closes = (
                parsed["top_level"]
                and parsed["verb"] in CLOSING_VERBS
                and (parsed["scaled"] is not None or parsed["verb"] in UNSCORED_CLOSING_VERBS)
            )
            attempt = H5PAttempt.objects.filter(
                enrolment=enrolment, activity=activity, finished_at__isnull=True
            ).first()
            follow_up = False
            if attempt is None and closes:
                attempt = _just_closed(enrolment, activity, parsed, now)
                follow_up = attempt is not None
            if attempt is None:
                last = (
                    H5PAttempt.objects.filter(enrolment=enrolment, activity=activity)
                    .order_by("-number")
                    .values_list("number", flat=True)
                    .first()
                )
                attempt = H5PAttempt.objects.create(
                    enrolment=enrolment, activity=activity, number=(last or 0) + 1, started_at=now
                )
            XapiStatement.objects.create(
                statement_id=parsed["id"] or uuid.uuid4(),
                attempt=attempt,
                verb=parsed["verb"],
                object_id=parsed["object_id"],
                score_raw=parsed["raw"],
                score_max=parsed["max"],
                score_scaled=parsed["scaled"],
                success=parsed["success"],
                completion=parsed["completion"],
                received_at=now,
                raw=statement,
            )
            if closes:
                success = parsed["success"]
                if parsed["verb"] == VERB_PREFIX + "passed":
                    success = True
                elif parsed["verb"] == VERB_PREFIX + "failed":
                    success = False
                if not follow_up:
                    attempt.finished_at = now
                    attempt.score_raw = parsed["raw"]
                    attempt.score_max = parsed["max"]
                    attempt.score_scaled = parsed["scaled"]
                if success is not None:
                    attempt.success = success
                attempt.completion = True
                attempt.save()
                h5p_activity_grade(enrolment=enrolment, activity=activity)
                lesson_progress_refresh(enrolment=enrolment, lesson=activity.lesson)
                enrolment_progress_refresh(enrolment=enrolment)
    except IntegrityError:
        # The same statement id arrived twice at once: the first one stored it.
        if parsed["id"] is not None:
            return _replayed(parsed["id"], enrolment, activity)
        raise
    return progress_result(enrolment=enrolment, activity=activity)


def _replayed(statement_id, enrolment, activity) -> ProgressResult:
    stored = XapiStatement.objects.select_related("attempt").get(statement_id=statement_id)
    if stored.attempt.enrolment_id != enrolment.pk or stored.attempt.activity_id != activity.pk:
        _refuse(_("This statement id was already used."), status=409)
    return progress_result(enrolment=enrolment, activity=activity)
