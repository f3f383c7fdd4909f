"""Course tests through the quizzes engine: the final test and the lessons' knowledge checks.

Both share the attempt and result routes of the course page; an attempt is shown only to its
owner and only under the course it belongs to.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from portal.core.http import ClientInfo
from quizzes.errors import AttemptInvalidAnswer, AttemptRefused
from quizzes.ratelimits import quiz_rate_limited
from quizzes.selectors.attempts import attempt_for_user, attempt_paper
from quizzes.services.attempts import attempt_submit

from ..models import LessonActivity
from ..selectors.learning import (
    assessment_attempts,
    attempt_passed,
    course_of_lesson,
    enrolment_for_learning,
)
from ..services.progress import DEFAULT_KNOWLEDGE_CHECK_PASS_PERCENT, LearningRefused
from ..services.tests import course_test_attempt_start


def _attempt_url(page, attempt, result=False):
    name = "test_result" if result else "test_attempt"
    return page.url + page.reverse_subpage(name, args=[attempt.public_id])


def _start(request, page, enrolment, assessment, back_url):
    if quiz_rate_limited(request, "start"):
        messages.error(request, _("Too many requests in a short time. Please wait a moment."))
        return redirect(back_url)
    try:
        attempt = course_test_attempt_start(
            enrolment=enrolment, assessment=assessment, client=ClientInfo.from_request(request)
        )
    except (AttemptRefused, LearningRefused) as exc:
        messages.error(request, exc.message)
        return redirect(back_url)
    return redirect(_attempt_url(page, attempt))


def course_test_start(request, page):
    if request.method != "POST":
        return redirect(page.url)
    if not request.user.is_authenticated:
        return redirect_to_login(page.url)
    enrolment = enrolment_for_learning(user=request.user, course=page)
    if enrolment is None or page.final_test is None:
        messages.error(request, _("Enrol in the course to take its final test."))
        return redirect(page.url)
    return _start(request, page, enrolment, page.final_test, page.url)


def _knowledge_check(page, activity_id):
    activity = (
        LessonActivity.objects.select_related("lesson", "assessment")
        .filter(pk=activity_id, kind=LessonActivity.Kind.KNOWLEDGE_CHECK, is_live=True)
        .first()
    )
    if activity is None or not activity.lesson.live:
        return None
    course = course_of_lesson(activity.lesson)
    return activity if course is not None and course.pk == page.pk else None


def knowledge_check_start(request, page, activity_id):
    if request.method != "POST":
        return redirect(page.url)
    if not request.user.is_authenticated:
        return redirect_to_login(page.url)
    activity = _knowledge_check(page, activity_id)
    if activity is None:
        raise Http404
    enrolment = enrolment_for_learning(user=request.user, course=page)
    if enrolment is None:
        messages.error(request, _("Enrol in the course to open its lessons."))
        return redirect(page.url)
    return _start(request, page, enrolment, activity.assessment, activity.lesson.url)


def _course_attempt(request, page, public_id):
    """The user's attempt at this course's final test or one of its knowledge checks, with the
    knowledge check activity (None for the final test); else 404."""
    attempt = attempt_for_user(public_id=public_id, user=request.user)
    if attempt is None:
        raise Http404
    if page.final_test_id and attempt.assessment_id == page.final_test_id:
        return attempt, None
    for activity in LessonActivity.objects.filter(
        assessment_id=attempt.assessment_id, kind=LessonActivity.Kind.KNOWLEDGE_CHECK
    ).select_related("lesson"):
        course = course_of_lesson(activity.lesson)
        if course is not None and course.pk == page.pk:
            return attempt, activity
    raise Http404


def _posted_answers(request, attempt) -> dict[int, list[int]]:
    answers = {}
    for question_id in attempt.question_ids:
        values = request.POST.getlist(f"q{question_id}")
        if values:
            try:
                answers[question_id] = [int(v) for v in values]
            except ValueError as exc:
                raise AttemptInvalidAnswer() from exc
    return answers


def course_test_attempt(request, page, public_id):
    """GET shows the paper with saved answers and the time left; POST submits (works without
    JavaScript)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attempt, activity = _course_attempt(request, page, public_id)
    if request.method == "POST":
        try:
            attempt_submit(
                public_id=attempt.public_id,
                user=request.user,
                answers=_posted_answers(request, attempt),
                client=ClientInfo.from_request(request),
            )
        except AttemptRefused as exc:
            messages.error(request, exc.message)
            return redirect(request.path)
        return redirect(_attempt_url(page, attempt, result=True))
    if attempt.is_finished:
        return redirect(_attempt_url(page, attempt, result=True))
    context = page.get_context(request)
    context.update(
        {
            "attempt": attempt,
            "activity": activity,
            "test_title": activity.title if activity else _("Final test"),
            "paper": attempt_paper(attempt=attempt, reveal=False),
            "remaining_seconds": attempt.remaining_seconds,
        }
    )
    return TemplateResponse(request, "courses/test_attempt.html", context)


def course_test_result(request, page, public_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attempt, activity = _course_attempt(request, page, public_id)
    if not attempt.is_finished:
        return redirect(_attempt_url(page, attempt))
    if activity is None:
        pass_percent = page.pass_percent
    else:
        pass_percent = attempt.assessment.pass_percent
        if pass_percent is None:
            pass_percent = DEFAULT_KNOWLEDGE_CHECK_PASS_PERCENT
    passed = attempt_passed(attempt=attempt, pass_percent=pass_percent)
    enrolment = enrolment_for_learning(user=request.user, course=page)
    since = enrolment.enrolled_at if enrolment is not None else None
    used = len(assessment_attempts(assessment=attempt.assessment, user=request.user, since=since))
    attempts_left = max(0, attempt.assessment.attempts_allowed - used)
    # Correct answers only once they can no longer help: passed, or no attempt left.
    reveal = attempt.assessment.show_review and (passed or attempts_left == 0)
    context = page.get_context(request)
    context.update(
        {
            "attempt": attempt,
            "activity": activity,
            "test_title": activity.title if activity else _("Final test"),
            "pass_percent": pass_percent,
            "passed": passed,
            "attempts_left": attempts_left,
            "enrolment": enrolment,
            "review_later": attempt.assessment.show_review and not reveal,
            "paper": attempt_paper(attempt=attempt, reveal=True) if reveal else [],
            "back_url": activity.lesson.url if activity else page.url,
        }
    )
    return TemplateResponse(request, "courses/test_result.html", context)
