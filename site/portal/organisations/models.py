from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class OrganisationUnit(MP_Node):
    """A unit of the province's administration (đơn vị), as a tree.

    Province → departments / people's committees of communes / areas → offices. Staff belong to
    one unit; training and contest statistics roll up along this tree. Not to be confused with
    administrative units (provinces and communes), which are addresses.
    """

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Provincial People's Committee")
        DEPARTMENT = "department", _("Department, board or agency")
        AREA = "area", _("District-level area")
        COMMUNE = "commune", _("People's Committee of a commune or ward")
        OFFICE = "office", _("Office or subordinate unit")

    name = models.CharField(_("name"), max_length=255)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    commune = models.ForeignKey(
        "locations.Commune",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisation_units",
        verbose_name=_("commune"),
        help_text=_("For a commune's People's Committee: the commune it governs."),
    )
    headcount = models.PositiveIntegerField(
        _("headcount"),
        default=0,
        help_text=_(
            "Staff on the payroll; participation and training rates are measured against it."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    node_order_by = ["name"]

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")

    def __str__(self):
        return self.name

    def can_be_placed_under(self, parent: "OrganisationUnit | None") -> bool:
        """False when `parent` is this unit or one of its descendants."""
        if parent is None or self.pk is None:
            return True
        return not (parent.pk == self.pk or parent.path.startswith(self.path))

    @property
    def indented_name(self):
        return "— " * (self.depth - 1) + self.name


class Position(models.Model):
    """A staff position (chức vụ, vị trí việc làm); mandatory training can target positions."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    code = models.SlugField(_("code"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class UnitManager(models.Model):
    """A person who manages a unit: sees its subtree's training rates and imports its staff."""

    user = models.ForeignKey(
        "users.User",
        on_delete=models.CASCADE,
        related_name="managed_units",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        OrganisationUnit,
        on_delete=models.CASCADE,
        related_name="managers",
        verbose_name=_("organisation unit"),
    )

    class Meta:
        verbose_name = _("unit manager")
        verbose_name_plural = _("unit managers")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="organisations_manager_once")
        ]

    def __str__(self):
        return f"{self.user} · {self.unit}"
