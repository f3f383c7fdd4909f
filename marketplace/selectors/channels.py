"""Reads of shop channels: the public "Also on …" links of a product, and what a producer's
"Sales channels" pages show (listings, the bulk-upload file's products, the sync log)."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from ..models import Channel, ChannelListing, ChannelSyncLog, Producer, Product

SHOWN_STATUSES = (
    ChannelListing.SyncStatus.MANUAL,
    ChannelListing.SyncStatus.SYNCED,
    ChannelListing.SyncStatus.PENDING,
    ChannelListing.SyncStatus.FAILED,
)


@dataclass(frozen=True)
class ChannelLink:
    channel_name: str
    channel_slug: str
    url: str


def product_channel_links(*, product: Product) -> list[ChannelLink]:
    """Where else the product is sold: listings with an address on active channels, in the
    channels' order. Delisted listings are not shown. One query."""
    listings = (
        ChannelListing.objects.filter(
            product_id=product.pk,
            channel__active=True,
            sync_status__in=SHOWN_STATUSES,
        )
        .exclude(listing_url="")
        .select_related("channel")
        .order_by("channel__position", "channel__name")
    )
    return [
        ChannelLink(listing.channel.name, listing.channel.slug, listing.listing_url)
        for listing in listings
    ]


def channels_active() -> QuerySet[Channel]:
    return Channel.objects.filter(active=True)


def channel_active_get(*, slug: str) -> Channel | None:
    return channels_active().filter(slug=slug).first()


@dataclass(frozen=True)
class ShopChannelSummary:
    channel: Channel
    listed: int
    failed: int
    products: int


def shop_channel_summaries(*, producer: Producer) -> list[ShopChannelSummary]:
    """Each active channel with how many of the producer's products are listed on it."""
    published = Product.objects.filter(producer=producer, status=Product.Status.PUBLISHED).count()
    channels = channels_active().annotate(
        listed=Count(
            "listings",
            filter=Q(listings__product__producer=producer)
            & ~Q(listings__sync_status=ChannelListing.SyncStatus.DELISTED)
            & ~Q(listings__listing_url=""),
        ),
        failed=Count(
            "listings",
            filter=Q(listings__product__producer=producer)
            & Q(listings__sync_status=ChannelListing.SyncStatus.FAILED),
        ),
    )
    return [
        ShopChannelSummary(channel, channel.listed, channel.failed, published)
        for channel in channels
    ]


@dataclass(frozen=True)
class ShopListingRow:
    product: Product
    listing: ChannelListing | None


def shop_channel_rows(*, producer: Producer, channel: Channel) -> list[ShopListingRow]:
    """The producer's published products, and any other of its products listed on the
    channel, each with its listing there (or None). Two queries."""
    products = list(
        Product.objects.filter(producer=producer)
        .filter(Q(status=Product.Status.PUBLISHED) | Q(channel_listings__channel=channel))
        .distinct()
        .order_by("name", "pk")
    )
    listings = {
        listing.product_id: listing
        for listing in ChannelListing.objects.filter(channel=channel, product__producer=producer)
    }
    return [ShopListingRow(product, listings.get(product.pk)) for product in products]


def shop_channel_product(*, producer: Producer, product_id: int) -> Product | None:
    """One of the producer's products (None for anyone else's: the view answers 404)."""
    return Product.objects.filter(producer=producer, pk=product_id).first()


def channel_listing_for(*, channel: Channel, product: Product) -> ChannelListing | None:
    return ChannelListing.objects.filter(channel=channel, product=product).first()


def shop_channel_sync_log(*, producer: Producer, channel: Channel) -> QuerySet[ChannelSyncLog]:
    """The producer's sync log on the channel, newest first."""
    return (
        ChannelSyncLog.objects.filter(channel=channel, producer=producer)
        .select_related("product")
        .order_by("-created_at", "-id")
    )


def channel_file_products(*, producer: Producer) -> QuerySet[Product]:
    """What the channel's bulk-upload file lists: the producer's published products, with
    everything a column may need in two extra queries (photos with their images)."""
    return (
        Product.objects.filter(producer=producer, status=Product.Status.PUBLISHED)
        .select_related("producer", "group", "subgroup", "province", "origin_commune")
        .prefetch_related("photos__image")
        .order_by("name", "pk")
    )
