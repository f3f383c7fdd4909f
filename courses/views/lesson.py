"""A lesson for an enrolled learner: records the view, renders its sections and the way on."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from ..selectors.learning import (
    course_of_lesson,
    course_outline,
    enrolment_for_learning,
    lesson_sections,
)
from ..services.progress import lesson_view_record


def lesson_context(request, lesson, enrolment) -> dict:
    """The lesson page's context; `enrolment` is None in an editor's preview."""
    try:
        course = course_of_lesson(lesson)
    except Exception:  # a lesson being created has no place in the tree yet
        course = None
    outline = course_outline(course=course, enrolment=enrolment) if course else []
    index = next((i for i, item in enumerate(outline) if item["lesson"].pk == lesson.pk), None)
    previous_lesson = outline[index - 1]["lesson"] if index else None
    next_lesson = (
        outline[index + 1]["lesson"] if index is not None and index + 1 < len(outline) else None
    )
    context = lesson.get_context(request)
    context.update(
        {
            "course": course,
            "enrolment": enrolment,
            "outline": outline,
            "lesson_status": outline[index]["status"] if index is not None else "",
            "sections": lesson_sections(lesson=lesson, enrolment=enrolment),
            "previous_lesson": previous_lesson,
            "next_lesson": next_lesson,
        }
    )
    return context


def lesson_serve(request, lesson):
    """Signed-in, enrolled learners only: records the view, then renders the lesson."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    enrolment = enrolment_for_learning(user=request.user, course=course_of_lesson(lesson))
    if enrolment is None:
        messages.info(request, _("Enrol in the course to open its lessons."))
        return redirect(course_of_lesson(lesson).url)
    lesson_view_record(enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()
    return TemplateResponse(
        request, "courses/lesson_page.html", lesson_context(request, lesson, enrolment)
    )
