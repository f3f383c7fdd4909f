"""Certificates in the admin: a read-only list with filters and search, and two actions, revoke
and re-issue. A certificate is never added, edited or deleted by hand: it is a record of what was
certified, so the viewset registers no add/edit/delete views.

Listing needs any certificate permission (Wagtail's model permission policy); revoking and
re-issuing need `courses.change_certificate` and answer 403 without it.
"""

from functools import wraps

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
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.auth import reject_request
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button

from ..models import Certificate
from ..services.certificates import certificate_reissue, certificate_revoke

CHANGE_PERMISSION = "courses.change_certificate"
VIEWSET_NAME = "courses_certificates"


def certificate_managers_only(view):
    """Refuses (403) users who may not revoke or re-issue certificates."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return reject_request(request)
        if not request.user.has_perm(CHANGE_PERMISSION):
            return TemplateResponse(
                request, "courses/admin/certificate_forbidden.html", {}, status=403
            )
        return view(request, *args, **kwargs)

    return wrapped


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


class CertificateIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("enrolment__course")

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            *_certificate_buttons(instance, self.request.user),
        ]


class CertificateInspectView(InspectView):
    def get_header_more_buttons(self):
        return [
            *super().get_header_more_buttons(),
            *_certificate_buttons(self.object, self.request.user),
        ]


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "doc-full-inverse"
    menu_label = gettext_lazy("Certificates")
    menu_order = 320
    add_to_admin_menu = True
    url_prefix = "courses/certificates"
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    # No add/edit URL is registered (see get_urlpatterns); Wagtail still builds a form class.
    form_fields = []
    search_fields = ["serial", "holder_name", "course_title"]
    search_backend_name = None
    list_per_page = 50
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

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        # Read-only records: no add, edit or delete screens exist.
        view_kwargs.update(add_url_name=None, edit_url_name=None, delete_url_name=None)
        return view_kwargs

    def get_urlpatterns(self):
        removed = {"add", "edit", "delete", "copy"}
        return [pattern for pattern in super().get_urlpatterns() if pattern.name not in removed]

    @property
    def url_finder_class(self):
        # Links to a certificate from elsewhere in the admin open its inspect page.
        return type(
            "CertificateURLFinder",
            (ModelAdminURLFinder,),
            {"edit_url_name": self.get_url_name("inspect")},
        )


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
