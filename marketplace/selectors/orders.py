"""Reads for the order pages: a buyer's orders, a producer's sub-orders, each with what its page
shows in a fixed number of queries. Nobody sees another's: the filters are the access rule."""

from django.db.models import Count, Prefetch, QuerySet

from ..models import Order, OrderLine, SubOrder, SubOrderEvent

S = SubOrder.Status


def _suborders_with_details() -> QuerySet[SubOrder]:
    return SubOrder.objects.select_related("producer").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("id")),
        Prefetch("events", queryset=SubOrderEvent.objects.order_by("created_at", "id")),
    )


def orders_for_buyer(*, user) -> QuerySet[Order]:
    """The buyer's orders, newest first, with their sub-orders and producers."""
    return (
        Order.objects.filter(buyer=user)
        .prefetch_related(
            Prefetch(
                "suborders", queryset=SubOrder.objects.select_related("producer").order_by("number")
            )
        )
        .order_by("-created_at", "-id")
    )


def order_for_buyer(*, user, number: str) -> Order | None:
    """One of the buyer's orders with sub-orders, lines and history; None for anyone else's."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Order.objects.filter(buyer=user, number=number)
        .select_related("province", "commune")
        .prefetch_related(
            Prefetch("suborders", queryset=_suborders_with_details().order_by("number"))
        )
        .first()
    )


def suborders_for_producer(*, producer, status: str | None = None) -> QuerySet[SubOrder]:
    """The producer's sub-orders, newest first, optionally of one status."""
    suborders = (
        SubOrder.objects.filter(producer=producer)
        .select_related("order")
        .annotate(line_count=Count("lines"))
        .order_by("-created_at", "-id")
    )
    if status:
        suborders = suborders.filter(status=status)
    return suborders


def suborder_status_counts(*, producer) -> dict[str, int]:
    """How many of the producer's sub-orders are in each status (every status, zeros too)."""
    counts = dict.fromkeys(S.values, 0)
    rows = (
        SubOrder.objects.filter(producer=producer)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    counts.update(dict(rows))
    return counts


def suborder_for_producer(*, producer, number: str) -> SubOrder | None:
    """One of the producer's sub-orders with lines, history and its order's delivery details;
    None for another producer's sub-order."""
    return (
        _suborders_with_details()
        .select_related("order", "order__buyer", "order__province", "order__commune")
        .filter(producer=producer, number=number)
        .first()
    )
