"""Admin screens of the organisation: staff import for unit managers, positions, unit managers.

The staff import is open to superusers and to users who manage at least one unit (scoped to
those subtrees by the service); everyone else gets 403. Positions and unit managers follow
Wagtail's model permissions (superusers, or groups given them by an administrator).
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from portal.core.admin_access import admin_access_required

from .forms import ParentUnitField
from .models import OrganisationUnit, Position, UnitManager
from .staff_import import (
    MAX_FILE_SIZE,
    MAX_ROWS,
    TEMPLATE_FILE_STEM,
    staff_import_allowed,
    staff_import_apply,
    staff_import_parse,
    staff_import_template_csv,
    staff_import_template_xlsx,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A report longer than this is cut on screen; the count of hidden problems is shown.
PROBLEMS_SHOWN = 500
TEMPLATE = "organisations/admin/staff_import.html"


unit_managers_only = admin_access_required(
    lambda user: staff_import_allowed(user=user),
    _("Only unit managers can import staff, and only into the units they manage."),
)


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("An Excel (.xlsx) or CSV (UTF-8) file in the template's format, at most 5 MB."),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
        # An empty file is reported by the importer, like any other unusable file.
        allow_empty_file=True,
    )


def _managed_units(user):
    if user.is_superuser:
        return []
    return [m.unit for m in UnitManager.objects.filter(user=user).select_related("unit")]


@unit_managers_only
@require_http_methods(["GET", "POST"])
def staff_import_view(request):
    context = {
        "max_rows": MAX_ROWS,
        "max_mb": MAX_FILE_SIZE // (1024 * 1024),
        "managed_units": _managed_units(request.user),
    }
    if request.method != "POST":
        return TemplateResponse(request, TEMPLATE, context | {"form": StaffImportForm()})
    form = StaffImportForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return TemplateResponse(request, TEMPLATE, context, status=400)
    upload = form.cleaned_data["file"]
    report = staff_import_parse(file=upload, filename=upload.name, manager=request.user)
    if not report.ok:
        context |= {
            "file_name": upload.name,
            "problems": report.problems[:PROBLEMS_SHOWN],
            "problem_count": len(report.problems),
            "hidden_count": max(len(report.problems) - PROBLEMS_SHOWN, 0),
        }
        return TemplateResponse(request, TEMPLATE, context, status=400)
    try:
        summary = staff_import_apply(rows=report.rows, manager=request.user)
    except (PermissionDenied, IntegrityError):
        # An account changed between the check and the write (another import at the same time).
        context["retry_error"] = gettext(
            "Some accounts changed while the file was being imported. Nothing was imported: "
            "upload the file again."
        )
        return TemplateResponse(request, TEMPLATE, context, status=409)
    context |= {"file_name": upload.name, "summary": summary, "form": StaffImportForm()}
    return TemplateResponse(request, TEMPLATE, context)


def _download(content: bytes, *, extension: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{TEMPLATE_FILE_STEM}.{extension}"
    )
    add_never_cache_headers(response)
    return response


@unit_managers_only
@require_GET
def staff_import_template_xlsx_view(request):
    return _download(
        staff_import_template_xlsx(manager=request.user),
        extension="xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


@unit_managers_only
@require_GET
def staff_import_template_csv_view(request):
    return _download(
        staff_import_template_csv(manager=request.user),
        extension="csv",
        content_type="text/csv; charset=utf-8",
    )


def staff_import_urls():
    return [
        path("organisations/staff-import/", staff_import_view, name="staff_import"),
        path(
            "organisations/staff-import/template.xlsx",
            staff_import_template_xlsx_view,
            name="staff_import_template_xlsx",
        ),
        path(
            "organisations/staff-import/template.csv",
            staff_import_template_csv_view,
            name="staff_import_template_csv",
        ),
    ]


class StaffImportMenuItem(MenuItem):
    def is_shown(self, request):
        return staff_import_allowed(user=request.user)


def staff_import_menu_item():
    return StaffImportMenuItem(
        _("Import staff"),
        reverse("staff_import"),
        name="staff-import",
        icon_name="upload",
        order=301,
    )


# --- positions and unit managers ------------------------------------------------------------


class PositionViewSet(ModelViewSet):
    model = Position
    icon = "tag"
    menu_label = _("Positions")
    menu_order = 302
    add_to_admin_menu = True
    form_fields = ["name", "code"]
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False


class UnitManagerForm(WagtailAdminModelForm):
    """The person is given by email: a list of every account would not fit on the page."""

    email = forms.EmailField(label=_("Email of the manager's account"))
    unit = ParentUnitField(
        queryset=OrganisationUnit.objects.order_by("path"), label=_("Organisation unit")
    )

    class Meta:
        model = UnitManager
        fields = ["unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("email", self.instance.user.email)

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("No account has this email address."))
        self.instance.user = user
        return email

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit")
        if unit is not None and getattr(self.instance, "user_id", None):
            taken = UnitManager.objects.filter(user_id=self.instance.user_id, unit=unit).exclude(
                pk=self.instance.pk
            )
            if taken.exists():
                raise forms.ValidationError(_("This person already manages this unit."))
        return cleaned


class UnitManagerIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "unit")


class UnitManagerViewSet(ModelViewSet):
    model = UnitManager
    index_view_class = UnitManagerIndexView
    icon = "user"
    menu_label = _("Unit managers")
    menu_order = 303
    add_to_admin_menu = True
    list_display = [
        Column("user", label=_("Manager")),
        Column("email", label=_("Email"), accessor="user.email"),
        Column("unit", label=_("Organisation unit")),
    ]
    search_fields = ["user__full_name", "user__email", "unit__name", "unit__code"]
    search_backend_name = None
    ordering = ["unit__path", "user__full_name"]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_form_class(self, for_update=False):
        return UnitManagerForm
