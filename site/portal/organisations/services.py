"""Writes to the organisation tree. Moves keep the tree consistent (no unit under itself)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import OrganisationUnit


@transaction.atomic
def organisation_unit_create(
    *,
    name: str,
    code: str,
    kind: str,
    parent: OrganisationUnit | None = None,
    commune=None,
    headcount: int = 0,
    is_active: bool = True,
) -> OrganisationUnit:
    unit = OrganisationUnit(
        name=name,
        code=code,
        kind=kind,
        commune=commune,
        headcount=headcount,
        is_active=is_active,
    )
    unit.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        return OrganisationUnit.add_root(instance=unit)
    return parent.add_child(instance=unit)


@transaction.atomic
def organisation_unit_update(
    *, unit: OrganisationUnit, parent: OrganisationUnit | None, **fields
) -> OrganisationUnit:
    """Saves changed fields and moves the unit when its parent changed.

    Raises ValidationError when the new parent is the unit itself or one of its descendants.
    """
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    unit.save()
    current_parent = unit.get_parent()
    if parent == current_parent:
        return unit
    if not unit.can_be_placed_under(parent):
        raise ValidationError(
            {"parent": _("A unit cannot be placed under itself or one of its sub-units.")}
        )
    if parent is None:
        unit.move(OrganisationUnit.get_first_root_node(), pos="sorted-sibling")
    else:
        unit.move(parent, pos="sorted-child")
    unit.refresh_from_db()
    return unit
