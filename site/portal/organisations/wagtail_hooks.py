from wagtail import hooks

from .views import OrganisationUnitViewSet


@hooks.register("register_admin_viewset")
def register_organisation_unit_viewset():
    return OrganisationUnitViewSet("organisation_units")
