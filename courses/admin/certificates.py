"""Certificates in the admin: a read-only list with filters and search, and two actions, revoke
and re-issue. A certificate is never added, edited or deleted by hand: it is a record of what was
certified, so the viewset registers no add/edit/delete views.

Listing needs any certificate permission (Wagtail's model permission policy); revoking and
re-issuing need `courses.change_certificate` and answer 403 without it.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.widgets.button import Button

from portal.core.admin_access import admin_permission_required
from portal.core.admin_records import RecordViewSet

from ..models import Certificate
from ..services.certificates import certificate_reissue, certificate_revoke

CHANGE_PERMISSION = "courses.change_certificate"
VIEWSET_NAME = "courses_certificates"


certificate_managers_only = admin_permission_required(
    CHANGE_PERMISSION,
    gettext_lazy(
        "Only users with the permission to change certificates may revoke or re-issue them."
    ),
)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for revoking"),
        max_length=Certificate._meta.get_field("revoke_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Kept in the record; the public verification page does not show it."
        ),
    )


def _certificate_buttons(certificate: Certificate, user) -> list[Button]:
    buttons = [
        Button(
            _("Download PDF"),
            url=reverse("certificate_download", args=[certificate.serial]),
            icon_name="download",
            priority=20,
        ),
        Button(
            _("Public verification page"),
            url=reverse("certificate_verify", args=[certificate.serial]),
            icon_name="link-external",
            priority=30,
        ),
    ]
    if user.has_perm(CHANGE_PERMISSION):
        if certificate.status == Certificate.Status.VALID:
            buttons.append(
                Button(
                    _("Revoke"),
                    url=reverse("courses_certificate_revoke", args=[certificate.pk]),
                    icon_name="cross",
                    priority=40,
                )
            )
        buttons.append(
            Button(
                _("Re-issue"),
                url=reverse("courses_certificate_reissue", args=[certificate.pk]),
                icon_name="rotate",
                priority=50,
            )
        )
    return buttons


class CertificateViewSet(RecordViewSet):
    model = Certificate
    icon = "doc-full-inverse"
    menu_label = gettext_lazy("Certificates")
    menu_order = 320
    add_to_admin_menu = True
    url_prefix = "courses/certificates"
    search_fields = ["serial", "holder_name", "course_title"]
    list_filter = ["status", "enrolment__course"]
    list_display = [
        "serial",
        Column("holder_name", label=gettext_lazy("Holder")),
        Column("course_title", label=gettext_lazy("Course")),
        DateColumn("completed_on", label=gettext_lazy("Completed on")),
        StatusTagColumn(
            "status",
            label=gettext_lazy("Status"),
            accessor="get_status_display",
            primary=lambda certificate: certificate.status == Certificate.Status.VALID,
        ),
    ]
    inspect_view_fields = [
        "serial",
        "holder_name",
        "unit_name",
        "course_title",
        "hours",
        "completed_on",
        "issued_at",
        "status",
        "revoked_at",
        "revoked_by",
        "revoke_reason",
        "replaces",
        "emailed_at",
    ]

    def list_queryset(self, queryset):
        return queryset.select_related("enrolment__course")

    def record_buttons(self, instance, user):
        return _certificate_buttons(instance, user)


@certificate_managers_only
@require_http_methods(["GET", "POST"])
def certificate_revoke_view(request, certificate_id: int):
    certificate = get_object_or_404(Certificate, pk=certificate_id)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_revoke(
                certificate_id=certificate.pk,
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Certificate %(serial)s has been revoked.") % {"serial": certificate.serial},
            )
            return redirect(f"{VIEWSET_NAME}:index")
    return TemplateResponse(
        request,
        "courses/admin/certificate_revoke.html",
        {"certificate": certificate, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@certificate_managers_only
@require_http_methods(["GET", "POST"])
def certificate_reissue_view(request, certificate_id: int):
    certificate = get_object_or_404(Certificate, pk=certificate_id)
    error = None
    if request.method == "POST":
        try:
            new = certificate_reissue(certificate_id=certificate.pk, by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("Certificate %(old)s has been replaced by %(new)s.")
                % {"old": certificate.serial, "new": new.serial},
            )
            return redirect(f"{VIEWSET_NAME}:index")
    return TemplateResponse(
        request,
        "courses/admin/certificate_reissue.html",
        {"certificate": certificate, "error": error},
        status=400 if error else 200,
    )


@hooks.register("register_admin_viewset")
def register_certificate_viewset():
    return CertificateViewSet(VIEWSET_NAME)


@hooks.register("register_admin_urls")
def register_certificate_action_urls():
    return [
        path(
            "courses/certificates/<int:certificate_id>/revoke/",
            certificate_revoke_view,
            name="courses_certificate_revoke",
        ),
        path(
            "courses/certificates/<int:certificate_id>/reissue/",
            certificate_reissue_view,
            name="courses_certificate_reissue",
        ),
    ]
