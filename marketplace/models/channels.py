"""Shop channels (Voso-, Postmart-style e-commerce shops): configuration, listings and sync log."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.Model):
    """A shop configured by the deployment. `field_mapping` orders the bulk-upload file's columns:
    a list of {"column": "<header the shop expects>", "field": "<one of CHANNEL_FIELDS>"}."""

    class Kind(models.TextChoices):
        FILE = "file", _("Bulk-upload file only")
        API = "api", _("HTTP API connector")

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.FILE)
    seller_portal_url = models.URLField(_("seller portal"), blank=True)
    field_mapping = models.JSONField(_("column mapping"), default=list, blank=True)
    api_base_url = models.URLField(_("API address"), blank=True)
    api_key = models.CharField(_("API key"), max_length=255, blank=True)
    # Shared secret for HMAC signatures: requests we send and order webhooks we receive.
    webhook_secret = models.CharField(_("signing secret"), max_length=255, blank=True)
    timeout_seconds = models.PositiveSmallIntegerField(_("timeout (seconds)"), default=10)
    max_retries = models.PositiveSmallIntegerField(_("retries"), default=5)
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("shop channel")
        verbose_name_plural = _("shop channels")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        from ..channels.fields import channel_settings_errors

        errors = channel_settings_errors(self)
        if errors:
            raise ValidationError(errors)

    @property
    def is_api(self) -> bool:
        return self.kind == self.Kind.API


class ChannelListing(models.Model):
    """A product's listing on a channel, recorded by its producer (or pushed by a connector)."""

    class SyncStatus(models.TextChoices):
        MANUAL = "manual", _("Recorded by the producer")
        PENDING = "pending", _("Waiting to sync")
        SYNCED = "synced", _("Synced")
        FAILED = "failed", _("Sync failed")
        DELISTED = "delisted", _("Delisted")

    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, related_name="listings", verbose_name=_("channel")
    )
    product = models.ForeignKey(
        "marketplace.Product",
        on_delete=models.CASCADE,
        related_name="channel_listings",
        verbose_name=_("product"),
    )
    external_sku = models.CharField(_("SKU on the channel"), max_length=100, blank=True)
    listing_url = models.URLField(_("listing address"), blank=True)
    sync_status = models.CharField(
        _("sync status"), max_length=10, choices=SyncStatus.choices, default=SyncStatus.MANUAL
    )
    last_synced_at = models.DateTimeField(_("last synced"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    # Bumped each time a sync is scheduled: part of the idempotency key of that sync's requests.
    sync_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("channel listing")
        verbose_name_plural = _("channel listings")
        constraints = [
            models.UniqueConstraint(fields=["channel", "product"], name="channel_listing_once")
        ]

    def __str__(self):
        return f"{self.channel} – {self.product}"


class ChannelSyncLog(models.Model):
    """One call to a channel's API (or one webhook from it), shown to the producer."""

    class Action(models.TextChoices):
        PUSH = "push", _("Push listing")
        UPDATE = "update", _("Update price and stock")
        DELIST = "delist", _("Delist")
        ORDER = "order", _("Order received")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Succeeded")
        RETRYING = "retrying", _("Failed, will retry")
        FAILED = "failed", _("Failed")
        REFUSED = "refused", _("Refused")

    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, related_name="sync_logs", verbose_name=_("channel")
    )
    producer = models.ForeignKey(
        "marketplace.Producer",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="channel_sync_logs",
        verbose_name=_("producer"),
    )
    product = models.ForeignKey(
        "marketplace.Product",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("product"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    idempotency_key = models.CharField(max_length=100, blank=True)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    # When the outcome is "retrying": the backoff chosen before the next attempt.
    retry_in_seconds = models.PositiveIntegerField(
        _("next attempt in (seconds)"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("channel sync log entry")
        verbose_name_plural = _("channel sync log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["channel", "producer", "-created_at"], name="channel_log_producer"
            ),
            # A sync looks up its key before sending, to stay idempotent when run twice.
            models.Index(fields=["idempotency_key"], name="channel_log_key"),
        ]

    def __str__(self):
        return f"{self.channel} {self.action} {self.outcome}"


class ChannelOrder(models.Model):
    """An order a channel sent us by signed webhook, stored once per external id."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted, stock taken")
        REFUSED = "refused", _("Refused")

    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, related_name="orders", verbose_name=_("channel")
    )
    external_order_id = models.CharField(_("order id on the channel"), max_length=100)
    payload = models.JSONField(default=dict)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    message = models.CharField(_("message"), max_length=500, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("channel order")
        verbose_name_plural = _("channel orders")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_order_id"], name="channel_order_once"
            )
        ]

    def __str__(self):
        return f"{self.channel} {self.external_order_id}"
