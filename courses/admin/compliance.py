"""Unit managers' compliance dashboard ("100% of staff trained every year") and its exports.

Wagtail already requires admin access for these URLs (anonymous visitors go to the login page);
each view also requires a non-empty scope: superusers see every unit, unit managers the subtrees
of the units they manage. Asking for a unit outside the scope answers 403, for the dashboard and
for both exports alike.

Exports carry personal data (names, emails), so they are never cached and each one is logged.
The .xlsx file is a ZIP archive whose central directory is written last, so it cannot be sent to
the socket row by row: openpyxl's write-only workbook streams the rows to a temporary file on
disk and the finished file is then streamed from disk (memory stays flat whatever the size).
The CSV export is streamed row by row as it is read from the database.
"""

import csv
import logging
import tempfile
from functools import wraps

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from wagtail import hooks
from wagtail.admin.auth import reject_request
from wagtail.admin.menu import MenuItem

from portal.core.admin_access import admin_forbidden
from portal.core.spreadsheets import formula_text_guard
from portal.organisations.models import OrganisationUnit, UnitManager

from ..selectors.compliance import (
    ComplianceSummary,
    compliance_breadcrumb,
    compliance_courses,
    compliance_cycles,
    compliance_export_rows,
    compliance_scope_units,
    compliance_summary,
    compliance_unit_allowed,
)

logger = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_BOM = "\ufeff"  # lets Excel open the UTF-8 file with Vietnamese letters intact

# The bar chart's geometry, in SVG user units (the SVG scales to the page width).
CHART_WIDTH = 800
CHART_LABEL = 250
CHART_BAR_HEIGHT = 18
CHART_ROW = 26
CHART_TOP = 24
CHART_VALUE = 60  # room right of the 100% line for the value of a full bar
YEAR_MIN, YEAR_MAX = 2000, 2100


