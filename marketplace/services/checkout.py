"""Checkout: one order for the whole cart, split into one sub-order per producer.

Everything happens in one transaction: the order row (whose checkout token makes a second post
of the same form find the first order), the stock taken product by product in product-id order
(so that two carts holding the same products in opposite order cannot deadlock), the
sub-orders with their unguessable payment references, and the lines with the product's name,
unit and price frozen. A missing unit anywhere rolls all of it back.
"""

import datetime
import secrets
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.locations.models import Commune, Province

from ..models import Order, OrderLine, Producer, Product, SubOrder
from .cart import MAX_LINES, MAX_QUANTITY
from .stock import OutOfStock, stock_take

__all__ = [
    "CheckoutError",
    "DeliveryDetails",
    "OutOfStock",
    "checkout_payment_methods",
    "checkout_place_order",
    "stripe_available",
]

# Crockford's base32: no I, L, O, U, so a reference read aloud or retyped stays unambiguous.
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PAYMENT_REFERENCE_PREFIX = "CDS"


class CheckoutError(Exception):
    """The order cannot be placed as asked; `message` is for people. Nothing was changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class DeliveryDetails:
    recipient_name: str
    phone: str
    province: Province
    commune: Commune
    street_address: str
    note: str = ""


def stripe_available() -> bool:
    """Card payment is offered only when the Stripe module exists and is configured."""
    try:
        from ..payments.stripe_api import stripe_enabled
    except ImportError:
        return False
    return bool(stripe_enabled())


def checkout_payment_methods(*, producers) -> list[str]:
    """The payment methods an order from these producers can use: cash on delivery always;
    VietQR when every producer has a receiving bank account; card when Stripe is configured."""
    producers = list(producers)
    methods = [Order.PaymentMethod.COD.value]
    if producers and all(producer.accepts_vietqr for producer in producers):
        methods.append(Order.PaymentMethod.VIETQR.value)
    if stripe_available():
        methods.append(Order.PaymentMethod.STRIPE.value)
    return methods


def _random_code(length: int) -> str:
    return "".join(secrets.choice(CROCKFORD) for _ in range(length))


def _new_order_number() -> str:
    prefix = f"DH{timezone.localdate():%y%m%d}"
    while True:
        number = prefix + _random_code(6)
        if not Order.objects.filter(number=number).exists():
            return number


def _new_payment_reference() -> str:
    """ "CDS" + 8 random Crockford characters (40 bits): letters and digits only, because banks
    strip everything else from a transfer message, and not guessable from the order number."""
    while True:
        reference = PAYMENT_REFERENCE_PREFIX + _random_code(8)
        if not SubOrder.objects.filter(payment_reference=reference).exists():
            return reference


def _merge_lines(lines) -> dict[int, int]:
    merged: dict[int, int] = {}
    for product_id, quantity in lines:
        if not isinstance(product_id, int) or not isinstance(quantity, int) or quantity < 1:
            raise CheckoutError(_("Enter a whole number of units."))
        merged[product_id] = merged.get(product_id, 0) + quantity
    if not merged:
        raise CheckoutError(_("Your cart is empty."))
    if len(merged) > MAX_LINES:
        raise CheckoutError(
            _("A cart holds at most %(max)s different products.") % {"max": MAX_LINES}
        )
    if any(quantity > MAX_QUANTITY for quantity in merged.values()):
        raise CheckoutError(
            _("At most %(max)s units of one product per order.") % {"max": MAX_QUANTITY}
        )
    return merged


def _public_products(product_ids) -> dict[int, Product]:
    products = Product.objects.select_related("producer").in_bulk(list(product_ids))
    for product_id in product_ids:
        product = products.get(product_id)
        if (
            product is None
            or product.status != Product.Status.PUBLISHED
            or product.producer.status != Producer.Status.VERIFIED
        ):
            name = product.name if product is not None else _("A product")
            raise CheckoutError(_("“%(name)s” is no longer on sale.") % {"name": name})
    return products


def _check_payment_method(*, payment_method: str, producers: list[Producer]) -> None:
    if payment_method not in Order.PaymentMethod.values:
        raise CheckoutError(_("Choose a payment method."))
    if payment_method not in checkout_payment_methods(producers=producers):
        if payment_method == Order.PaymentMethod.VIETQR:
            names = ", ".join(p.name for p in producers if not p.accepts_vietqr)
            raise CheckoutError(
                _("Bank transfer is not possible: %(names)s cannot receive transfers yet.")
                % {"names": names}
            )
        raise CheckoutError(_("Card payment is not available."))


def checkout_place_order(
    *,
    buyer,
    lines: list[tuple[int, int]],
    delivery: DeliveryDetails,
    payment_method: str,
    checkout_token: str = "",
) -> Order:
    """Places one order for `lines` ((product id, quantity) pairs) and returns it.

    In one transaction: takes the stock of each product in product-id order (`stock_take`, a
    conditional UPDATE that holds the row until commit), creates one sub-order per producer
    numbered `<order number>-<n>` with its own payment reference, freezes name, unit and price
    on the lines, and sets `payment_due_at` for transfer and card payments. After commit it
    queues the order's expiry task (at `payment_due_at`) and the "order placed" emails.

    Raises CheckoutError (a product no longer on sale, a payment method not possible, bad
    quantities, a commune outside the province) or OutOfStock (`product_id`, `available`);
    either way nothing was changed. A `checkout_token` seen before for this buyer returns the
    order it made (with `is_duplicate_submission` set) instead of making a second one.
    """
    if not getattr(buyer, "is_authenticated", False):
        raise CheckoutError(_("Sign in to place an order."))
    merged = _merge_lines(lines)
    if delivery.commune.province_id != delivery.province.pk:
        raise CheckoutError(_("This commune is not in the chosen province."))
    if checkout_token:
        existing = _order_for_token(buyer=buyer, checkout_token=checkout_token)
        if existing is not None:
            return existing
    products = _public_products(merged)
    producers = list({p.producer_id: p.producer for p in products.values()}.values())
    _check_payment_method(payment_method=payment_method, producers=producers)
    try:
        with transaction.atomic():
            order = _place(
                buyer=buyer,
                merged=merged,
                order_of_products=[pid for pid, _q in lines],
                delivery=delivery,
                payment_method=payment_method,
                checkout_token=checkout_token,
            )
    except IntegrityError:
        # The same form posted twice at once: the first post's order holds the token.
        existing = (
            _order_for_token(buyer=buyer, checkout_token=checkout_token) if checkout_token else None
        )
        if existing is None:
            raise
        return existing
    return order


def _order_for_token(*, buyer, checkout_token: str) -> Order | None:
    order = Order.objects.filter(buyer=buyer, checkout_token=checkout_token).first()
    if order is not None:
        order.is_duplicate_submission = True
    return order


def _place(
    *,
    buyer,
    merged: dict[int, int],
    order_of_products: list[int],
    delivery: DeliveryDetails,
    payment_method: str,
    checkout_token: str,
) -> Order:
    now = timezone.now()
    timeout = settings.MARKETPLACE_PAYMENT_TIMEOUT_MINUTES.get(payment_method)
    order = Order(
        number=_new_order_number(),
        buyer=buyer,
        recipient_name=delivery.recipient_name.strip(),
        phone=delivery.phone.strip(),
        province=delivery.province,
        commune=delivery.commune,
        street_address=delivery.street_address.strip(),
        note=delivery.note.strip(),
        payment_method=payment_method,
        total=0,
        payment_due_at=now + datetime.timedelta(minutes=timeout) if timeout else None,
        checkout_token=checkout_token,
    )
    # The unique checkout token is checked by the database (a concurrent twin waits for us).
    order.full_clean(validate_constraints=False)
    order.save()

    for product_id in sorted(merged):
        stock_take(product_id=product_id, quantity=merged[product_id])

    # Read after taking the stock: the rows are ours until commit, prices cannot move now.
    products = _public_products(merged)
    by_producer: dict[int, list[Product]] = {}
    for product_id in dict.fromkeys(order_of_products):
        product = products[product_id]
        by_producer.setdefault(product.producer_id, []).append(product)

    total = 0
    for n, group in enumerate(by_producer.values(), start=1):
        subtotal = sum(product.price * merged[product.pk] for product in group)
        suborder = SubOrder(
            order=order,
            producer=group[0].producer,
            number=f"{order.number}-{n}",
            payment_reference=_new_payment_reference(),
            subtotal=subtotal,
        )
        suborder.full_clean()
        suborder.save()
        order_lines = []
        for product in group:
            line = OrderLine(
                suborder=suborder,
                product=product,
                product_name=product.name,
                unit=product.unit,
                unit_price=product.price,
                quantity=merged[product.pk],
                line_total=product.price * merged[product.pk],
            )
            line.full_clean()
            order_lines.append(line)
        OrderLine.objects.bulk_create(order_lines)
        total += subtotal
    order.total = total
    order.save(update_fields=["total"])

    if order.payment_due_at is not None:
        transaction.on_commit(partial(_queue_expiry, order.pk, order.payment_due_at), robust=True)
    transaction.on_commit(partial(_queue_placed_emails, order.pk), robust=True)
    return order


def _queue_expiry(order_id: int, due: datetime.datetime) -> None:
    from ..tasks import order_expire_task

    order_expire_task.apply_async(args=(order_id,), eta=due)


def _queue_placed_emails(order_id: int) -> None:
    from ..tasks import order_placed_email_task

    order_placed_email_task.delay(order_id)
