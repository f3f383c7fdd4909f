"""Stripe Checkout, the optional card gateway: the one module that calls Stripe's API.

Amounts are VND, a zero-decimal currency for Stripe: `unit_amount=150000` is ₫150.000, the
integer we store. The order is marked paid only by the signed webhook (stripe_webhooks.py),
never by the buyer coming back to the success page.

Settings: STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET (both needed to offer card payment);
optional STRIPE_API_BASE (another address for the API, e.g. a local test server),
STRIPE_API_TIMEOUT_SECONDS (default 20) and STRIPE_MAX_NETWORK_RETRIES (default 2; retries
are safe because every create carries an idempotency key).
"""

import datetime
import logging

import stripe
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ..models import Order, SubOrder

logger = logging.getLogger(__name__)

CURRENCY = "vnd"
# Stripe accepts `expires_at` from 30 minutes to 24 hours after the session is created; keep a
# margin on both sides for the time the request takes.
SESSION_MIN_LIFETIME = datetime.timedelta(minutes=31)
SESSION_MAX_LIFETIME = datetime.timedelta(hours=23, minutes=55)


class PaymentUnavailable(Exception):
    """Card payment cannot start now; `message` is for people (Vietnamese). The order is as it
    was: the caller may let the buyer try again or cancel it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def stripe_enabled() -> bool:
    """Card payment is offered only with both the API key and the webhook secret: without the
    webhook no payment could ever be confirmed."""
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)


def stripe_client() -> stripe.StripeClient:
    base = getattr(settings, "STRIPE_API_BASE", "")
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": base} if base else None,
        max_network_retries=getattr(settings, "STRIPE_MAX_NETWORK_RETRIES", 2),
        http_client=stripe.RequestsClient(
            timeout=getattr(settings, "STRIPE_API_TIMEOUT_SECONDS", 20)
        ),
    )


def session_expires_at(*, payment_due_at: datetime.datetime, now: datetime.datetime) -> int:
    """`payment_due_at` as a Unix time, brought within Stripe's 30 minutes – 24 hours."""
    due = max(payment_due_at, now + SESSION_MIN_LIFETIME)
    due = min(due, now + SESSION_MAX_LIFETIME)
    return int(due.timestamp())


def _line_items(order: Order) -> list[dict]:
    items = []
    total = 0
    for suborder in sorted(order.suborders.all(), key=lambda suborder: suborder.pk):
        for line in suborder.lines.all():
            total += line.line_total
            items.append(
                {
                    "quantity": line.quantity,
                    "price_data": {
                        "currency": CURRENCY,
                        "unit_amount": line.unit_price,
                        "product_data": {"name": f"{line.product_name} ({line.unit})"[:250]},
                    },
                }
            )
    if total < order.total:
        # Whatever the order adds to its lines (delivery, fees) is one more line, so that
        # Stripe's total is exactly the order's.
        items.append(
            {
                "quantity": 1,
                "price_data": {
                    "currency": CURRENCY,
                    "unit_amount": order.total - total,
                    "product_data": {"name": _("Delivery and other charges")},
                },
            }
        )
    elif total > order.total:
        raise PaymentUnavailable(_("This order's amount cannot be paid by card."))
    return items


def stripe_checkout_start(*, order_id: int, base_url: str) -> str:
    """Starts (or resumes) the Stripe Checkout Session of an unpaid card order and returns its
    URL, where the buyer is sent.

    One line item per order line (VND, quantity), `client_reference_id` and metadata carry the
    order number, the session expires with the order (`payment_due_at`, moved later when
    Stripe's 30-minute minimum requires it) and its id is stored on the order. A session still
    open is reused; a new one is created with an idempotency key derived from the order, so a
    retried request cannot make two. Raises PaymentUnavailable (nothing changed) when Stripe
    is not configured or answers with an error, or the order cannot be paid by card now."""
    if not stripe_enabled():
        raise PaymentUnavailable(_("Card payment is not available on this site."))
    order = (
        Order.objects.select_related("buyer")
        .prefetch_related("suborders__lines")
        .filter(pk=order_id)
        .first()
    )
    if order is None or order.payment_method != Order.PaymentMethod.STRIPE:
        raise PaymentUnavailable(_("This order is not paid by card."))
    suborders = list(order.suborders.all())
    if not suborders or any(s.status != SubOrder.Status.PENDING for s in suborders):
        raise PaymentUnavailable(_("This order is no longer waiting for payment."))
    now = timezone.now()
    if order.payment_due_at is None or order.payment_due_at <= now:
        raise PaymentUnavailable(_("The time to pay this order has run out."))
    client = stripe_client()
    try:
        if order.stripe_session_id:
            session = _session_if_open(client, order.stripe_session_id)
            if session is not None:
                return session["url"]
        expires_at = session_expires_at(payment_due_at=order.payment_due_at, now=now)
        params = {
            "mode": "payment",
            "line_items": _line_items(order),
            "client_reference_id": order.number,
            "metadata": {"order_number": order.number},
            "payment_intent_data": {"metadata": {"order_number": order.number}},
            "expires_at": expires_at,
            "locale": "vi",
            "success_url": _return_url(base_url, "marketplace:stripe_return", order.number),
            "cancel_url": _return_url(base_url, "marketplace:stripe_cancel", order.number),
        }
        if order.buyer.email:
            params["customer_email"] = order.buyer.email
        session = client.v1.checkout.sessions.create(
            params=params,
            options={"idempotency_key": f"checkout-{order.number}-{expires_at}"},
        ).to_dict()
    except stripe.StripeError as error:
        logger.warning("Stripe Checkout for order %s failed: %s", order.number, error)
        raise PaymentUnavailable(
            _(
                "Card payment is not available right now. Please try again in a few minutes "
                "or choose another payment method."
            )
        ) from error
    _session_store(
        order_id=order.pk,
        session_id=session["id"],
        expires_at=datetime.datetime.fromtimestamp(expires_at, tz=datetime.UTC),
    )
    return session["url"]


def _session_if_open(client: stripe.StripeClient, session_id: str) -> dict | None:
    """The stored session if the buyer can still pay it; None when it is over or Stripe does
    not know it (keys changed from test to live mode). Other errors propagate."""
    try:
        session = client.v1.checkout.sessions.retrieve(session_id).to_dict()
    except stripe.InvalidRequestError:
        return None
    if session.get("status") == "open" and session.get("url"):
        return session
    return None


def _return_url(base_url: str, name: str, number: str) -> str:
    # Stripe replaces {CHECKOUT_SESSION_ID} itself: the braces must reach it unescaped.
    query = urlencode({"order": number})
    return f"{base_url.rstrip('/')}{reverse(name)}?{query}&session_id={{CHECKOUT_SESSION_ID}}"


def _session_store(*, order_id: int, session_id: str, expires_at: datetime.datetime) -> None:
    """Remembers the session; an order kept shorter than its session is kept as long (a buyer
    paying at the last minute must not find the order already cancelled)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        order.stripe_session_id = session_id
        fields = ["stripe_session_id"]
        if order.payment_due_at is None or order.payment_due_at < expires_at:
            order.payment_due_at = expires_at
            fields.append("payment_due_at")
        order.save(update_fields=fields)
