"""Stripe webhooks: the only way a card order becomes paid, cancelled or refunded.

Each event is verified with `stripe.Webhook.construct_event` (Stripe-Signature header and
STRIPE_WEBHOOK_SECRET, 5 minutes' tolerance), then stored once by id inside the transaction that
holds the order's row lock, before anything changes: a replay (or a concurrent twin) finds the row
and changes nothing. Events about no order of ours are stored as ignored and answered 200, so that
Stripe does not retry them for days.

Handled: checkout.session.completed / async_payment_succeeded (paid when amount and currency are
the order's, flagged otherwise), checkout.session.expired / async_payment_failed (the order's
current session only: unpaid sub-orders are cancelled), charge.refunded (a full refund refunds
the paid sub-orders; a partial one is flagged for a person).
"""

import json
import logging
from dataclasses import dataclass

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Order, StripeEvent, SubOrder
from ..services.order_status import IllegalTransition, suborder_transition
from .bank_webhook import suborder_payment_flag_settle
from .stripe_api import CURRENCY

logger = logging.getLogger(__name__)

S = SubOrder.Status
E = StripeEvent.Outcome
F = SubOrder.PaymentFlag
PAID_STATUSES = {S.PAID, S.SHIPPING, S.DELIVERED, S.COMPLETED}
REFUNDABLE = {S.PAID, S.SHIPPING, S.DELIVERED}
SESSION_PAID = {"checkout.session.completed", "checkout.session.async_payment_succeeded"}
SESSION_FAILED = {"checkout.session.expired", "checkout.session.async_payment_failed"}
CHARGE_REFUNDED = "charge.refunded"


