"""Organisers' view of one contestant's attempts and their audit log (for disputes)."""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from wagtail import hooks

from portal.core.personal_data import mask_name

from ..models import Registration
from ..selectors.attempts import registration_attempts_log
from .statistics import organisers_only


@organisers_only
def registration_attempts_view(request, page_id: int, registration_id: int):
    registration = get_object_or_404(
        Registration.objects.select_related("contest"), pk=registration_id, contest_id=page_id
    )
    return TemplateResponse(
        request,
        "quizzes/admin/registration_attempts.html",
        {
            "contest": registration.contest,
            "registration": registration,
            "name": mask_name(registration.full_name),
            "entries": registration_attempts_log(registration=registration),
        },
    )


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [
        path(
            "quizzes/contests/<int:page_id>/registrations/<int:registration_id>/attempts/",
            registration_attempts_view,
            name="quizzes_registration_attempts",
        )
    ]
