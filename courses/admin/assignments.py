"""Admin screens of mandatory training assignments.

Course managers are the users holding the add/change assignment permissions (Wagtail's model
permission policy). Saving an assignment enqueues the enrolment of its targets once the
transaction commits; the rule lives in courses.services.assignments.
"""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import Assignment
from ..services.assignments import assignment_enrolments_schedule


def _names(related) -> str:
    return ", ".join(str(item) for item in related.all()) or "—"


def _units_label(assignment: Assignment) -> str:
    names = _names(assignment.units)
    if assignment.units.all() and assignment.include_subunits:
        with_subunits = _("with sub-units")
        return f"{names} ({with_subunits})"
    return names


def _positions_label(assignment: Assignment) -> str:
    return _names(assignment.positions) if assignment.positions.all() else _("All positions")


class AssignmentIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("course")
            .prefetch_related("units", "positions")
            .annotate(enrolled_count=Count("enrolments"))
        )


class AssignmentCreateView(generic.CreateView):
    def save_instance(self):
        assignment = self.form.save(commit=False)
        assignment.created_by = self.request.user
        assignment.save()
        self.form.save_m2m()
        assignment_enrolments_schedule(assignment=assignment)
        return assignment


class AssignmentEditView(generic.EditView):
    def save_instance(self):
        assignment = super().save_instance()
        assignment_enrolments_schedule(assignment=assignment)
        return assignment


class AssignmentViewSet(ModelViewSet):
    model = Assignment
    index_view_class = AssignmentIndexView
    add_view_class = AssignmentCreateView
    edit_view_class = AssignmentEditView
    icon = "date"
    menu_label = _("Mandatory training")
    menu_order = 260
    add_to_admin_menu = True
    list_display = [
        Column("course", label=_("Course")),
        Column("units", label=_("Organisation units"), accessor=_units_label),
        Column("positions", label=_("Positions"), accessor=_positions_label),
        DateColumn("due_date", label=_("Due date")),
        BooleanColumn("yearly", label=_("Every year")),
        BooleanColumn("is_active", label=_("Active")),
        Column("enrolled_count", label=_("Enrolled")),
    ]
    list_filter = ["yearly", "is_active"]
    search_fields = ["course__title"]
    # Not an indexed model: search with the database.
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False


@hooks.register("register_admin_viewset")
def register_assignment_viewset():
    return AssignmentViewSet("course_assignments")
