"""Shop channels: listings a producer records, syncs with channels that offer an API, and orders
those channels send by signed webhook.

A sync is scheduled by bumping the listing's `sync_version` and enqueueing
`channel_listing_sync_task` on commit with an idempotency key made of (listing, action, version):
every retry of that sync sends the same key, so the channel applies it once. Each attempt writes
one ChannelSyncLog row. Timeouts, connection errors, 5xx and 429 are retried with exponential
backoff and jitter up to the channel's `max_retries`; other answers are final.
"""

import logging
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..channels.connector import (
    ChannelConnector,
    ChannelError,
    ChannelRefused,
    ChannelTemporaryError,
)
from ..channels.fields import product_id_from_sku, product_sku
from ..models import Channel, ChannelListing, ChannelOrder, ChannelSyncLog, Producer, Product
from .stock import OutOfStock, stock_take

logger = logging.getLogger(__name__)

Action = ChannelSyncLog.Action
Outcome = ChannelSyncLog.Outcome
Status = ChannelListing.SyncStatus

BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 3600
MESSAGE_MAX = 500
LISTING_ACTIONS = (Action.PUSH, Action.UPDATE, Action.DELIST)
ORDER_QUANTITY_MAX = 10_000
# What the order webhook answers for each result (a replay answers 200 whatever it was).
ORDER_HTTP_STATUS = {
    "accepted": 200,
    "duplicate": 200,
    "out_of_stock": 409,
    "not_on_sale": 409,
    "unknown_sku": 422,
}

_jitter = random.SystemRandom()


# ----------------------------------------------------------------------------------------------
# Backoff


def channel_retry_countdown(
    *,
    attempt: int,
    retry_after: int | None = None,
    uniform: Callable[[float, float], float] | None = None,
) -> int:
    """Seconds to wait after failed attempt number `attempt` (1-based): exponential (30 s, 60 s,
    2 min, … capped at 1 h) with "equal jitter" (half fixed, half random) so that listings that
    failed together do not retry together. A channel's Retry-After is honoured when longer."""
    uniform = uniform or _jitter.uniform
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (max(attempt, 1) - 1))
    countdown = int(ceiling / 2 + uniform(0, ceiling / 2))
    if retry_after is not None:
        countdown = max(countdown, min(int(retry_after), BACKOFF_CAP_SECONDS))
    return max(countdown, 1)


# ----------------------------------------------------------------------------------------------
# Listings recorded by the producer (file channels)


def _producer_product(*, producer: Producer, product_id: int) -> Product:
    """The producer's product; Product.DoesNotExist for anyone else's (the view answers 404)."""
    return Product.objects.select_related("producer").get(pk=product_id, producer=producer)


