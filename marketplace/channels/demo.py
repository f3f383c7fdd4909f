"""Demo shop channels for `seed_demo`: Voso and Postmart from their presets, and listings of a
few products of the first demo producer, so product pages show "Also on Voso / Postmart".

The listing addresses are illustrative (no such pages were checked on the shops). A second run
creates nothing and keeps whatever was edited in the admin or in "My shop".
"""

from django.db import transaction

from ..models import Channel, ChannelListing, Producer, Product
from ..services.channels import channel_listing_record
from .presets import CHANNEL_PRESETS, channel_preset_values

# (channel slug, how many products, listing address pattern, SKU prefix)
DEMO_LISTINGS = [
    ("voso", 3, "https://voso.vn/san-pham/{slug}", "VS"),
    ("postmart", 2, "https://postmart.vn/san-pham/{slug}", "PM"),
]


@transaction.atomic
def channels_demo_seed() -> dict[str, int]:
    """Creates the preset channels and a few listings. Returns what was created."""
    created = {"channels": 0, "listings": 0}
    channels = {}
    for slug, preset in CHANNEL_PRESETS.items():
        channel = Channel.objects.filter(slug=slug).first()
        if channel is None:
            channel = Channel(slug=slug, **channel_preset_values(preset))
            channel.full_clean()
            channel.save()
            created["channels"] += 1
        channels[slug] = channel

    producer = (
        Producer.objects.filter(
            status=Producer.Status.VERIFIED, products__status=Product.Status.PUBLISHED
        )
        .order_by("pk")
        .first()
    )
    if producer is None:
        return created
    products = list(
        Product.objects.filter(producer=producer, status=Product.Status.PUBLISHED).order_by("pk")
    )
    for slug, count, url_pattern, prefix in DEMO_LISTINGS:
        channel = channels[slug]
        if not channel.active or channel.is_api:
            continue
        for product in products[:count]:
            if ChannelListing.objects.filter(channel=channel, product=product).exists():
                continue
            channel_listing_record(
                producer=producer,
                channel=channel,
                product_id=product.pk,
                external_sku=f"{prefix}-{product.pk:06d}",
                listing_url=url_pattern.format(slug=product.slug),
            )
            created["listings"] += 1
    return created
