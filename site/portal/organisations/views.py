from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from .forms import OrganisationUnitForm
from .models import OrganisationUnit
from .services import organisation_unit_create, organisation_unit_update


class OrganisationUnitCreateView(generic.CreateView):
    def save_instance(self):
        form = self.form
        return organisation_unit_create(parent=form.cleaned_data["parent"], **form.unit_fields())


class OrganisationUnitEditView(generic.EditView):
    def save_instance(self):
        form = self.form
        return organisation_unit_update(
            unit=self.object, parent=form.cleaned_data["parent"], **form.unit_fields()
        )


class OrganisationUnitViewSet(ModelViewSet):
    model = OrganisationUnit
    add_view_class = OrganisationUnitCreateView
    edit_view_class = OrganisationUnitEditView
    icon = "group"
    menu_label = _("Organisation units")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["indented_name", "kind", "code", "headcount", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    ordering = ["path"]
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_form_class(self, for_update=False):
        return OrganisationUnitForm
