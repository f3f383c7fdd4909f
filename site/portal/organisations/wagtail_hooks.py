from wagtail import hooks

from .admin_views import (
    PositionViewSet,
    UnitManagerViewSet,
    staff_import_menu_item,
    staff_import_urls,
)
from .views import OrganisationUnitViewSet


@hooks.register("register_admin_viewset")
def register_organisation_unit_viewset():
    return OrganisationUnitViewSet("organisation_units")


@hooks.register("register_admin_viewset")
def register_position_viewset():
    return PositionViewSet("positions")


@hooks.register("register_admin_viewset")
def register_unit_manager_viewset():
    return UnitManagerViewSet("unit_managers")


@hooks.register("register_admin_urls")
def register_staff_import_urls():
    return staff_import_urls()


@hooks.register("register_admin_menu_item")
def register_staff_import_menu_item():
    return staff_import_menu_item()
