"""Reads of "My shop": a producer's products, its dashboard counts, and who may see a scan."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from ..models import Producer, ProducerMember, Product, ProductPhoto

MODERATE_PRODUCT = "marketplace.moderate_product"


def shop_products(*, producer: Producer, status: str | None = None) -> QuerySet[Product]:
    """The producer's products, newest edits first, with the cover photo and group loaded."""
    queryset = (
        Product.objects.filter(producer=producer)
        .select_related("subgroup", "group")
        .prefetch_related(Prefetch("photos", queryset=ProductPhoto.objects.select_related("image")))
        .order_by("-updated_at", "-pk")
    )
    if status in Product.Status.values:
        queryset = queryset.filter(status=status)
    return queryset


def shop_product(*, producer: Producer, pk: int) -> Product | None:
    """One product of the producer, or None (also for another producer's product)."""
    return shop_products(producer=producer).filter(pk=pk).first()


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class ShopDashboard:
    total: int
    by_status: list[StatusCount]
    expiring: list[Product]
    expired: list[Product]
    low_stock: list[Product]


def shop_dashboard(*, producer: Producer, today: datetime.date | None = None) -> ShopDashboard:
    """Counts per status (every status, zeros included), certificates ending within
    OCOP_EXPIRY_NOTICE_DAYS, and approved products whose certificate has already ended."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.OCOP_EXPIRY_NOTICE_DAYS)
    counts = dict(
        Product.objects.filter(producer=producer)
        .values_list("status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    by_status = [
        StatusCount(status=value, label=label, count=counts.get(value, 0))
        for value, label in Product.Status.choices
    ]
    live = Product.objects.filter(
        producer=producer,
        status__in=(
            Product.Status.APPROVED,
            Product.Status.PUBLISHED,
            Product.Status.UNPUBLISHED,
            Product.Status.SUBMITTED,
        ),
    ).order_by("certificate_expires_on", "name")
    expiring = list(
        live.filter(certificate_expires_on__gte=today, certificate_expires_on__lte=horizon)
    )
    expired = list(live.filter(certificate_expires_on__lt=today))
    low_stock = list(
        Product.objects.filter(
            producer=producer, status=Product.Status.PUBLISHED, stock__lte=5
        ).order_by("stock", "name")[:10]
    )
    return ShopDashboard(
        total=sum(counts.values()),
        by_status=by_status,
        expiring=expiring,
        expired=expired,
        low_stock=low_stock,
    )


def product_certificate_for_user(*, user, pk: int) -> Product | None:
    """The product whose scanned certificate `user` may open: a member of its producer (any of
    their producers, not only the one chosen in the session) or a product moderator."""
    if not getattr(user, "is_authenticated", False):
        return None
    product = Product.objects.select_related("producer").filter(pk=pk).first()
    if product is None or not product.certificate_file:
        return None
    if user.has_perm(MODERATE_PRODUCT):
        return product
    if ProducerMember.objects.filter(producer_id=product.producer_id, user=user).exists():
        return product
    return None


def producer_members(*, producer: Producer) -> QuerySet[ProducerMember]:
    return producer.members.select_related("user").order_by("role", "user__full_name", "pk")
