"""Reads of the payment pages: a buyer reaches only their own orders and sub-orders."""

from ..models import Order, SubOrder


def buyer_suborder(*, number: str, user) -> SubOrder | None:
    """The sub-order `number` if `user` bought it, with its order and producer; else None."""
    if not getattr(user, "is_authenticated", False) or not number:
        return None
    return (
        SubOrder.objects.select_related("order", "producer")
        .filter(number=number[:24], order__buyer=user)
        .first()
    )


def buyer_order(*, number: str, user) -> Order | None:
    """The order `number` if `user` placed it, with its sub-orders; else None."""
    if not getattr(user, "is_authenticated", False) or not number:
        return None
    return (
        Order.objects.prefetch_related("suborders").filter(number=number[:20], buyer=user).first()
    )


def order_payment_state(*, order: Order) -> str:
    """How a card order stands for its buyer: "paid" (every sub-order that is not cancelled is
    paid or further), "cancelled" (all cancelled), "refunded", or "waiting" (the webhook has
    not confirmed the payment yet)."""
    statuses = {suborder.status for suborder in order.suborders.all()}
    if not statuses or SubOrder.Status.PENDING in statuses:
        return "waiting"
    if statuses == {SubOrder.Status.CANCELLED}:
        return "cancelled"
    if statuses <= {SubOrder.Status.REFUNDED, SubOrder.Status.CANCELLED}:
        return "refunded"
    return "paid"
