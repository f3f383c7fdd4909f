"""The shopping cart, kept in the session: product id → quantity, nothing else.

Prices, names and stock are read from the database each time the cart is shown, so the cart
never shows a stale price. Products that are gone, hidden or sold out leave the cart with a
message; quantities are kept between 1 and the stock (and at most MAX_QUANTITY).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..models import Producer, Product

SESSION_KEY = "marketplace_cart"
MAX_QUANTITY = 999
# A cart is for a household's shopping, not a warehouse: this many products at most.
MAX_LINES = 50


class CartError(Exception):
    """A cart change that cannot be made; `message` is for people (Vietnamese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CartLine:
    product: Product
    quantity: int

    @property
    def line_total(self) -> int:
        return self.product.price * self.quantity


@dataclass
class CartGroup:
    """The lines of one producer: they become one sub-order at checkout."""

    producer: Producer
    lines: list[CartLine] = field(default_factory=list)

    @property
    def subtotal(self) -> int:
        return sum(line.line_total for line in self.lines)


@dataclass
class CartSummary:
    groups: list[CartGroup]
    # Why lines were dropped or lowered while loading (shown once, then the cart is clean).
    notices: list[str]

    @property
    def lines(self) -> list[CartLine]:
        return [line for group in self.groups for line in group.lines]

    @property
    def total(self) -> int:
        return sum(group.subtotal for group in self.groups)

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def accepts_vietqr(self) -> bool:
        """VietQR needs every producer of the cart to have a receiving bank account."""
        return bool(self.groups) and all(g.producer.accepts_vietqr for g in self.groups)

    @property
    def producers_without_vietqr(self) -> list[Producer]:
        return [g.producer for g in self.groups if not g.producer.accepts_vietqr]

    def checkout_lines(self) -> list[tuple[int, int]]:
        """(product id, quantity) pairs for `checkout_place_order`."""
        return [(line.product.pk, line.quantity) for line in self.lines]


def _items(session) -> dict[int, int]:
    raw = session.get(SESSION_KEY)
    items: dict[int, int] = {}
    if isinstance(raw, Mapping):
        for key, value in raw.items():
            try:
                product_id, quantity = int(key), int(value)
            except (TypeError, ValueError):
                continue
            if product_id > 0 and quantity > 0:
                items[product_id] = min(quantity, MAX_QUANTITY)
    return items


def _store(session, items: dict[int, int]) -> None:
    # JSON session serialisation turns int keys into strings: store strings from the start.
    session[SESSION_KEY] = {str(pid): qty for pid, qty in items.items()}
    session.modified = True


def _public_products():
    return Product.objects.filter(
        status=Product.Status.PUBLISHED, producer__status=Producer.Status.VERIFIED
    ).select_related("producer")


def _parse_quantity(value) -> int:
    try:
        quantity = int(str(value).strip())
    except (TypeError, ValueError):
        raise CartError(_("Enter a whole number of units.")) from None
    if quantity < 0:
        raise CartError(_("Enter a whole number of units."))
    return quantity


def _product_or_error(product_id) -> Product:
    try:
        pk = int(str(product_id).strip())
    except (TypeError, ValueError):
        pk = 0
    product = _public_products().filter(pk=pk).first() if pk > 0 else None
    if product is None:
        raise CartError(_("This product is not on sale."))
    return product


def _check_quantity(*, product: Product, quantity: int) -> None:
    if quantity > MAX_QUANTITY:
        raise CartError(
            _("At most %(max)s units of one product per order.") % {"max": MAX_QUANTITY}
        )
    if product.stock <= 0:
        raise CartError(_("“%(name)s” is sold out.") % {"name": product.name})
    if quantity > product.stock:
        raise CartError(
            _("Only %(stock)s %(unit)s of “%(name)s” left.")
            % {"stock": product.stock, "unit": product.get_unit_display(), "name": product.name}
        )


def cart_add(*, session, product_id, quantity=1) -> tuple[Product, int]:
    """Adds units of a public product; returns the product and its new quantity in the cart.
    Raises CartError (cart unchanged) for an unknown product, a bad quantity or too little stock."""
    quantity = _parse_quantity(quantity)
    if quantity < 1:
        raise CartError(_("Enter a whole number of units."))
    product = _product_or_error(product_id)
    items = _items(session)
    if product.pk not in items and len(items) >= MAX_LINES:
        raise CartError(_("A cart holds at most %(max)s different products.") % {"max": MAX_LINES})
    new_quantity = items.get(product.pk, 0) + quantity
    _check_quantity(product=product, quantity=new_quantity)
    items[product.pk] = new_quantity
    _store(session, items)
    return product, new_quantity


def cart_set(*, session, product_id, quantity) -> int:
    """Sets the quantity of a product already in the cart; 0 removes it. Returns the quantity.
    Raises CartError (cart unchanged) for a bad quantity or too little stock."""
    quantity = _parse_quantity(quantity)
    items = _items(session)
    try:
        pk = int(str(product_id))
    except (TypeError, ValueError):
        pk = 0
    if pk not in items:
        raise CartError(_("This product is not in your cart."))
    if quantity == 0:
        cart_remove(session=session, product_id=pk)
        return 0
    product = _product_or_error(pk)
    _check_quantity(product=product, quantity=quantity)
    items[pk] = quantity
    _store(session, items)
    return quantity


def cart_remove(*, session, product_id) -> bool:
    """Takes a product out of the cart; False when it was not there."""
    items = _items(session)
    try:
        pk = int(str(product_id))
    except (TypeError, ValueError):
        return False
    if items.pop(pk, None) is None:
        return False
    _store(session, items)
    return True


def cart_clear(*, session) -> None:
    if SESSION_KEY in session:
        del session[SESSION_KEY]
        session.modified = True


def cart_count(*, session) -> int:
    """Units in the cart, from the session alone (no query): for the header."""
    return sum(_items(session).values())


def cart_summary(*, session) -> CartSummary:
    """The cart with current products, grouped by producer (in the order products were added).

    Drops products that are unknown, not public or sold out, and lowers quantities above the
    stock, saving the cleaned cart and explaining each change in `notices`.
    """
    items = _items(session)
    products = _public_products().in_bulk(list(items))
    notices: list[str] = []
    groups: dict[int, CartGroup] = {}
    cleaned: dict[int, int] = {}
    for product_id, quantity in items.items():
        product = products.get(product_id)
        if product is None:
            notices.append(_("A product in your cart is no longer on sale and was removed."))
            continue
        if product.stock <= 0:
            notices.append(
                _("“%(name)s” is sold out and was removed from your cart.") % {"name": product.name}
            )
            continue
        if quantity > product.stock:
            quantity = product.stock
            notices.append(
                _("Only %(stock)s %(unit)s of “%(name)s” left: your cart now holds that many.")
                % {"stock": product.stock, "unit": product.get_unit_display(), "name": product.name}
            )
        cleaned[product_id] = quantity
        group = groups.setdefault(product.producer_id, CartGroup(producer=product.producer))
        group.lines.append(CartLine(product=product, quantity=quantity))
    if cleaned != items:
        _store(session, cleaned)
    return CartSummary(groups=list(groups.values()), notices=notices)
