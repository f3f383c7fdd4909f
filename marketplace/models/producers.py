"""OCOP producers (chủ thể OCOP): cooperatives, enterprises, household businesses, groups."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Producer(models.Model):
    class Kind(models.TextChoices):
        COOPERATIVE = "cooperative", _("Cooperative")
        ENTERPRISE = "enterprise", _("Enterprise")
        HOUSEHOLD = "household", _("Household business")
        COOPERATIVE_GROUP = "cooperative_group", _("Co-operative group")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    tax_code = models.CharField(_("tax code"), max_length=14, blank=True)
    province = models.ForeignKey(
        "locations.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    commune = models.ForeignKey(
        "locations.Commune", on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    street_address = models.CharField(_("street address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20)
    email = models.EmailField(_("email"), blank=True)
    description = models.TextField(_("description"), blank=True)
    # VietQR receiving account: bank BIN from the VietQR bank list, account number and holder name.
    bank_bin = models.CharField(_("bank"), max_length=8, blank=True)
    bank_account_number = models.CharField(_("account number"), max_length=19, blank=True)
    bank_account_name = models.CharField(_("account name"), max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    rejection_reason = models.CharField(_("reason"), max_length=500, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        ordering = ["name"]
        permissions = [("moderate_producer", _("Can verify OCOP producers"))]

    def __str__(self):
        return self.name

    @staticmethod
    def tax_code_is_personal(code: str) -> bool:
        """A 12-digit personal identification number used as tax code (household businesses,
        since 1 July 2025, Circular 86/2024/TT-BTC): personal data, never shown in public."""
        return len(code) == 12 and code.isdigit()

    @property
    def public_tax_code(self) -> str:
        """The tax code anyone may see (empty for a personal identification number)."""
        code = self.tax_code or ""
        return "" if self.tax_code_is_personal(code) else code

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def accepts_vietqr(self) -> bool:
        return bool(self.bank_bin and self.bank_account_number)


class ProducerMember(models.Model):
    """A user who manages a producer's shop. Several users can manage one producer."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        STAFF = "staff", _("Staff")

    producer = models.ForeignKey(
        Producer, on_delete=models.CASCADE, related_name="members", verbose_name=_("producer")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="producer_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("producer member")
        verbose_name_plural = _("producer members")
        constraints = [
            models.UniqueConstraint(fields=["producer", "user"], name="producer_member_unique")
        ]

    def __str__(self):
        return f"{self.user} – {self.producer}"


class ProducerPhoto(models.Model):
    producer = models.ForeignKey(
        Producer, on_delete=models.CASCADE, related_name="photos", verbose_name=_("producer")
    )
    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="+", verbose_name=_("image")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("producer photo")
        verbose_name_plural = _("producer photos")
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.producer_id}: {self.image_id}"