def listing_url_error(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return _("The listing address must be a full https:// address.")
    if parts.username or parts.password:
        return _("The listing address must not contain a user name or password.")
    return None


@transaction.atomic
def channel_listing_record(
    *,
    producer: Producer,
    channel: Channel,
    product_id: int,
    external_sku: str,
    listing_url: str,
) -> ChannelListing:
    """Records (or corrects) where the producer's product is listed on a file channel.
    Raises Product.DoesNotExist for another producer's product, ValidationError for bad input
    or an API channel (whose listings come from the connector)."""
    product = _producer_product(producer=producer, product_id=product_id)
    if not channel.active:
        raise ValidationError(_("This channel is not active."))
    if channel.is_api:
        raise ValidationError(
            _("Listings on this channel are created by pushing the product, not typed in.")
        )
    external_sku = external_sku.strip()
    listing_url = listing_url.strip()
    errors = {}
    error = listing_url_error(listing_url)
    if error:
        errors["listing_url"] = [error]
    if any(not ch.isprintable() for ch in external_sku):
        errors["external_sku"] = [_("The SKU contains characters that cannot be printed.")]
    if errors:
        raise ValidationError(errors)
    listing = (
        ChannelListing.objects.select_for_update().filter(channel=channel, product=product).first()
    ) or ChannelListing(channel=channel, product=product)
    listing.external_sku = external_sku
    listing.listing_url = listing_url
    listing.sync_status = Status.MANUAL
    listing.last_error = ""
    listing.full_clean()
    listing.save()
    return listing


@transaction.atomic
def channel_listing_remove(*, producer: Producer, channel: Channel, product_id: int) -> bool:
    """Forgets the producer's record of a listing on a file channel. Returns False when there
    was none. Raises Product.DoesNotExist for another producer's product; ValidationError on an
    API channel (delist there instead)."""
    product = _producer_product(producer=producer, product_id=product_id)
    if channel.is_api:
        raise ValidationError(_("On this channel, delist the product instead."))
    deleted, _details = ChannelListing.objects.filter(channel=channel, product=product).delete()
    return deleted > 0


# ----------------------------------------------------------------------------------------------
# Syncs with API channels


def listing_idempotency_key(*, listing_id: int, action: str, version: int) -> str:
    return f"cds-listing-{listing_id}-{action}-v{version}"


def _key_version(key: str) -> int | None:
    _head, sep, version = key.rpartition("-v")
    return int(version) if sep and version.isdigit() else None


def _api_channel(channel: Channel) -> None:
    if not channel.is_api:
        raise ValidationError(_("This channel takes files: it has no API to sync with."))
    if not channel.active:
        raise ValidationError(_("This channel is not active."))


def _sync_schedule(listing: ChannelListing, action: str) -> str:
    """Bumps the version, marks the listing pending and enqueues the sync on commit."""
    ChannelListing.objects.filter(pk=listing.pk).update(
        sync_version=F("sync_version") + 1,
        sync_status=Status.PENDING,
        last_error="",
        updated_at=timezone.now(),
    )
    listing.refresh_from_db(fields=["sync_version", "sync_status", "last_error", "updated_at"])
    key = listing_idempotency_key(
        listing_id=listing.pk, action=action, version=listing.sync_version
    )
    listing_id = listing.pk

    def enqueue():
        from ..tasks.channels import channel_listing_sync_task

        channel_listing_sync_task.delay(listing_id, action, key)

    transaction.on_commit(enqueue)
    return key


@transaction.atomic
def listing_push_schedule(
    *, producer: Producer, channel: Channel, product_id: int
) -> ChannelListing:
    """Queues pushing the producer's published product to an API channel (creates the listing
    row, pending). Raises Product.DoesNotExist for another producer's product, ValidationError
    when the channel has no API or the product is not on sale."""
    product = _producer_product(producer=producer, product_id=product_id)
    _api_channel(channel)
    if product.status != Product.Status.PUBLISHED:
        raise ValidationError(_("Only published products can be listed on a channel."))
    listing, _created = ChannelListing.objects.select_for_update().get_or_create(
        channel=channel, product=product, defaults={"sync_status": Status.PENDING}
    )
    _sync_schedule(listing, Action.PUSH)
    return listing


def _listed(*, producer: Producer, channel: Channel, product_id: int) -> ChannelListing:
    product = _producer_product(producer=producer, product_id=product_id)
    _api_channel(channel)
    listing = (
        ChannelListing.objects.select_for_update().filter(channel=channel, product=product).first()
    )
    if listing is None or not listing.external_sku or listing.sync_status == Status.DELISTED:
        raise ValidationError(_("This product is not listed on the channel yet: push it first."))
    return listing


@transaction.atomic
def listing_update_schedule(
    *, producer: Producer, channel: Channel, product_id: int
) -> ChannelListing:
    """Queues sending the product's current price and stock to the channel."""
    listing = _listed(producer=producer, channel=channel, product_id=product_id)
    _sync_schedule(listing, Action.UPDATE)
    return listing


@transaction.atomic
def listing_delist_schedule(
    *, producer: Producer, channel: Channel, product_id: int
) -> ChannelListing:
    """Queues taking the product's listing down from the channel."""
    listing = _listed(producer=producer, channel=channel, product_id=product_id)
    _sync_schedule(listing, Action.DELIST)
    return listing


@transaction.atomic
def channel_listings_product_changed(*, product_id: int) -> int:
    """A product's price, stock or status changed: queues an update of each of its listings on
    active API channels (a product no longer on sale is sent with stock 0). Call it from the
    service that changed the product, inside its transaction; the tasks run after commit.
    Returns how many updates were queued."""
    listings = list(
        ChannelListing.objects.select_for_update()
        .filter(
            product_id=product_id,
            channel__active=True,
            channel__kind=Channel.Kind.API,
        )
        .exclude(external_sku="")
        .exclude(sync_status=Status.DELISTED)
        .order_by("pk")
    )
    for listing in listings:
        _sync_schedule(listing, Action.UPDATE)
    return len(listings)


@dataclass(frozen=True)
class SyncResult:
    """What one attempt ended in; `retry_in` (seconds) when the task must try again."""

    outcome: str | None
    retry_in: int | None = None
    max_retries: int = 0


def _sync_log(listing, *, action, key, attempt, outcome, status=None, message="", retry_in=None):
    return ChannelSyncLog.objects.create(
        channel_id=listing.channel_id,
        producer_id=listing.product.producer_id,
        product_id=listing.product_id,
        action=action,
        idempotency_key=key,
        attempt=attempt,
        outcome=outcome,
        http_status=status,
        message=message[:MESSAGE_MAX],
        retry_in_seconds=retry_in,
    )


def channel_listing_sync(
    *, listing_id: int, action: str, idempotency_key: str, attempt: int = 1
) -> SyncResult:
    """Makes attempt number `attempt` of one scheduled sync and logs it.

    Safe to run twice: a key that already succeeded is not sent again (and the channel itself
    applies a key once). Returns `retry_in` for a temporary failure while attempts remain
    (attempts = 1 + the channel's max_retries); the last one, and any refusal, is final: the
    listing is marked failed with the message. The HTTP call runs outside any transaction."""
    if action not in LISTING_ACTIONS:
        raise ValueError(f"unknown channel action {action!r}")
    listing = (
        ChannelListing.objects.select_related("channel", "product__producer")
        .filter(pk=listing_id)
        .first()
    )
    if listing is None:
        logger.info("channel sync: listing %s no longer exists", listing_id)
        return SyncResult(None)
    if ChannelSyncLog.objects.filter(
        idempotency_key=idempotency_key, action=action, outcome=Outcome.SUCCESS
    ).exists():
        return SyncResult(Outcome.SUCCESS)
    channel, product = listing.channel, listing.product
    log = {"action": action, "key": idempotency_key, "attempt": attempt}
    if not channel.is_api or not channel.active:
        message = _("The channel is not an active API channel any more.")
        _sync_log(listing, outcome=Outcome.FAILED, message=message, **log)
        _listing_finish(listing, idempotency_key, Status.FAILED, error=message)
        return SyncResult(Outcome.FAILED)

    if action == Action.PUSH and product.status != Product.Status.PUBLISHED:
        message = _("The product is not published any more.")
        _sync_log(listing, outcome=Outcome.FAILED, message=message, **log)
        _listing_finish(listing, idempotency_key, Status.FAILED, error=message)
        return SyncResult(Outcome.FAILED)

    connector = ChannelConnector.for_channel(channel)
    try:
        if action == Action.PUSH:
            pushed = connector.push_listing(product, idempotency_key=idempotency_key)
            status, extra = (
                pushed.status,
                {
                    "external_sku": pushed.external_sku,
                    "listing_url": pushed.listing_url,
                },
            )
        elif action == Action.UPDATE:
            on_sale = product.status == Product.Status.PUBLISHED and product.producer.is_verified
            answer = connector.update_listing(
                external_sku=listing.external_sku,
                price=product.price,
                stock=product.stock if on_sale else 0,
                idempotency_key=idempotency_key,
            )
            status, extra = answer.status, {}
        else:
            try:
                answer = connector.delist(
                    external_sku=listing.external_sku,
                    sku=product_sku(product),
                    idempotency_key=idempotency_key,
                )
                status = answer.status
            except ChannelRefused as error:
                if error.status != 404:
                    raise
                status = 404  # already gone from the channel: what delisting wanted
            extra = {}
    except ChannelTemporaryError as error:
        if attempt <= channel.max_retries:
            retry_in = channel_retry_countdown(attempt=attempt, retry_after=error.retry_after)
            message = _("Temporary error: %(error)s. Next attempt in %(seconds)s s.") % {
                "error": error.message,
                "seconds": retry_in,
            }
            _sync_log(
                listing,
                outcome=Outcome.RETRYING,
                status=error.status,
                message=message,
                retry_in=retry_in,
                **log,
            )
            ChannelListing.objects.filter(pk=listing.pk).update(last_error=message[:MESSAGE_MAX])
            return SyncResult(Outcome.RETRYING, retry_in, channel.max_retries)
        message = _("Failed after %(count)s attempts: %(error)s.") % {
            "count": attempt,
            "error": error.message,
        }
        _sync_log(listing, outcome=Outcome.FAILED, status=error.status, message=message, **log)
        _listing_finish(listing, idempotency_key, Status.FAILED, error=message)
        return SyncResult(Outcome.FAILED)
    except ChannelError as error:
        message = _("The channel refused: %(error)s.") % {"error": error.message}
        _sync_log(listing, outcome=Outcome.FAILED, status=error.status, message=message, **log)
        _listing_finish(listing, idempotency_key, Status.FAILED, error=message)
        return SyncResult(Outcome.FAILED)

    messages = {
        Action.PUSH: _("Listed on the channel."),
        Action.UPDATE: _("Price and stock sent to the channel."),
        Action.DELIST: _("Taken down from the channel."),
    }
    _sync_log(listing, outcome=Outcome.SUCCESS, status=status, message=messages[action], **log)
    final = Status.DELISTED if action == Action.DELIST else Status.SYNCED
    _listing_finish(listing, idempotency_key, final, **extra)
    return SyncResult(Outcome.SUCCESS)


@transaction.atomic
def _listing_finish(listing, key: str, status: str, *, error: str = "", **facts) -> None:
    """Records a sync's end on the listing (row locked). A newer sync scheduled meanwhile keeps
    its pending status; what the channel told us (SKU, address) is recorded either way."""
    current = ChannelListing.objects.select_for_update().filter(pk=listing.pk).first()
    if current is None:
        return
    fields = []
    for name, value in facts.items():
        setattr(current, name, value)
        fields.append(name)
    version = _key_version(key)
    if version is None or current.sync_version <= version:
        current.sync_status = status
        current.last_error = error[:MESSAGE_MAX]
        fields += ["sync_status", "last_error"]
        if status != Status.FAILED:
            current.last_synced_at = timezone.now()
            fields.append("last_synced_at")
    if fields:
        current.save(update_fields=[*fields, "updated_at"])


# ----------------------------------------------------------------------------------------------
# Orders a channel sends by webhook


@dataclass(frozen=True)
class ChannelOrderResult:
    """`result`: "accepted", "duplicate", "out_of_stock", "unknown_sku" or "not_on_sale"."""

    order: ChannelOrder
    result: str


def _resolve_skus(channel: Channel, skus: list[str]) -> dict[str, Product]:
    """Our SKUs (producer slug + id) first, then the channel's own SKUs of recorded listings."""
    parsed = {sku: product_id_from_sku(sku) for sku in skus}
    ids = {value[1] for value in parsed.values() if value}
    products = Product.objects.select_related("producer").in_bulk(ids)
    found: dict[str, Product] = {}
    for sku, value in parsed.items():
        if value and value[1] in products and products[value[1]].producer.slug == value[0]:
            found[sku] = products[value[1]]
    missing = [sku for sku in skus if sku not in found]
    if missing:
        for listing in ChannelListing.objects.select_related("product__producer").filter(
            channel=channel, external_sku__in=missing
        ):
            found[listing.external_sku] = listing.product
    return found


def channel_order_receive(
    *, channel: Channel, external_order_id: str, lines: list[tuple[str, int]], payload: dict
) -> ChannelOrderResult:
    """Takes the stock of an order a channel sold, once per external order id.

    One transaction: the ChannelOrder row is inserted first (a concurrent delivery of the same
    id waits on it and then sees a duplicate), then `stock_take` for each product in id order.
    Any line that cannot be served (unknown SKU, product not on sale, not enough stock) refuses
    the whole order and takes nothing; the refusal is stored, so a replay answers the same.
    Each producer concerned gets a sync-log row (action "order")."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                order = ChannelOrder.objects.create(
                    channel=channel,
                    external_order_id=external_order_id,
                    payload=payload,
                    outcome=ChannelOrder.Outcome.ACCEPTED,
                )
        except IntegrityError:
            existing = ChannelOrder.objects.get(
                channel=channel, external_order_id=external_order_id
            )
            return ChannelOrderResult(existing, "duplicate")

        products = _resolve_skus(channel, [sku for sku, _quantity in lines])
        quantities: dict[int, int] = defaultdict(int)
        by_id: dict[int, Product] = {}
        unknown = [sku for sku, _quantity in lines if sku not in products]
        for sku, quantity in lines:
            if sku in products:
                product = products[sku]
                quantities[product.pk] += quantity
                by_id[product.pk] = product

        result, message = "accepted", ""
        if unknown:
            result = "unknown_sku"
            message = _("Unknown SKU: %(skus)s.") % {"skus": ", ".join(unknown[:10])}
        else:
            not_on_sale = [
                p
                for p in by_id.values()
                if p.status != Product.Status.PUBLISHED or not p.producer.is_verified
            ]
            if not_on_sale:
                result = "not_on_sale"
                message = _("Not on sale any more: %(names)s.") % {
                    "names": ", ".join(p.name for p in not_on_sale)
                }
        if result == "accepted":
            try:
                with transaction.atomic():
                    for product_id in sorted(quantities):
                        stock_take(product_id=product_id, quantity=quantities[product_id])
            except OutOfStock as error:
                result = "out_of_stock"
                message = _(
                    "Not enough stock of %(name)s: %(available)s left, %(wanted)s ordered."
                ) % {
                    "name": by_id[error.product_id].name,
                    "available": error.available,
                    "wanted": quantities[error.product_id],
                }
        if result == "accepted":
            message = _("Order %(number)s: stock taken for %(count)s products.") % {
                "number": external_order_id,
                "count": len(quantities),
            }
        else:
            order.outcome = ChannelOrder.Outcome.REFUSED
        order.message = message[:MESSAGE_MAX]
        order.save(update_fields=["outcome", "message"])

        outcome = Outcome.SUCCESS if result == "accepted" else Outcome.REFUSED
        http_status = ORDER_HTTP_STATUS[result]
        producers: dict[int | None, list[int]] = defaultdict(list)
        for product in by_id.values():
            producers[product.producer_id].append(product.pk)
        for producer_id, product_ids in producers.items() or [(None, [])]:
            ChannelSyncLog.objects.create(
                channel=channel,
                producer_id=producer_id,
                product_id=product_ids[0] if len(product_ids) == 1 else None,
                action=Action.ORDER,
                idempotency_key=external_order_id[:100],
                outcome=outcome,
                http_status=http_status,
                message=order.message,
            )
        if result == "accepted":
            for product_id in sorted(quantities):
                channel_listings_product_changed(product_id=product_id)
    return ChannelOrderResult(order, result)
