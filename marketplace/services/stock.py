"""Stock moves. Units are taken with one conditional UPDATE per product (`stock >= quantity`), so
concurrent checkouts can never sell more than there is: on PostgreSQL the second UPDATE waits for
the first's row lock and re-checks the condition; SQLite serialises writers."""

from django.db.models import F
from django.utils import timezone

from ..models import Product, SubOrder
from ..signals import products_changed
from .catalogue_cache import catalogue_changed


class OutOfStock(Exception):
    """Not enough units of `product_id`; `available` is what was left at that moment."""

    def __init__(self, product_id: int, available: int):
        super().__init__(product_id, available)
        self.product_id = product_id
        self.available = available


def stock_take(*, product_id: int, quantity: int) -> None:
    """Takes `quantity` units of a published product, or raises OutOfStock having taken none.
    Call inside the checkout's transaction: a later failure rolls the take back."""
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    taken = Product.objects.filter(
        pk=product_id, status=Product.Status.PUBLISHED, stock__gte=quantity
    ).update(stock=F("stock") - quantity, sold_count=F("sold_count") + quantity)
    if taken != 1:
        available = (
            Product.objects.filter(pk=product_id, status=Product.Status.PUBLISHED)
            .values_list("stock", flat=True)
            .first()
        )
        raise OutOfStock(product_id, available or 0)
    catalogue_changed()  # the in-stock count may move
    products_changed.send(sender=Product, product_ids=[product_id])


def suborder_stock_release(*, suborder: SubOrder) -> bool:
    """Gives a sub-order's units back, once (the caller holds the sub-order's row lock).
    Returns False when they were already given back."""
    if suborder.stock_released_at is not None:
        return False
    lines = list(suborder.lines.filter(product__isnull=False).values_list("product_id", "quantity"))
    for product_id, quantity in lines:
        Product.objects.filter(pk=product_id).update(
            stock=F("stock") + quantity, sold_count=F("sold_count") - quantity
        )
    suborder.stock_released_at = timezone.now()
    suborder.save(update_fields=["stock_released_at"])
    catalogue_changed()
    products_changed.send(sender=Product, product_ids=[pid for pid, _ in lines])
    return True
