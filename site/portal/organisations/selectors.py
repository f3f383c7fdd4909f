from .models import OrganisationUnit


def organisation_unit_subtree(*, unit: OrganisationUnit):
    """The unit and every unit below it, in tree order, in one query."""
    return OrganisationUnit.objects.filter(path__startswith=unit.path).order_by("path")


def organisation_unit_choices():
    """Active units in tree order, for choice fields."""
    return OrganisationUnit.objects.filter(is_active=True).order_by("path")
