"""Reads of public products and producers: what anyone may see, and who may preview the rest."""

import io
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from ..models import Producer, ProducerMember, ProducerPhoto, Product, ProductPhoto

# Rendition specs the public pages use; prefetching exactly these keeps a page's query count flat.
CARD_RENDITION = "fill-480x480"
GALLERY_RENDITION = "max-960x960"
THUMB_RENDITION = "fill-160x160"
PRODUCER_RENDITION = "fill-960x540"


def products_public() -> QuerySet[Product]:
    """Products anyone may see: published, by a verified producer."""
    return Product.objects.filter(
        status=Product.Status.PUBLISHED, producer__status=Producer.Status.VERIFIED
    )


def producers_public() -> QuerySet[Producer]:
    """Producers anyone may see: verified ones."""
    return Producer.objects.filter(status=Producer.Status.VERIFIED)


def product_photos_prefetch(*specs: str) -> Prefetch:
    """Photos of each product in order, with their images and the renditions `specs` (stored as
    `product.photo_list`): one query for photos+images, one for renditions, whatever the count."""
    images = ProductPhoto.objects.select_related("image").order_by("position", "id")
    if specs:
        images = images.prefetch_related(
            Prefetch(
                "image__renditions",
                queryset=_renditions(specs),
                to_attr="prefetched_renditions",
            )
        )
    return Prefetch("photos", queryset=images, to_attr="photo_list")


def _renditions(specs):
    from wagtail.images import get_image_model

    return get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs)


def products_for_cards(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """What a product card shows (producer, province, photos with the card rendition)."""
    return queryset.select_related("producer", "province").prefetch_related(
        product_photos_prefetch(CARD_RENDITION)
    )


def _can_moderate(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.has_perm("marketplace.moderate_product")
    )


def _is_member(user, producer_id: int) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return ProducerMember.objects.filter(producer_id=producer_id, user=user).exists()


@dataclass(frozen=True)
class Viewing:
    """An object and whether the viewer sees it as a preview (not public yet)."""

    obj: object
    preview: bool


def product_for_viewer(*, slug: str, user, detail: bool = True) -> Viewing | None:
    """The product page's product: public products for anyone; any other status only for the
    producer's members and marketplace moderators (as a preview). None means 404. With
    `detail`, what the page shows comes along (classification, places, photos)."""
    products = Product.objects.select_related("producer")
    if detail:
        products = products.select_related(
            "producer__province",
            "producer__commune",
            "group",
            "subgroup",
            "province",
            "origin_commune",
            "origin_commune__province",
        ).prefetch_related(product_photos_prefetch(GALLERY_RENDITION, THUMB_RENDITION))
    product = products.filter(slug=slug).first()
    if product is None:
        return None
    if product.is_public and product.producer.is_verified:
        return Viewing(product, preview=False)
    if _can_moderate(user) or _is_member(user, product.producer_id):
        return Viewing(product, preview=True)
    return None


def product_certificate_expired(product: Product) -> bool:
    return product.certificate_expires_on < timezone.localdate()


def product_certification_labels(product: Product) -> list[str]:
    """Display names of the product's other certifications (unknown codes are skipped)."""
    labels = dict(Product.Certification.choices)
    return [str(labels[code]) for code in product.other_certifications or [] if code in labels]


def product_traceability_url(*, product: Product) -> str:
    """The absolute public address of the product page, in the site's language: what the
    traceability QR code encodes (printed on packaging, it must not depend on the viewer)."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("marketplace:product", kwargs={"slug": product.slug})
    return settings.SITE_BASE_URL.rstrip("/") + path


def qr_svg(payload: str, *, title: str = "") -> str:
    """A standalone SVG document of a QR code holding `payload` (error correction M survives
    print wear; a 4-module quiet zone as scanners expect)."""
    qr = segno.make(payload, error="m", micro=False)
    buffer = io.BytesIO()
    qr.save(
        buffer, kind="svg", scale=8, border=4, dark="#10213f", light="#ffffff", title=title or None
    )
    return buffer.getvalue().decode("utf-8")


def producer_for_viewer(*, slug: str, user) -> Viewing | None:
    """The producer page's producer: verified producers for anyone, any other status only for
    its members and marketplace moderators (as a preview). None means 404."""
    producer = (
        Producer.objects.select_related("province", "commune")
        .prefetch_related(
            Prefetch(
                "photos",
                queryset=ProducerPhoto.objects.select_related("image").prefetch_related(
                    Prefetch(
                        "image__renditions",
                        queryset=_renditions([PRODUCER_RENDITION]),
                        to_attr="prefetched_renditions",
                    )
                ),
                to_attr="photo_list",
            )
        )
        .filter(slug=slug)
        .first()
    )
    if producer is None:
        return None
    if producer.is_verified:
        return Viewing(producer, preview=False)
    if (
        getattr(user, "is_authenticated", False) and user.has_perm("marketplace.moderate_producer")
    ) or _is_member(user, producer.pk):
        return Viewing(producer, preview=True)
    return None


def producer_public_products(*, producer: Producer) -> QuerySet[Product]:
    """The producer's published products, newest first, ready for cards."""
    return products_for_cards(
        Product.objects.filter(producer=producer, status=Product.Status.PUBLISHED)
    ).order_by("-published_at", "-id")
