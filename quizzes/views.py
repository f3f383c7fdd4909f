"""Contest pages for contestants: register, start, take, result, leaderboards, my contests.

Thin: parse, check, call one service or selector, render. Routed from ContestPage.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from portal.core.http import ClientInfo

from .errors import AttemptInvalidAnswer, AttemptRefused
from .forms import RegistrationForm
from .models import Registration
from .ratelimits import quiz_rate_limited, quiz_register_rate_limited
from .selectors.attempts import attempt_for_user, attempt_paper, attempt_review_allowed
from .selectors.contests import (
    contest_rounds_for,
    my_contests,
    registration_of,
    round_of_assessment,
)
from .selectors.leaderboard import contest_leaderboard, round_leaderboard, round_position
from .services.attempts import attempt_submit
from .services.contests import contest_attempt_start
from .services.registrations import registration_create


def _render(request, page, template, context, status=200):
    base = page.get_context(request)
    base.update(context)
    return TemplateResponse(request, template, base, status=status)


def contest_detail(request, page):
    registration = registration_of(contest=page, user=request.user)
    return _render(
        request,
        page,
        "quizzes/contest_page.html",
        {
            "registration": registration,
            "rounds": contest_rounds_for(
                contest=page, user=request.user, registration=registration
            ),
        },
    )


def contest_register(request, page):
    if registration_of(contest=page, user=request.user) is not None:
        messages.info(request, _("You have already registered for this contest."))
        return redirect(page.url)
    user = request.user if request.user.is_authenticated else None
    if page.access == page.Access.UNITS and user is None:
        messages.info(
            request, _("This contest is for staff: sign in with your work account to register.")
        )
        return redirect_to_login(request.get_full_path())
    status = 200
    if request.method == "POST":
        form = RegistrationForm(request.POST, contest=page, user=user)
        if quiz_register_rate_limited(request):
            form.add_error(None, _("Too many registrations from your network. Try again later."))
            status = 429
        elif form.is_valid():
            try:
                registration = registration_create(
                    contest=page,
                    data=form.registration_data(),
                    user=user,
                    new_password=form.cleaned_data.get("password"),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
                status = 400
            else:
                if user is None:
                    login(
                        request,
                        registration.user,
                        backend="django.contrib.auth.backends.ModelBackend",
                    )
                messages.success(request, _("You are registered. Good luck!"))
                return redirect(page.url)
        else:
            status = 400
    else:
        form = RegistrationForm(contest=page, user=user)
    return _render(request, page, "quizzes/register.html", {"form": form}, status=status)


def round_start(request, page, round_id):
    if request.method != "POST":
        return redirect(page.url)
    if not request.user.is_authenticated:
        return redirect_to_login(page.url)
    round_ = get_object_or_404(page.rounds.all(), pk=round_id)
    if quiz_rate_limited(request, "start"):
        messages.error(request, _("Too many requests in a short time. Please wait a moment."))
        return redirect(page.url)
    try:
        attempt, _started = contest_attempt_start(
            round_=round_, user=request.user, client=ClientInfo.from_request(request)
        )
    except AttemptRefused as exc:
        messages.error(request, exc.message)
        return redirect(page.url)
    return redirect(page.url + page.reverse_subpage("attempt", args=[attempt.public_id]))


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


def _posted_prediction(request) -> int | None:
    """The prediction field as an integer, None when left empty; the engine checks its range."""
    value = request.POST.get("prediction", "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        raise AttemptInvalidAnswer(_("The prediction must be a whole number."))
    return int(value)


def _own_attempt(request, page, public_id):
    """The signed-in user's attempt at a round of this contest, with the round; else 404."""
    attempt = attempt_for_user(public_id=public_id, user=request.user)
    round_ = round_of_assessment(assessment_id=attempt.assessment_id) if attempt else None
    if round_ is None or round_.contest_id != page.pk:
        raise Http404
    return attempt, round_


def attempt_take(request, page, public_id):
    """GET shows the paper with saved answers and the time left; POST submits (works without
    JavaScript: the form carries every answer)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attempt, round_ = _own_attempt(request, page, public_id)
    result_url = page.url + page.reverse_subpage("attempt_result", args=[attempt.public_id])
    if request.method == "POST":
        try:
            attempt_submit(
                public_id=attempt.public_id,
                user=request.user,
                answers=_posted_answers(request, attempt),
                prediction=_posted_prediction(request),
                client=ClientInfo.from_request(request),
            )
        except AttemptRefused as exc:
            messages.error(request, exc.message)
            return redirect(request.path)
        return redirect(result_url)
    if attempt.is_finished:
        return redirect(result_url)
    return _render(
        request,
        page,
        "quizzes/attempt.html",
        {
            "attempt": attempt,
            "round": round_,
            "paper": attempt_paper(attempt=attempt, reveal=False),
            "remaining_seconds": attempt.remaining_seconds,
        },
    )


def attempt_result(request, page, public_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attempt, round_ = _own_attempt(request, page, public_id)
    if not attempt.is_finished:
        return redirect(page.url + page.reverse_subpage("attempt", args=[attempt.public_id]))
    reveal = attempt_review_allowed(attempt=attempt, closes_at=round_.closes_at)
    return _render(
        request,
        page,
        "quizzes/result.html",
        {
            "attempt": attempt,
            "round": round_,
            "review_later": attempt.assessment.show_review and not reveal,
            "paper": attempt_paper(attempt=attempt, reveal=True) if reveal else [],
        },
    )


def leaderboard(request, page, round_id=None):
    audience = None
    if page.separate_staff:
        audience = request.GET.get("doi-tuong")
        if audience not in Registration.Audience.values:
            audience = Registration.Audience.CITIZEN
    round_ = get_object_or_404(page.rounds.all(), pk=round_id) if round_id else None
    if round_ is not None:
        rows = round_leaderboard(round_=round_, audience=audience)
    else:
        rows = contest_leaderboard(contest=page, audience=audience)
    registration = registration_of(contest=page, user=request.user)
    position = (
        round_position(round_=round_, registration=registration)
        if round_ is not None and registration is not None
        else None
    )
    return _render(
        request,
        page,
        "quizzes/leaderboard.html",
        {
            "round": round_,
            "rows": rows,
            "audience": audience,
            "position": position,
            "all_rounds": page.rounds.all(),
        },
    )


@login_required
def my_contests_view(request):
    return TemplateResponse(
        request, "quizzes/my_contests.html", {"entries": my_contests(user=request.user)}
    )
