"""Order emails: "order placed" to the buyer and each producer, and one email per status change
to the buyer and the producer's members, each worded for its reader.

Each email goes out once even when its task runs twice: the row that records it (the event's
`emailed_at`, the order's `buyer_emailed_at`, the sub-order's `producer_emailed_at`) is locked,
checked, and stamped in the transaction that sends. If sending fails the stamp rolls back and
the next run tries again. Emails are written in the site's language (Vietnamese).
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import Order, Producer, SubOrder, SubOrderEvent

logger = logging.getLogger(__name__)

S = SubOrder.Status
R = SubOrderEvent.Role


def _absolute(path: str) -> str:
    return settings.SITE_BASE_URL.rstrip("/") + path


def _producer_recipients(producer: Producer) -> list[str]:
    emails = list(
        producer.members.filter(user__is_active=True)
        .exclude(user__email="")
        .order_by("pk")
        .values_list("user__email", flat=True)
    )
    if producer.email:
        emails.append(producer.email)
    unique: dict[str, str] = {}
    for email in emails:
        unique.setdefault(email.lower(), email)
    return list(unique.values())


def _message(*, template: str, context: dict, subject: str, to: list[str], connection):
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"marketplace/emails/{template}.txt", context),
        to=to,
        connection=connection,
    )
    message.attach_alternative(
        render_to_string(f"marketplace/emails/{template}.html", context), "text/html"
    )
    return message


# --- Status changes -----------------------------------------------------------------------


def _buyer_text(*, event: SubOrderEvent, suborder: SubOrder) -> tuple[str, str]:
    """(subject, what happened) for the buyer."""
    number, producer = suborder.number, suborder.producer.name
    to = event.to_status
    if to == S.CONFIRMED:
        return (
            _("Order %(number)s confirmed") % {"number": number},
            _(
                "%(producer)s has confirmed your order and is preparing it. "
                "You pay the courier when it arrives."
            )
            % {"producer": producer},
        )
    if to == S.PAID:
        return (
            _("Payment received for order %(number)s") % {"number": number},
            _("%(producer)s has received your payment and is preparing your order.")
            % {"producer": producer},
        )
    if to == S.SHIPPING:
        return (
            _("Order %(number)s is on its way") % {"number": number},
            _("%(producer)s has handed your order to the carrier.") % {"producer": producer},
        )
    if to == S.DELIVERED:
        return (
            _("Order %(number)s delivered") % {"number": number},
            _(
                "Your order from %(producer)s has been delivered. "
                "If everything is right, confirm it on the order page."
            )
            % {"producer": producer},
        )
    if to == S.COMPLETED:
        return (
            _("Order %(number)s completed") % {"number": number},
            _("Thank you for buying OCOP products from %(producer)s.") % {"producer": producer},
        )
    if to == S.REFUNDED:
        return (
            _("Order %(number)s refunded") % {"number": number},
            _("Your payment for this order from %(producer)s has been refunded.")
            % {"producer": producer},
        )
    # Cancelled: say who cancelled it.
    subject = _("Order %(number)s cancelled") % {"number": number}
    if event.role == R.SYSTEM:
        text = _("It was not paid in time, so it was cancelled.")
    elif event.role == R.BUYER:
        text = _("You cancelled this order.")
    elif event.role == R.GATEWAY:
        text = _("The card payment was not completed, so the order was cancelled.")
    else:
        text = _("%(producer)s cancelled this order.") % {"producer": producer}
    return subject, text


def _producer_text(*, event: SubOrderEvent, suborder: SubOrder) -> tuple[str, str]:
    """(subject, what happened and what to do next) for the producer's members."""
    number = suborder.number
    to = event.to_status
    if to == S.CONFIRMED:
        return (
            _("Sub-order %(number)s confirmed") % {"number": number},
            _("Pack the order and hand it to the carrier; the buyer pays on delivery."),
        )
    if to == S.PAID:
        return (
            _("Sub-order %(number)s paid") % {"number": number},
            _("The payment has arrived. Pack the order and hand it to the carrier."),
        )
    if to == S.SHIPPING:
        return (
            _("Sub-order %(number)s shipped") % {"number": number},
            _("The order is with the carrier. Mark it delivered when it arrives."),
        )
    if to == S.DELIVERED:
        return (
            _("Sub-order %(number)s delivered") % {"number": number},
            _("The order has been delivered."),
        )
    if to == S.COMPLETED:
        return (
            _("Sub-order %(number)s completed") % {"number": number},
            _("The buyer confirmed that everything arrived."),
        )
    if to == S.REFUNDED:
        return (
            _("Sub-order %(number)s refunded") % {"number": number},
            _("The payment for this sub-order was refunded to the buyer."),
        )
    subject = _("Sub-order %(number)s cancelled") % {"number": number}
    if event.role == R.SYSTEM:
        text = _("The buyer did not pay in time. The units are back in stock.")
    elif event.role == R.BUYER:
        text = _("The buyer cancelled the order. The units are back in stock.")
    elif event.role == R.GATEWAY:
        text = _("The card payment was not completed. The units are back in stock.")
    else:
        text = _("The sub-order was cancelled.")
    return subject, text