class StripeWebhookError(Exception):
    """A delivery refused as a whole (bad signature, malformed event, not configured): `status`
    is the HTTP answer, `message` is for people. Nothing was stored."""

    def __init__(self, status: int, message: str):
        super().__init__(status, message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class StripeEventResult:
    event: StripeEvent
    replay: bool


def stripe_webhook_receive(*, payload: bytes, sig_header: str | None) -> StripeEventResult:
    """Verifies a delivery and processes its event. Raises StripeWebhookError (503 without a
    webhook secret, 400 for a bad signature or a malformed event) having changed nothing."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise StripeWebhookError(503, _("Card payments are not set up on this site."))
    try:
        stripe.Webhook.construct_event(payload, sig_header, secret)
    except stripe.SignatureVerificationError:
        raise StripeWebhookError(400, _("The Stripe signature is not valid.")) from None
    except (ValueError, AttributeError, TypeError):
        # Not JSON, or JSON that is not an event object (a list, a string, …).
        raise StripeWebhookError(400, _("The event is not valid JSON.")) from None
    event = json.loads(payload)
    data = event.get("data") if isinstance(event, dict) else None
    obj = data.get("object") if isinstance(data, dict) else None
    if (
        obj is None
        or not isinstance(event.get("id"), str)
        or not event["id"]
        or not isinstance(event.get("type"), str)
        or not isinstance(obj, dict)
    ):
        raise StripeWebhookError(400, _("The event has no id, type or object."))
    return stripe_event_process(event=event)


def _order_id_for(event_type: str, obj: dict) -> int | None:
    orders = Order.objects.filter(payment_method=Order.PaymentMethod.STRIPE)
    metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    if event_type == CHARGE_REFUNDED:
        intent = obj.get("payment_intent")
        if isinstance(intent, str) and intent:
            found = orders.filter(stripe_payment_intent=intent).values_list("pk", flat=True)
            if found:
                return found[0]
    number = obj.get("client_reference_id") or metadata.get("order_number")
    if isinstance(number, str) and number:
        found = orders.filter(number=number).values_list("pk", flat=True)
        if found:
            return found[0]
    session_id = obj.get("id")
    if event_type != CHARGE_REFUNDED and isinstance(session_id, str) and session_id:
        found = orders.filter(stripe_session_id=session_id).values_list("pk", flat=True)
        if found:
            return found[0]
    return None


def stripe_event_process(*, event: dict) -> StripeEventResult:
    """Stores a verified event once and applies it to its order, in one transaction under the
    order's row lock (then its sub-orders', in id order). Idempotent by event id."""
    existing = StripeEvent.objects.filter(event_id=event["id"]).first()
    if existing is not None:
        return StripeEventResult(event=existing, replay=True)
    event_type = event["type"]
    obj = event["data"]["object"]
    order_id = _order_id_for(event_type, obj)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id) if order_id else None
        row = StripeEvent(
            event_id=event["id"][:255],
            type=event_type[:100],
            order=order,
            payload=event,
            outcome=E.PROCESSED,
        )
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            return StripeEventResult(
                event=StripeEvent.objects.get(event_id=row.event_id), replay=True
            )
        if order is None:
            outcome, note = E.IGNORED, _("No order of this site matches the event.")
            if event_type in SESSION_PAID | SESSION_FAILED | {CHARGE_REFUNDED}:
                logger.warning("Stripe event %s (%s): no matching order", row.event_id, event_type)
        elif event_type in SESSION_PAID:
            outcome, note = _session_paid(order=order, session=obj)
        elif event_type in SESSION_FAILED:
            outcome, note = _session_failed(order=order, session=obj, event_type=event_type)
        elif event_type == CHARGE_REFUNDED:
            outcome, note = _charge_refunded(order=order, charge=obj)
        else:
            outcome, note = E.IGNORED, _("This event type is not used.")
        row.outcome, row.note = outcome, note[:500]
        row.save(update_fields=["outcome", "note"])
    return StripeEventResult(event=row, replay=False)


def _locked_suborders(order: Order) -> list[SubOrder]:
    return list(SubOrder.objects.select_for_update().filter(order=order).order_by("pk"))


def _flag(suborder: SubOrder, flag: str, *, paid_amount: int | None = None) -> None:
    changes = {"payment_flag": flag, "updated_at": timezone.now()}
    if paid_amount is not None:
        changes["paid_amount"] = paid_amount
    SubOrder.objects.filter(pk=suborder.pk).update(**changes)


def _session_paid(*, order: Order, session: dict) -> tuple[str, str]:
    """A paid session pays the order's pending sub-orders, if Stripe took exactly the order's
    total in VND. Money for a sub-order cancelled meanwhile is flagged late; a second payment
    (another session) of paid sub-orders is flagged duplicate."""
    if session.get("payment_status") != "paid":
        return E.WAITING, _("The buyer has not finished paying yet.")
    amount = session.get("amount_total")
    currency = str(session.get("currency") or "").lower()
    intent = session.get("payment_intent") if isinstance(session.get("payment_intent"), str) else ""
    same_payment = bool(intent) and intent == order.stripe_payment_intent
    if intent and not order.stripe_payment_intent:
        order.stripe_payment_intent = intent
        order.save(update_fields=["stripe_payment_intent"])
    suborders = _locked_suborders(order)
    if currency != CURRENCY or not isinstance(amount, int) or amount != order.total:
        if currency != CURRENCY or not isinstance(amount, int):
            flag = F.MISMATCH
        else:
            flag = F.OVERPAID if amount > order.total else F.PARTIAL
        for suborder in suborders:
            if suborder.status == S.PENDING:
                _flag(suborder, flag)
        return E.FLAGGED, _(
            "Stripe took %(amount)s %(currency)s for an order of %(total)s VND: not marked paid."
        ) % {"amount": amount, "currency": currency.upper() or "?", "total": order.total}
    problems = []
    for suborder in suborders:
        if suborder.status == S.PENDING:
            suborder_transition(
                suborder_id=suborder.pk,
                to_status=S.PAID,
                role="gateway",
                note=_("Card payment received (Stripe)."),
            )
            SubOrder.objects.filter(pk=suborder.pk).update(paid_amount=suborder.subtotal)
        elif same_payment:
            continue
        elif suborder.status in PAID_STATUSES:
            _flag(suborder, F.DUPLICATE, paid_amount=suborder.paid_amount + suborder.subtotal)
            problems.append(_("%(number)s was already paid.") % {"number": suborder.number})
        else:
            _flag(suborder, F.LATE, paid_amount=suborder.paid_amount + suborder.subtotal)
            problems.append(
                _("%(number)s was paid after it ended “%(status)s”.")
                % {"number": suborder.number, "status": suborder.get_status_display()}
            )
    if problems:
        return E.FLAGGED, " ".join(problems)
    return E.PROCESSED, _("Order paid.")


def _session_failed(*, order: Order, session: dict, event_type: str) -> tuple[str, str]:
    """The order's current session expired or its delayed payment failed: its unpaid
    sub-orders are cancelled (C's `order_cancel_unpaid`, idempotent). An older session, replaced
    by the one the buyer is using now, changes nothing."""
    from ..services.orders import order_cancel_unpaid

    if session.get("id") != order.stripe_session_id:
        return E.IGNORED, _("An earlier payment session of this order.")
    if event_type == "checkout.session.expired":
        reason = _("The card payment was not completed in time.")
    else:
        reason = _("The card payment failed.")
    cancelled = order_cancel_unpaid(order_id=order.pk, role="gateway", reason=reason)
    return E.PROCESSED, _("%(count)s sub-orders cancelled.") % {"count": cancelled}


def _charge_refunded(*, order: Order, charge: dict) -> tuple[str, str]:
    """A full refund refunds the paid, shipping and delivered sub-orders through the state
    machine; a partial refund (which sub-order?) is only flagged for a person."""
    amount = charge.get("amount")
    refunded = charge.get("amount_refunded")
    full = charge.get("refunded") is True or (
        isinstance(amount, int) and isinstance(refunded, int) and refunded >= amount > 0
    )
    if not full:
        return E.FLAGGED, _("Partial refund of %(refunded)s VND: check which sub-order.") % {
            "refunded": refunded
        }
    problems = []
    for suborder in _locked_suborders(order):
        if suborder.status in REFUNDABLE:
            try:
                suborder_transition(
                    suborder_id=suborder.pk,
                    to_status=S.REFUNDED,
                    role="gateway",
                    note=_("Card payment refunded (Stripe)."),
                )
            except IllegalTransition as error:
                problems.append(f"{suborder.number}: {error.message}")
        elif suborder.status == S.COMPLETED:
            problems.append(
                _("%(number)s was completed before the refund.") % {"number": suborder.number}
            )
    if problems:
        return E.FLAGGED, " ".join(problems)
    return E.PROCESSED, _("Order refunded.")


def stripe_event_resolve(*, event_id: int, resolved: bool, by) -> StripeEvent:
    """Marks a flagged event sorted out (or reopens it). When nothing else about a sub-order of
    its order waits, the sub-order's payment flag is cleared."""
    with transaction.atomic():
        row = StripeEvent.objects.select_for_update().get(pk=event_id)
        row.resolved = resolved
        row.resolved_at = timezone.now() if resolved else None
        row.resolved_by = by if resolved and getattr(by, "is_authenticated", False) else None
        row.save(update_fields=["resolved", "resolved_at", "resolved_by"])
        if resolved and row.order_id:
            for suborder_id in SubOrder.objects.filter(order_id=row.order_id).values_list(
                "pk", flat=True
            ):
                suborder_payment_flag_settle(suborder_id=suborder_id)
    return row
