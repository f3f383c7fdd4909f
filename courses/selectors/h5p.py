"""Reads about H5P content: who may open it, and what the player needs to boot it."""

from __future__ import annotations

from wagtail.models import Page

from ..models import Enrolment, H5PContent, H5PLibrary, LessonActivity

# Staff who may upload or edit H5P activities may also preview them.
H5P_PREVIEW_PERMISSION = "courses.change_h5pcontent"


def h5p_content_viewable(*, user, content: H5PContent) -> bool:
    """True for a signed-in user enrolled (any cycle) in a course whose lesson has a live activity
    on this content, or for staff allowed to edit H5P content (admin preview)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.has_perm(H5P_PREVIEW_PERMISSION):
        return True
    lesson_paths = LessonActivity.objects.filter(h5p_content=content, is_live=True).values_list(
        "lesson__path", flat=True
    )
    # A lesson's course is its parent page: the path minus one step.
    course_paths = {path[: -Page.steplen] for path in lesson_paths}
    if not course_paths:
        return False
    return Enrolment.objects.filter(user=user, course__path__in=course_paths).exists()


def h5p_library_readable(*, user) -> bool:
    """Library files are shared code (no content, no answers): any signed-in user may read them.
    Anonymous visitors may not, so the site does not become a public host for uploaded code."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def h5p_library_for_folder(*, folder: str) -> H5PLibrary | None:
    """The installed library stored in `folder` ("H5P.TrueFalse-1.6"), or None."""
    name, _, version = folder.rpartition("-")
    major, _, minor = version.partition(".")
    if not name or not major.isdigit() or not minor.isdigit():
        return None
    return H5PLibrary.objects.filter(
        machine_name=name, major_version=int(major), minor_version=int(minor)
    ).first()


def h5p_content_by_public_id(*, public_id) -> H5PContent | None:
    return H5PContent.objects.select_related("main_library").filter(public_id=public_id).first()
