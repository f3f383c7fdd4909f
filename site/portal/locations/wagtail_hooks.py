from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Commune, Province


class ReadOnlyViewSet(ModelViewSet):
    """Loaded from the package: browsable, never edited by hand."""

    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["name"]

    def get_permissions_to_register(self):
        return []


class ProvinceViewSet(ReadOnlyViewSet):
    model = Province
    icon = "site"
    list_display = ["name", "code", "division_type"]
    search_fields = ["name"]


class CommuneViewSet(ReadOnlyViewSet):
    model = Commune
    icon = "home"
    list_display = ["name", "code", "division_type", "province"]
    list_filter = ["province", "division_type"]
    search_fields = ["name"]


class AdministrativeUnitsGroup(ViewSetGroup):
    menu_label = _("Administrative units")
    menu_icon = "site"
    menu_order = 310
    items = (ProvinceViewSet("provinces"), CommuneViewSet("communes"))


@hooks.register("register_admin_viewset")
def register_administrative_units():
    return AdministrativeUnitsGroup()
