"""What payment providers told us: bank transfer notices and Stripe events, each stored once.

A row that did not simply pay a sub-order (partial, too much, late, unknown reference, …) stays
"not sorted out" until a moderator marks it so: nothing a provider sends is silently accepted.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BankTransaction(models.Model):
    """A credit notice from a bank-notification service (signed JSON), matched to a sub-order."""

    class Outcome(models.TextChoices):
        MATCHED = "matched", _("Matched, sub-order paid")
        PARTIAL = "partial", _("Less than the amount due")
        OVERPAID = "overpaid", _("More than the amount due")
        ALREADY_PAID = "already_paid", _("Sub-order already paid")
        NOT_PAYABLE = "not_payable", _("Sub-order cannot be paid now")
        UNKNOWN_REFERENCE = "unknown_reference", _("No sub-order with this reference")
        WRONG_ACCOUNT = "wrong_account", _("Paid into another account")

    provider = models.CharField(_("provider"), max_length=40)
    transaction_id = models.CharField(_("transaction id"), max_length=100)
    amount = models.BigIntegerField(_("amount (VND)"))
    description = models.TextField(_("transfer message"))
    account_number = models.CharField(_("account number"), max_length=30, blank=True)
    transacted_at = models.DateTimeField(_("transferred at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    payload = models.JSONField(default=dict)
    suborder = models.ForeignKey(
        "marketplace.SubOrder",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bank_transactions",
        verbose_name=_("sub-order"),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    resolved = models.BooleanField(_("sorted out"), default=False)
    resolved_at = models.DateTimeField(_("sorted out at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sorted out by"),
    )

    class Meta:
        verbose_name = _("bank transaction")
        verbose_name_plural = _("bank transactions")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "transaction_id"], name="bank_transaction_once"
            )
        ]

    def __str__(self):
        return f"{self.provider} {self.transaction_id}"

    @property
    def needs_attention(self) -> bool:
        return self.outcome != self.Outcome.MATCHED and not self.resolved


class StripeEvent(models.Model):
    """A Stripe webhook event id, stored once: a replayed event finds it and changes nothing."""

    class Outcome(models.TextChoices):
        PROCESSED = "processed", _("Processed")
        WAITING = "waiting", _("Waiting for the payment")
        IGNORED = "ignored", _("Ignored")
        FLAGGED = "flagged", _("Needs checking")

    event_id = models.CharField(_("event id"), max_length=255, unique=True)
    type = models.CharField(_("event type"), max_length=100)
    order = models.ForeignKey(
        "marketplace.Order",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stripe_events",
        verbose_name=_("order"),
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PROCESSED
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    payload = models.JSONField(default=dict)
    resolved = models.BooleanField(_("sorted out"), default=False)
    resolved_at = models.DateTimeField(_("sorted out at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sorted out by"),
    )

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return self.event_id

    @property
    def needs_attention(self) -> bool:
        return self.outcome == self.Outcome.FLAGGED and not self.resolved
