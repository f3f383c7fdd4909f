"""Orders after checkout: what buyers and producers may do with their sub-orders, and the
cancellation of transfer and card orders left unpaid past `payment_due_at`.

Every status change goes through `order_status.suborder_transition` (row lock, event, stock
given back once, emails after commit). The functions here add who may act on which sub-order
and the details a move needs (amount received, carrier and tracking number, reason). The reads
the order pages need sit at the end of this module.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import Order, SubOrder, SubOrderEvent
from .order_status import (
    IllegalTransition,
    TransitionResult,
    suborder_allowed_moves,
    suborder_transition,
)

S = SubOrder.Status
R = SubOrderEvent.Role
M = Order.PaymentMethod

CARRIER_MAX_LENGTH = 100
REASON_MAX_LENGTH = 500


class OrderActionError(Exception):
    """An action refused before any status change (wrong amount, missing carrier or reason);
    `message` is for people. Nothing was changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Unpaid orders ------------------------------------------------------------------------


def order_cancel_unpaid(*, order_id: int, role: str, reason: str, actor=None) -> int:
    """Cancels the order's sub-orders that are still pending (unpaid), giving their units back,
    and returns how many it cancelled. Idempotent: paid, confirmed or already cancelled
    sub-orders are left as they are, so a second call cancels nothing. Each sub-order is locked
    by `suborder_transition`; one paid meanwhile is skipped."""
    cancelled = 0
    with transaction.atomic():
        pending = (
            SubOrder.objects.filter(order_id=order_id, status=S.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for suborder_id in list(pending):
            try:
                suborder_transition(
                    suborder_id=suborder_id,
                    to_status=S.CANCELLED,
                    role=role,
                    actor=actor,
                    note=reason,
                )
            except IllegalTransition:
                continue  # paid (or cancelled) between our read and its lock
            cancelled += 1
    return cancelled


def _expiry_reason() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Not paid in time: the order was cancelled and the products are back on sale.")


def order_expire(*, order_id: int, now=None) -> int:
    """Cancels the order's pending sub-orders if its payment time is over; otherwise does
    nothing (a task that runs early or twice is harmless). Returns how many were cancelled."""
    now = now or timezone.now()
    due = Order.objects.filter(pk=order_id).values_list("payment_due_at", flat=True).first()
    if due is None or due > now:
        return 0
    return order_cancel_unpaid(order_id=order_id, role=R.SYSTEM, reason=_expiry_reason())


def orders_expire_unpaid(*, now=None) -> int:
    """Cancels, as the system, every pending sub-order of the transfer and card orders whose
    `payment_due_at` has passed, and gives their stock back. Idempotent; returns how many
    sub-orders it cancelled. The safety net for expiry tasks that were lost."""
    now = now or timezone.now()
    order_ids = (
        Order.objects.filter(payment_due_at__lte=now, suborders__status=S.PENDING)
        .exclude(payment_method=M.COD)
        .values_list("pk", flat=True)
        .distinct()
    )
    reason = _expiry_reason()
    return sum(
        order_cancel_unpaid(order_id=order_id, role=R.SYSTEM, reason=reason)
        for order_id in sorted(order_ids)
    )


# --- Buyer actions ------------------------------------------------------------------------


def _buyer_suborder(*, user, suborder_id: int) -> SubOrder:
    """The buyer's own sub-order; SubOrder.DoesNotExist for anyone else's."""
    return SubOrder.objects.select_related("order").get(pk=suborder_id, order__buyer=user)


def suborder_buyer_cancel(*, suborder_id: int, user, reason: str = "") -> TransitionResult:
    """The buyer cancels one of their sub-orders while it is pending or confirmed (not yet
    shipped); its units go back on sale. Raises SubOrder.DoesNotExist for another buyer's
    sub-order and IllegalTransition once it has moved on."""
    _buyer_suborder(user=user, suborder_id=suborder_id)
    note = reason.strip()[:REASON_MAX_LENGTH] or _("Cancelled by the buyer.")
    return suborder_transition(
        suborder_id=suborder_id, to_status=S.CANCELLED, role=R.BUYER, actor=user, note=note
    )


def suborder_buyer_received(*, suborder_id: int, user) -> TransitionResult:
    """The buyer confirms receipt: a sub-order on its way becomes delivered, a delivered one
    completed. Raises IllegalTransition in any other status."""
    suborder = _buyer_suborder(user=user, suborder_id=suborder_id)
    target = {S.SHIPPING: S.DELIVERED, S.DELIVERED: S.COMPLETED}.get(suborder.status)
    if target is None:
        raise IllegalTransition(
            _("Only an order on its way or delivered can be confirmed as received.")
        )
    return suborder_transition(suborder_id=suborder_id, to_status=target, role=R.BUYER, actor=user)


def suborder_buyer_actions(*, suborder: SubOrder) -> list[str]:
    """Buttons the buyer gets now: "cancel", "received" (on its way), "complete" (delivered)."""
    moves = suborder_allowed_moves(suborder=suborder, role=R.BUYER)
    actions = []
    if S.CANCELLED in moves:
        actions.append("cancel")
    if S.DELIVERED in moves:
        actions.append("received")
    if S.COMPLETED in moves:
        actions.append("complete")
    return actions


# --- Producer actions ---------------------------------------------------------------------


def _producer_suborder(*, producer, suborder_id: int) -> SubOrder:
    """The producer's own sub-order; SubOrder.DoesNotExist for another producer's."""
    return SubOrder.objects.select_related("order").get(pk=suborder_id, producer=producer)


def suborder_producer_actions(*, suborder: SubOrder) -> list[str]:
    """Forms the producer gets now, from the state machine and the payment method:
    "confirm" (COD), "mark_paid" (VietQR checked in their bank), "ship", "delivered",
    "cancel", "refund" (not for card payments, which the marketplace refunds through Stripe)."""
    moves = suborder_allowed_moves(suborder=suborder, role=R.PRODUCER)
    method = suborder.order.payment_method
    actions = []
    if S.CONFIRMED in moves:
        actions.append("confirm")
    if S.PAID in moves and method == M.VIETQR:
        actions.append("mark_paid")
    if S.SHIPPING in moves:
        actions.append("ship")
    if S.DELIVERED in moves:
        actions.append("delivered")
    if S.CANCELLED in moves:
        actions.append("cancel")
    if S.REFUNDED in moves and method != M.STRIPE:
        actions.append("refund")
    return actions


def suborder_producer_confirm(*, suborder_id: int, producer, actor) -> TransitionResult:
    """Accepts a cash-on-delivery sub-order (pending → confirmed)."""
    _producer_suborder(producer=producer, suborder_id=suborder_id)
    return suborder_transition(
        suborder_id=suborder_id, to_status=S.CONFIRMED, role=R.PRODUCER, actor=actor
    )


def suborder_producer_mark_paid(
    *, suborder_id: int, producer, actor, amount: int
) -> TransitionResult:
    """Marks a VietQR sub-order paid after the producer found the transfer in their bank.
    `amount` is what they received and must be exactly the amount due: a partial payment is
    never accepted silently. Raises OrderActionError (nothing changed) otherwise."""
    suborder = _producer_suborder(producer=producer, suborder_id=suborder_id)
    if suborder.order.payment_method != M.VIETQR:
        raise OrderActionError(
            _(
                "Only bank transfers are marked paid by hand; "
                "card payments are confirmed by the payment gateway."
            )
        )
    if amount != suborder.subtotal:
        from portal.core.money import format_vnd

        raise OrderActionError(
            _(
                "You entered %(amount)s but %(due)s is due. "
                "Mark the sub-order paid only when the full amount has arrived."
            )
            % {"amount": format_vnd(amount), "due": format_vnd(suborder.subtotal)}
        )
    with transaction.atomic():
        result = suborder_transition(
            suborder_id=suborder_id,
            to_status=S.PAID,
            role=R.PRODUCER,
            actor=actor,
            note=_("Transfer found in the producer's bank account."),
        )
        SubOrder.objects.filter(pk=suborder_id).update(paid_amount=amount)
        result.suborder.paid_amount = amount
    return result


def suborder_producer_ship(
    *, suborder_id: int, producer, actor, carrier: str, tracking_number: str = ""
) -> TransitionResult:
    """Hands a confirmed (COD) or paid sub-order to a carrier, recording carrier and tracking
    number. Raises OrderActionError without a carrier."""
    _producer_suborder(producer=producer, suborder_id=suborder_id)
    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    if not carrier:
        raise OrderActionError(_("Enter the carrier."))
    if len(carrier) > CARRIER_MAX_LENGTH or len(tracking_number) > CARRIER_MAX_LENGTH:
        raise OrderActionError(
            _("Carrier and tracking number have at most %(max)s characters.")
            % {"max": CARRIER_MAX_LENGTH}
        )
    with transaction.atomic():
        result = suborder_transition(
            suborder_id=suborder_id,
            to_status=S.SHIPPING,
            role=R.PRODUCER,
            actor=actor,
            note=f"{carrier} {tracking_number}".strip(),
        )
        SubOrder.objects.filter(pk=suborder_id).update(
            carrier=carrier, tracking_number=tracking_number
        )
        result.suborder.carrier, result.suborder.tracking_number = carrier, tracking_number
    return result


def suborder_producer_delivered(*, suborder_id: int, producer, actor) -> TransitionResult:
    """Records that the carrier delivered the parcel (shipping → delivered)."""
    _producer_suborder(producer=producer, suborder_id=suborder_id)
    return suborder_transition(
        suborder_id=suborder_id, to_status=S.DELIVERED, role=R.PRODUCER, actor=actor
    )


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise OrderActionError(_("Give the buyer a reason."))
    if len(reason) > REASON_MAX_LENGTH:
        raise OrderActionError(
            _("The reason has at most %(max)s characters.") % {"max": REASON_MAX_LENGTH}
        )
    return reason


def suborder_producer_cancel(*, suborder_id: int, producer, actor, reason: str) -> TransitionResult:
    """Cancels a sub-order (pending, confirmed, or a COD parcel that came back) with a reason
    for the buyer; its units go back on sale once."""
    reason = _reason(reason)
    _producer_suborder(producer=producer, suborder_id=suborder_id)
    return suborder_transition(
        suborder_id=suborder_id, to_status=S.CANCELLED, role=R.PRODUCER, actor=actor, note=reason
    )


def suborder_producer_refund(*, suborder_id: int, producer, actor, reason: str) -> TransitionResult:
    """Records that the producer paid a transfer back (paid or delivered → refunded); units of
    a sub-order not delivered go back on sale. Card payments are refunded through Stripe by
    the marketplace, not here."""
    reason = _reason(reason)
    suborder = _producer_suborder(producer=producer, suborder_id=suborder_id)
    if suborder.order.payment_method == M.STRIPE:
        raise OrderActionError(
            _(
                "Card payments are refunded by the marketplace through Stripe. "
                "Contact the marketplace moderators."
            )
        )
    return suborder_transition(
        suborder_id=suborder_id, to_status=S.REFUNDED, role=R.PRODUCER, actor=actor, note=reason
    )
