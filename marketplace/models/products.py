"""OCOP products: classification, stars and certificate, price and stock, moderation status."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Money is an integer number of VND. Bounds refuse typing slips (0, -5, 15 digits), not real prices.
PRICE_MIN_VND = 1_000
PRICE_MAX_VND = 500_000_000
STOCK_MAX = 1_000_000


class Product(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("product status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("product status", "Waiting for approval")
        APPROVED = "approved", pgettext_lazy("product status", "Approved")
        REJECTED = "rejected", pgettext_lazy("product status", "Rejected")
        PUBLISHED = "published", pgettext_lazy("product status", "Published")
        UNPUBLISHED = "unpublished", pgettext_lazy("product status", "Hidden")

    class Stars(models.IntegerChoices):
        THREE = 3, _("3 stars")
        FOUR = 4, _("4 stars")
        FIVE = 5, _("5 stars")

    class Unit(models.TextChoices):
        KG = "kg", "kg"
        GRAM_PACK = "goi", pgettext_lazy("sales unit", "pack")
        BOX = "hop", pgettext_lazy("sales unit", "box")
        BOTTLE = "chai", pgettext_lazy("sales unit", "bottle")
        JAR = "hu", pgettext_lazy("sales unit", "jar")
        BAG = "tui", pgettext_lazy("sales unit", "bag")
        PIECE = "cai", pgettext_lazy("sales unit", "piece")
        FRUIT = "trai", pgettext_lazy("sales unit", "fruit")
        SET = "bo", pgettext_lazy("sales unit", "set")
        LITRE = "lit", pgettext_lazy("sales unit", "litre")
        CASE = "thung", pgettext_lazy("sales unit", "case")
        SERVICE = "luot", pgettext_lazy("sales unit", "booking")

    class Certification(models.TextChoices):
        VIETGAP = "vietgap", "VietGAP"
        GLOBALGAP = "globalgap", "GlobalG.A.P."
        ORGANIC_VN = "organic_vn", _("Organic (TCVN 11041)")
        ORGANIC_INTL = "organic_intl", _("Organic (USDA / EU)")
        HACCP = "haccp", "HACCP"
        ISO22000 = "iso22000", "ISO 22000"
        GI = "geographical_indication", _("Geographical indication")
        TRADEMARK = "collective_mark", _("Collective trademark")

    producer = models.ForeignKey(
        "marketplace.Producer",
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("producer"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    group = models.ForeignKey(
        "marketplace.OcopGroup", on_delete=models.PROTECT, related_name="+", verbose_name=_("group")
    )
    subgroup = models.ForeignKey(
        "marketplace.OcopSubgroup",
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("sub-group"),
    )
    stars = models.PositiveSmallIntegerField(_("OCOP stars"), choices=Stars.choices)
    potential_five_star = models.BooleanField(_("potential 5 stars"), default=False)
    certificate_number = models.CharField(_("decision number"), max_length=100)
    certificate_date = models.DateField(_("decision date"))
    certificate_authority = models.CharField(_("issuing authority"), max_length=255)
    certificate_expires_on = models.DateField(_("valid until"))
    # Relative path of the scanned decision (PDF) in the private storage; never under MEDIA_ROOT.
    certificate_file = models.CharField(_("scanned certificate"), max_length=255, blank=True)
    # The badge is shown while the certificate is valid; the daily task clears it on expiry.
    ocop_active = models.BooleanField(_("OCOP badge shown"), default=False, db_index=True)
    expiry_notice_sent_on = models.DateField(null=True, blank=True, editable=False)
    price = models.PositiveBigIntegerField(
        _("price (VND)"),
        validators=[MinValueValidator(PRICE_MIN_VND), MaxValueValidator(PRICE_MAX_VND)],
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.KG)
    # Units on sale now. Checkout takes units with a conditional UPDATE, releases give them back.
    stock = models.PositiveIntegerField(
        _("stock"), default=0, validators=[MaxValueValidator(STOCK_MAX)]
    )
    sold_count = models.PositiveIntegerField(_("sold"), default=0, editable=False)
    description = models.TextField(_("description"), blank=True)
    origin_commune = models.ForeignKey(
        "locations.Commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("origin (commune)"),
    )
    # The origin's province (or the producer's): the catalogue filters on it without joins.
    province = models.ForeignKey(
        "locations.Province",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province"),
    )
    other_certifications = models.JSONField(_("other certifications"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    rejection_reason = models.CharField(_("reason for rejection"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("OCOP product")
        verbose_name_plural = _("OCOP products")
        ordering = ["-published_at", "-id"]
        permissions = [("moderate_product", _("Can approve OCOP products"))]
        indexes = [
            models.Index(fields=["status", "group"], name="product_status_group"),
            models.Index(fields=["status", "province"], name="product_status_province"),
            models.Index(fields=["status", "stars"], name="product_status_stars"),
            # The catalogue's sorts, each with its tie-breaker so a page is read off the index.
            models.Index(fields=["status", "price", "id"], name="product_status_price"),
            models.Index(
                fields=["status", "-published_at", "-id"], name="product_status_published"
            ),
            models.Index(
                fields=["status", "-stars", "-published_at", "-id"],
                name="product_status_stars_sort",
            ),
            models.Index(
                fields=["status", "-sold_count", "-published_at", "-id"],
                name="product_status_bestselling",
            ),
            models.Index(fields=["certificate_expires_on"], name="product_cert_expiry"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gte=PRICE_MIN_VND, price__lte=PRICE_MAX_VND),
                name="product_price_in_range",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ProductPhoto(models.Model):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="photos", verbose_name=_("product")
    )
    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="+", verbose_name=_("image")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.product_id}: {self.image_id}"
