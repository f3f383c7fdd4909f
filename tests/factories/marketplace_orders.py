"""Orders for tests, placed through the checkout service (never built row by row), so that
stock, numbers, references and totals are what the real checkout makes."""

from marketplace.models import Order
from marketplace.services.checkout import DeliveryDetails, checkout_place_order
from tests.factories.marketplace import CommuneFactory, ProductFactory
from tests.factories.users import UserFactory


def delivery_details(**overrides) -> DeliveryDetails:
    commune = overrides.pop("commune", None) or CommuneFactory()
    values = {
        "recipient_name": "Trần Thị Bình",
        "phone": "0987654321",
        "province": commune.province,
        "commune": commune,
        "street_address": "12 đường Phạm Thái Bường",
        "note": "",
    }
    values.update(overrides)
    return DeliveryDetails(**values)


def place_order(
    *,
    buyer=None,
    items=None,
    payment_method: str = Order.PaymentMethod.COD,
    delivery: DeliveryDetails | None = None,
    checkout_token: str = "",
) -> Order:
    """Places an order through `checkout_place_order`. `items` is a list of (product, quantity)
    pairs; by default one unit of one new product (a new producer)."""
    buyer = buyer or UserFactory()
    items = items if items is not None else [(ProductFactory(), 1)]
    return checkout_place_order(
        buyer=buyer,
        lines=[(product.pk, quantity) for product, quantity in items],
        delivery=delivery or delivery_details(),
        payment_method=payment_method,
        checkout_token=checkout_token,
    )