class ComplianceFilterForm(forms.Form):
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    year = forms.IntegerField(
        label=gettext_lazy("Year"), required=False, min_value=YEAR_MIN, max_value=YEAR_MAX
    )
    course = forms.TypedChoiceField(
        label=gettext_lazy("Course"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, years: list[int], courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        year_error = _("This year cannot be chosen; the current year is shown.")
        for code in ("invalid", "min_value", "max_value"):
            self.fields["year"].error_messages[code] = year_error
        self.fields["course"].choices = [("", _("All courses"))] + [
            (c.pk, c.title) for c in courses
        ]
        self.fields["course"].error_messages["invalid_choice"] = _(
            "This course has no mandatory training; all courses are shown."
        )
        self.fields["unit"].error_messages["invalid"] = _("Unknown unit.")

    def year_choices(self, chosen: int) -> list[int]:
        """The years to offer, with the chosen one even when no assignment falls in it."""
        return sorted({*self.years, chosen}, reverse=True)


def managers_only(view):
    """Refuses (403) users with no unit in their compliance scope; passes the scope on."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return reject_request(request)
        scope = compliance_scope_units(user=request.user)
        if not scope:
            return _forbidden(request)
        try:
            return view(request, *args, scope=scope, **kwargs)
        except PermissionDenied:
            return _forbidden(request)

    return wrapped


def _forbidden(request):
    return admin_forbidden(
        request,
        _(
            "Training completion rates are shown only to managers of the unit concerned or of "
            "a unit above it."
        ),
    )


def _filters(
    request, scope
) -> tuple[ComplianceFilterForm, OrganisationUnit | None, int, int | None]:
    """The filter form and what it chose: unit (None: several scope units to choose from),
    year (this year by default) and course (None: all). Bad values fall back to the defaults
    and leave an error on the form; a unit outside the scope raises PermissionDenied."""
    courses = compliance_courses()
    form = ComplianceFilterForm(request.GET or None, years=compliance_cycles(), courses=courses)
    year = timezone.localdate().year
    course_id = None
    unit_id = None
    if form.is_bound:
        form.is_valid()
        data = form.cleaned_data
        year = data.get("year") or year
        course_id = data.get("course")
        unit_id = data.get("unit")
        if "unit" in form.errors:
            raise Http404
    if unit_id is not None:
        unit = get_object_or_404(OrganisationUnit, pk=unit_id)
        if not compliance_unit_allowed(scope=scope, unit=unit):
            raise PermissionDenied
    else:
        unit = scope[0] if len(scope) == 1 else None
    return form, unit, year, course_id


def _percent(value: float | None) -> str:
    """A width in percent for SVG: dot decimal whatever the language, cut to 0–100."""
    return f"{min(max(value or 0.0, 0.0), 100.0):.1f}"


def _chart(summary: ComplianceSummary) -> dict:
    """Coordinates of the horizontal bar chart of completion rate per unit row."""
    span = CHART_WIDTH - CHART_LABEL - CHART_VALUE
    bars = []
    for i, row in enumerate(summary.units):
        rate = row.figures.rate
        y = CHART_TOP + i * CHART_ROW
        width = span * min(rate or 0.0, 100.0) / 100
        bars.append(
            {
                "row": row,
                "y": y,
                "text_y": y + CHART_BAR_HEIGHT - 4,
                "width": f"{width:.1f}",
                "value_x": f"{CHART_LABEL + width + 4:.1f}",
                "level": _level(rate),
                "label": row.unit.name if not row.direct else _("(directly in the unit)"),
            }
        )
    height = CHART_TOP + max(len(bars), 1) * CHART_ROW + 8
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": height,
        "label_x": CHART_LABEL - 8,
        "left": CHART_LABEL,
        "bar_height": CHART_BAR_HEIGHT,
        "target_x": CHART_LABEL + span,
        "target_label_x": CHART_LABEL + span,
        "half_x": f"{CHART_LABEL + span / 2:.1f}",
        "axis_bottom": height - 4,
    }


def _level(rate: float | None) -> str:
    if rate is None:
        return "none"
    if rate >= 100:
        return "done"
    if rate >= 80:
        return "near"
    if rate >= 50:
        return "half"
    return "low"


def _query(unit: OrganisationUnit | None, year: int, course_id: int | None, **extra) -> str:
    query = {"year": year}
    if unit is not None:
        query["unit"] = unit.pk
    if course_id is not None:
        query["course"] = course_id
    query.update(extra)
    return urlencode(query)


@managers_only
def compliance_dashboard(request, *, scope):
    form, unit, year, course_id = _filters(request, scope)
    context = {
        "form": form,
        "year": year,
        "years": form.year_choices(year),
        "course_id": course_id,
        "scope": scope,
    }
    if unit is None:  # several units managed: choose one
        context["choices"] = [
            {"unit": top, "url": f"?{_query(top, year, course_id)}"} for top in scope
        ]
        return TemplateResponse(request, "courses/admin/compliance.html", context)

    summary = compliance_summary(user=request.user, root_unit=unit, cycle=year, course_id=course_id)
    rows = [
        {
            "row": row,
            "bar": _percent(row.figures.rate),
            "level": _level(row.figures.rate),
            "url": f"?{_query(row.unit, year, course_id)}" if row.can_drill else "",
        }
        for row in summary.units
    ]
    courses = [
        {
            "row": row,
            "bar": _percent(row.figures.rate),
            "level": _level(row.figures.rate),
            "url": f"?{_query(unit, year, row.course_id)}",
        }
        for row in summary.courses
    ]
    breadcrumb = [
        {"unit": crumb, "url": f"?{_query(crumb, year, course_id)}"}
        for crumb in compliance_breadcrumb(scope=scope, unit=unit)
    ]
    exports = {
        "xlsx": f"{reverse('courses_compliance_xlsx')}?{_query(unit, year, course_id)}",
        "csv": f"{reverse('courses_compliance_csv')}?{_query(unit, year, course_id)}",
    }
    context.update(
        unit=unit,
        summary=summary,
        rows=rows,
        courses=courses,
        total_bar=_percent(summary.total.rate),
        total_level=_level(summary.total.rate),
        chart=_chart(summary),
        breadcrumb=breadcrumb,
        exports=exports,
        several_scopes=len(scope) > 1,
        all_courses_url=f"?{_query(unit, year, None)}",
    )
    return TemplateResponse(request, "courses/admin/compliance.html", context)


# Exports --------------------------------------------------------------------------------------


def _export_headers() -> list[str]:
    return [
        _("Unit"),
        _("Unit code"),
        _("Full name"),
        _("Email"),
        _("Position"),
        _("Course"),
        _("Due date"),
        _("Status"),
        _("Completed at"),
        _("Certificate serial"),
    ]


def _xlsx_value(sheet, value):
    """Text starting with "=" stays text (openpyxl would write it as a formula)."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def _export_name(unit: OrganisationUnit, year: int, course_id: int | None, ext: str) -> str:
    name = f"ty-le-dao-tao-{unit.code}-{year}"
    if course_id is not None:
        name += f"-khoa-{course_id}"
    return f"{name}.{ext}"


def _export_target(request, scope):
    form, unit, year, course_id = _filters(request, scope)
    if unit is None:
        raise Http404
    return unit, year, course_id


def _attachment(response, filename: str):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    add_never_cache_headers(response)
    return response


def _summary_sheet(workbook: Workbook, summary: ComplianceSummary, course_title: str) -> None:
    sheet = workbook.create_sheet(_("Summary"))
    sheet.column_dimensions["A"].width = 45
    sheet.append([_("Unit"), summary.root.name])
    sheet.append([_("Year"), summary.cycle])
    sheet.append([_("Course"), course_title or _("All courses")])
    sheet.append([_("Target"), f"{summary.target_percent}%"])
    sheet.append([])
    counts = [
        _("Staff"),
        _("Assigned"),
        _("Completed"),
        pgettext("enrolment status", "In progress"),
        pgettext("enrolment status", "Not started"),
        _("Overdue"),
        _("Completion rate (%)"),
    ]
    sheet.append([_("Unit"), *counts])

    def figures_row(label, figures, *, staff=True):
        rate = round(figures.rate, 1) if figures.rate is not None else None
        return [
            _xlsx_value(sheet, label),
            figures.staff if staff else None,
            figures.assigned,
            figures.completed,
            figures.in_progress,
            figures.not_started,
            figures.overdue,
            rate,
        ]

    sheet.append(figures_row(_("Total"), summary.total))
    for row in summary.units:
        label = row.unit.name if not row.direct else _("(directly in the unit)")
        sheet.append(figures_row(label, row.figures))
    sheet.append([])
    sheet.append([_("Course"), *counts])
    for row in summary.courses:
        sheet.append(figures_row(row.title, row.figures, staff=False))


@managers_only
def compliance_export_xlsx(request, *, scope):
    unit, year, course_id = _export_target(request, scope)
    summary = compliance_summary(user=request.user, root_unit=unit, cycle=year, course_id=course_id)
    rows = compliance_export_rows(
        user=request.user, root_unit=unit, cycle=year, course_id=course_id
    )
    course_title = next((c.title for c in summary.courses if c.course_id == course_id), "")

    workbook = Workbook(write_only=True)
    _summary_sheet(workbook, summary, course_title)
    sheet = workbook.create_sheet(_("Details"))
    for letter, width in zip("ABCDEFGHIJ", (40, 16, 28, 32, 20, 40, 12, 16, 18, 20), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append(_export_headers())
    for row in rows:
        sheet.append([_xlsx_value(sheet, value) for value in row])
    # Deleted when the response closes it (FileResponse closes the file when sent).
    spool = tempfile.NamedTemporaryFile(prefix="compliance-", suffix=".xlsx")  # noqa: SIM115
    workbook.save(spool)
    spool.seek(0)
    logger.info(
        "Compliance export (xlsx): unit %s, year %s, course %s, by user %s",
        unit.pk,
        year,
        course_id,
        request.user.pk,
    )
    response = FileResponse(spool, content_type=XLSX_CONTENT_TYPE)
    return _attachment(response, _export_name(unit, year, course_id, "xlsx"))


class _Echo:
    """A file-like object whose write() hands back the line csv.writer formatted."""

    def write(self, value):
        return value


def _csv_lines(headers, rows):
    writer = csv.writer(_Echo())
    yield CSV_BOM + writer.writerow(headers)
    for row in rows:
        yield writer.writerow([_csv_value(value) for value in row])


def _csv_value(value):
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return value.strftime("%d/%m/%Y %H:%M")
    if hasattr(value, "year"):
        return value.strftime("%d/%m/%Y")
    return formula_text_guard(value)


@managers_only
def compliance_export_csv(request, *, scope):
    unit, year, course_id = _export_target(request, scope)
    rows = compliance_export_rows(
        user=request.user, root_unit=unit, cycle=year, course_id=course_id
    )
    logger.info(
        "Compliance export (csv): unit %s, year %s, course %s, by user %s",
        unit.pk,
        year,
        course_id,
        request.user.pk,
    )
    response = StreamingHttpResponse(
        _csv_lines(_export_headers(), rows), content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, _export_name(unit, year, course_id, "csv"))


# Registration ---------------------------------------------------------------------------------


class ComplianceMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return user.is_superuser or UnitManager.objects.filter(user=user).exists()


@hooks.register("register_admin_urls")
def register_compliance_urls():
    return [
        path("courses/compliance/", compliance_dashboard, name="courses_compliance"),
        path(
            "courses/compliance/export.xlsx",
            compliance_export_xlsx,
            name="courses_compliance_xlsx",
        ),
        path("courses/compliance/export.csv", compliance_export_csv, name="courses_compliance_csv"),
    ]


@hooks.register("register_admin_menu_item")
def register_compliance_menu_item():
    return ComplianceMenuItem(
        gettext_lazy("Training completion rates"),
        reverse("courses_compliance"),
        name="training-compliance",
        icon_name="table",
        order=262,
    )