def suborder_event_email(*, event_id: int) -> int:
    """Emails the buyer and the producer's members (and the producer's own address) about one
    status change, once; returns how many messages were sent (0 when already sent)."""
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        event = SubOrderEvent.objects.select_for_update().filter(pk=event_id).first()
        if event is None or event.emailed_at is not None:
            return 0
        suborder = (
            SubOrder.objects.select_related("order", "order__buyer", "producer")
            .prefetch_related("lines")
            .get(pk=event.suborder_id)
        )
        order = suborder.order
        context = {
            "event": event,
            "suborder": suborder,
            "order": order,
            "status_label": S(event.to_status).label,
        }
        messages = []
        with get_connection() as connection:
            if order.buyer.email:
                subject, text = _buyer_text(event=event, suborder=suborder)
                messages.append(
                    _message(
                        template="order_status_buyer",
                        context={
                            **context,
                            "text": text,
                            "url": _absolute(
                                reverse("marketplace:order_detail", args=[order.number])
                            ),
                        },
                        subject=subject,
                        to=[order.buyer.email],
                        connection=connection,
                    )
                )
            producer_to = _producer_recipients(suborder.producer)
            if producer_to:
                subject, text = _producer_text(event=event, suborder=suborder)
                messages.append(
                    _message(
                        template="order_status_producer",
                        context={
                            **context,
                            "text": text,
                            "url": _absolute(
                                reverse("marketplace:shop_suborder", args=[suborder.number])
                            ),
                        },
                        subject=subject,
                        to=producer_to,
                        connection=connection,
                    )
                )
            for message in messages:
                message.send()
        event.emailed_at = timezone.now()
        event.save(update_fields=["emailed_at"])
    return len(messages)


# --- Order placed -------------------------------------------------------------------------


def _vietqr_details(suborder: SubOrder) -> dict:
    """Bank, account and transfer message for one sub-order (the bank's name when the VietQR
    module can tell it)."""
    producer = suborder.producer
    details = {
        "bank_name": producer.bank_bin,
        "account_number": producer.bank_account_number,
        "account_name": producer.bank_account_name,
        "amount": suborder.subtotal,
        "message": suborder.payment_reference,
    }
    try:
        from ..payments.vietqr import suborder_vietqr
    except ImportError:
        return details
    try:
        code = suborder_vietqr(suborder=suborder)
    except Exception:  # noqa: BLE001 - the email still carries the account details
        logger.exception("VietQR details for sub-order %s failed", suborder.pk)
        return details
    details.update(
        bank_name=code.bank_name or details["bank_name"], message=code.message or details["message"]
    )
    return details


def order_placed_emails(*, order_id: int) -> int:
    """Sends the "order placed" emails once each: the buyer's (summary and how to pay) and one
    per sub-order to its producer (a new sub-order to handle). Returns how many were sent."""
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        with transaction.atomic():
            order = Order.objects.select_for_update().filter(pk=order_id).first()
            if order is None:
                return 0
            if order.buyer_emailed_at is None:
                sent += _send_buyer_placed(order=order)
                order.buyer_emailed_at = timezone.now()
                order.save(update_fields=["buyer_emailed_at"])
        suborder_ids = SubOrder.objects.filter(order_id=order_id, producer_emailed_at=None)
        for suborder_id in suborder_ids.order_by("pk").values_list("pk", flat=True):
            with transaction.atomic():
                suborder = SubOrder.objects.select_for_update().get(pk=suborder_id)
                if suborder.producer_emailed_at is not None:
                    continue
                sent += _send_producer_placed(suborder_id=suborder_id)
                suborder.producer_emailed_at = timezone.now()
                suborder.save(update_fields=["producer_emailed_at"])
    return sent


def _send_buyer_placed(*, order: Order) -> int:
    buyer = order.buyer
    if not buyer.email:
        return 0
    suborders = list(
        order.suborders.select_related("producer").prefetch_related("lines").order_by("number")
    )
    if order.payment_method == Order.PaymentMethod.VIETQR:
        for suborder in suborders:
            suborder.vietqr = _vietqr_details(suborder)
    context = {
        "order": order,
        "suborders": suborders,
        "url": _absolute(reverse("marketplace:order_detail", args=[order.number])),
    }
    with get_connection() as connection:
        _message(
            template="order_placed_buyer",
            context=context,
            subject=_("Order %(number)s received") % {"number": order.number},
            to=[buyer.email],
            connection=connection,
        ).send()
    return 1


def _send_producer_placed(*, suborder_id: int) -> int:
    suborder = (
        SubOrder.objects.select_related("order", "order__province", "order__commune", "producer")
        .prefetch_related("lines")
        .get(pk=suborder_id)
    )
    to = _producer_recipients(suborder.producer)
    if not to:
        return 0
    context = {
        "order": suborder.order,
        "suborder": suborder,
        "url": _absolute(reverse("marketplace:shop_suborder", args=[suborder.number])),
    }
    with get_connection() as connection:
        _message(
            template="order_placed_producer",
            context=context,
            subject=_("New order %(number)s") % {"number": suborder.number},
            to=to,
            connection=connection,
        ).send()
    return 1
