"""Orders: one per checkout, split into one sub-order per producer, each with its own status.

The allowed status moves live in `marketplace.services.order_status`, nowhere else.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Order(models.Model):
    class PaymentMethod(models.TextChoices):
        COD = "cod", _("Cash on delivery")
        VIETQR = "vietqr", _("Bank transfer (VietQR)")
        STRIPE = "stripe", _("Card (Stripe)")

    number = models.CharField(_("order number"), max_length=20, unique=True)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="marketplace_orders",
        verbose_name=_("buyer"),
    )
    recipient_name = models.CharField(_("recipient"), max_length=150)
    phone = models.CharField(_("phone"), max_length=20)
    province = models.ForeignKey(
        "locations.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    commune = models.ForeignKey(
        "locations.Commune", on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    street_address = models.CharField(_("street address"), max_length=255)
    note = models.CharField(_("note for the producers"), max_length=500, blank=True)
    payment_method = models.CharField(
        _("payment method"), max_length=10, choices=PaymentMethod.choices
    )
    total = models.PositiveBigIntegerField(_("total (VND)"))
    created_at = models.DateTimeField(_("ordered at"), auto_now_add=True)
    # Unpaid VietQR/Stripe orders give their stock back after this moment (None for COD).
    payment_due_at = models.DateTimeField(_("pay before"), null=True, blank=True, db_index=True)
    stripe_session_id = models.CharField(max_length=255, blank=True, db_index=True)
    stripe_payment_intent = models.CharField(max_length=255, blank=True)
    # The checkout form's one-time token: the same form posted twice makes one order.
    checkout_token = models.CharField(max_length=64, blank=True, default="", editable=False)
    # The buyer's "order placed" email went out (the task may run twice).
    buyer_emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "checkout_token"],
                condition=~models.Q(checkout_token=""),
                name="order_checkout_token_once",
            )
        ]

    def __str__(self):
        return self.number


class SubOrder(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("order status", "Pending")
        CONFIRMED = "confirmed", pgettext_lazy("order status", "Confirmed")
        PAID = "paid", pgettext_lazy("order status", "Paid")
        SHIPPING = "shipping", pgettext_lazy("order status", "Shipping")
        DELIVERED = "delivered", pgettext_lazy("order status", "Delivered")
        COMPLETED = "completed", pgettext_lazy("order status", "Completed")
        CANCELLED = "cancelled", pgettext_lazy("order status", "Cancelled")
        REFUNDED = "refunded", pgettext_lazy("order status", "Refunded")

    class PaymentFlag(models.TextChoices):
        NONE = "", _("None")
        PARTIAL = "partial", _("Paid less than the amount due")
        OVERPAID = "overpaid", _("Paid more than the amount due")
        LATE = "late", _("Paid after the order was cancelled")
        DUPLICATE = "duplicate", _("Paid twice")
        MISMATCH = "mismatch", _("Paid in another currency or an unreadable amount")

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="suborders", verbose_name=_("order")
    )
    producer = models.ForeignKey(
        "marketplace.Producer",
        on_delete=models.PROTECT,
        related_name="suborders",
        verbose_name=_("producer"),
    )
    number = models.CharField(_("sub-order number"), max_length=24, unique=True)
    # Letters and digits only: banks strip everything else from a transfer message.
    payment_reference = models.CharField(_("payment reference"), max_length=20, unique=True)
    subtotal = models.PositiveBigIntegerField(_("amount (VND)"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    paid_amount = models.PositiveBigIntegerField(_("amount received (VND)"), default=0)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    # A payment that does not fit (partial, too much, late): kept for a person to sort out.
    payment_flag = models.CharField(
        _("payment problem"), max_length=10, choices=PaymentFlag.choices, blank=True, default=""
    )
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    stock_released_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The producer's "new sub-order" email went out (the task may run twice).
    producer_emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sub-order")
        verbose_name_plural = _("sub-orders")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["producer", "status"], name="suborder_producer_status")]

    def __str__(self):
        return self.number


class OrderLine(models.Model):
    """A product line, with name, unit and price frozen at checkout."""

    suborder = models.ForeignKey(
        SubOrder, on_delete=models.CASCADE, related_name="lines", verbose_name=_("sub-order")
    )
    product = models.ForeignKey(
        "marketplace.Product",
        null=True,
        on_delete=models.SET_NULL,
        related_name="order_lines",
        verbose_name=_("product"),
    )
    product_name = models.CharField(_("product"), max_length=200)
    unit = models.CharField(_("unit"), max_length=10)
    unit_price = models.PositiveBigIntegerField(_("unit price (VND)"))
    quantity = models.PositiveIntegerField(_("quantity"))
    line_total = models.PositiveBigIntegerField(_("amount (VND)"))

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["id"]

    def __str__(self):
        return f"{self.quantity} × {self.product_name}"

    @property
    def unit_label(self) -> str:
        """The unit's name in the current language (the code is what was frozen)."""
        from .products import Product

        try:
            return Product.Unit(self.unit).label
        except ValueError:
            return self.unit


class SubOrderEvent(models.Model):
    """Every status change of a sub-order: who, when, from what to what, and why."""

    class Role(models.TextChoices):
        BUYER = "buyer", _("Buyer")
        PRODUCER = "producer", _("Producer")
        MODERATOR = "moderator", _("Moderator")
        GATEWAY = "gateway", _("Payment gateway")
        SYSTEM = "system", _("System")

    suborder = models.ForeignKey(
        SubOrder, on_delete=models.CASCADE, related_name="events", verbose_name=_("sub-order")
    )
    from_status = models.CharField(max_length=10, choices=SubOrder.Status.choices)
    to_status = models.CharField(max_length=10, choices=SubOrder.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    role = models.CharField(_("as"), max_length=10, choices=Role.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The buyer's and producer's emails about this change went out (the task may run twice).
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.suborder_id}: {self.from_status} → {self.to_status}"
