"""The course page: outline with the learner's progress, enrol, resume, final test."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from ..models import Enrolment
from ..selectors.learning import (
    course_outline,
    enrolment_for_learning,
    final_test_summary,
    missing_prerequisites,
    resume_lesson,
)
from ..services.enrolments import enrolment_create


def course_detail(request, page):
    enrolment = enrolment_for_learning(user=request.user, course=page)
    outline = course_outline(course=page, enrolment=enrolment)
    context = page.get_context(request)
    context.update(
        {
            "enrolment": enrolment,
            "outline": outline,
            "resume": resume_lesson(outline=outline, enrolment=enrolment),
            "lessons_complete": bool(outline)
            and all(item["status"] == "completed" for item in outline),
            "final_test": final_test_summary(course=page, enrolment=enrolment),
            "missing_prerequisites": (
                missing_prerequisites(course=page, user=request.user)
                if enrolment is None and request.user.is_authenticated
                else []
            ),
            "completed": enrolment is not None and enrolment.status == Enrolment.Status.COMPLETED,
        }
    )
    return TemplateResponse(request, "courses/course_page.html", context)


def course_enrol(request, page):
    if request.method != "POST":
        return redirect(page.url)
    if not request.user.is_authenticated:
        return redirect_to_login(page.url)
    try:
        enrolment_create(user=request.user, course=page)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(page.url)
    messages.success(request, _("You are enrolled. Good learning!"))
    outline = course_outline(course=page, enrolment=None)
    if outline:
        return redirect(outline[0]["lesson"].url)
    return redirect(page.url)
