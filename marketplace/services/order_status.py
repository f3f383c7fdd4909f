"""The sub-order state machine: every status change goes through `suborder_transition`.

pending → confirmed (COD accepted) | paid (transfer or card received) → shipping → delivered →
completed; pending/confirmed → cancelled; paid/shipping/delivered → refunded; shipping → cancelled
only for COD (the parcel came back unpaid). Anything else is refused with `IllegalTransition`.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Order, SubOrder, SubOrderEvent

S = SubOrder.Status
R = SubOrderEvent.Role

# (from, to) -> roles that may make the move. Producers act on their own sub-orders, buyers on
# theirs, gateways report payments, the system expires unpaid orders, moderators settle disputes.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (S.PENDING, S.CONFIRMED): frozenset({R.PRODUCER, R.MODERATOR}),
    (S.PENDING, S.PAID): frozenset({R.PRODUCER, R.GATEWAY, R.MODERATOR}),
    (S.PENDING, S.CANCELLED): frozenset({R.BUYER, R.PRODUCER, R.SYSTEM, R.GATEWAY, R.MODERATOR}),
    (S.CONFIRMED, S.SHIPPING): frozenset({R.PRODUCER, R.MODERATOR}),
    (S.CONFIRMED, S.CANCELLED): frozenset({R.BUYER, R.PRODUCER, R.MODERATOR}),
    (S.PAID, S.SHIPPING): frozenset({R.PRODUCER, R.MODERATOR}),
    (S.PAID, S.REFUNDED): frozenset({R.PRODUCER, R.GATEWAY, R.MODERATOR}),
    (S.SHIPPING, S.DELIVERED): frozenset({R.PRODUCER, R.BUYER, R.MODERATOR}),
    (S.SHIPPING, S.CANCELLED): frozenset({R.PRODUCER, R.MODERATOR}),
    (S.SHIPPING, S.REFUNDED): frozenset({R.GATEWAY, R.MODERATOR}),
    (S.DELIVERED, S.COMPLETED): frozenset({R.BUYER, R.SYSTEM, R.MODERATOR}),
    (S.DELIVERED, S.REFUNDED): frozenset({R.PRODUCER, R.GATEWAY, R.MODERATOR}),
}

# Statuses whose units go back on sale when a sub-order ends there before delivery.
STOCK_RETURNING = {S.CANCELLED, S.REFUNDED}
FINAL = {S.COMPLETED, S.CANCELLED, S.REFUNDED}


class IllegalTransition(Exception):
    """A status change the state machine does not allow; `message` is for people (Vietnamese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class TransitionResult:
    suborder: SubOrder
    event: SubOrderEvent


def suborder_allowed_moves(*, suborder: SubOrder, role: str) -> list[str]:
    """The statuses `role` may move this sub-order to now (for buttons; the service re-checks)."""
    moves = [
        to for (frm, to), roles in TRANSITIONS.items() if frm == suborder.status and role in roles
    ]
    if suborder.order.payment_method != Order.PaymentMethod.COD:
        moves = [to for to in moves if not (suborder.status == S.SHIPPING and to == S.CANCELLED)]
        # Transfers and cards move from pending to paid: "confirmed" is COD's own step.
        moves = [to for to in moves if to != S.CONFIRMED]
    else:
        moves = [to for to in moves if to != S.REFUNDED]
    if suborder.order.payment_method == Order.PaymentMethod.COD:
        # COD is paid to the courier on delivery, not before: pending moves to confirmed.
        moves = [to for to in moves if to != S.PAID]
    return moves


def suborder_transition(
    *,
    suborder_id: int,
    to_status: str,
    role: str,
    actor=None,
    note: str = "",
) -> TransitionResult:
    """Moves one sub-order to `to_status` under a row lock, records the event, gives stock back
    when it ends cancelled/refunded before delivery, and queues the buyer's and producer's emails
    after commit. Raises IllegalTransition (nothing changed) when the move is not allowed for
    `role` from the current status."""
    from .stock import suborder_stock_release

    with transaction.atomic():
        suborder = SubOrder.objects.select_for_update().select_related("order").get(pk=suborder_id)
        current = suborder.status
        if to_status not in suborder_allowed_moves(suborder=suborder, role=role):
            raise IllegalTransition(
                _("An order that is “%(current)s” cannot become “%(target)s”.")
                % {"current": S(current).label, "target": S(to_status).label}
                if to_status in S.values
                else _("Unknown order status.")
            )
        now = timezone.now()
        suborder.status = to_status
        fields = ["status", "updated_at"]
        if to_status == S.PAID and suborder.paid_at is None:
            suborder.paid_at = now
            fields.append("paid_at")
        if to_status == S.CANCELLED and note:
            suborder.cancel_reason = note[:500]
            fields.append("cancel_reason")
        suborder.save(update_fields=fields)
        event = SubOrderEvent.objects.create(
            suborder=suborder,
            from_status=current,
            to_status=to_status,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            role=role,
            note=note[:500],
        )
        if to_status in STOCK_RETURNING and current not in (S.DELIVERED,):
            suborder_stock_release(suborder=suborder)
        transaction.on_commit(lambda: _notify(event.pk))
    return TransitionResult(suborder=suborder, event=event)


def _notify(event_id: int) -> None:
    from ..tasks import suborder_event_email_task

    suborder_event_email_task.delay(event_id)
