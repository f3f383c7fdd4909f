"""A buyer checks out on a phone in a real browser (Debian's Chromium via Playwright): cash on
delivery, then bank transfer with each producer's VietQR code; the producer marks it paid."""

import pytest
from django.db import connections

from marketplace.models import Order, Product, SubOrder
from marketplace.services.cart import SESSION_KEY as CART_KEY
from tests.browser import chromium
from tests.factories.marketplace import CommuneFactory, ProducerMemberFactory, ProductFactory
from tests.factories.users import UserFactory

pytestmark = [
    *chromium.MARKS,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
browser = chromium.chromium_browser


@pytest.fixture
def shop(live_server, home):
    base_url = chromium.point_site_at(live_server)
    commune = CommuneFactory(name="Phường Long Châu")
    first = ProductFactory(name="Bưởi da xanh Bình Minh", price=65_000, stock=20)
    second = ProductFactory(name="Kẹo dừa sáp Cầu Kè", price=48_000, stock=20)
    return {"url": base_url, "commune": commune, "products": (first, second)}


def signed_in_tab(browser, base_url, user, cart=None):
    """A phone-sized tab signed in as `user`, its cart prefilled."""
    cart = {str(product.pk): quantity for product, quantity in (cart or {}).items()}
    return chromium.signed_in_tab(browser, base_url, user, session_data={CART_KEY: cart})


def fill_delivery(page, commune):
    page.fill("input[name=street_address]", "18 đường 2 Tháng 9")
    page.select_option("select[name=commune]", str(commune.pk))


def test_buyer_checks_out_cod_then_vietqr_and_producer_marks_paid(browser, shop, tmp_path):
    first, second = shop["products"]
    buyer = UserFactory(full_name="Võ Thị Hạnh", phone="0939123456")

    # Cash on delivery: change a quantity in the cart, check out, land on the order page.
    page = signed_in_tab(browser, shop["url"], buyer, cart={first: 1, second: 2})
    page.goto(shop["url"] + "/gio-hang/")
    page.fill(f"input[name=quantity-{first.pk}]", "3")
    page.locator(".cart__actions button[type=submit]").click()
    assert page.locator("[data-total]").get_attribute("data-total") == str(3 * 65_000 + 2 * 48_000)
    page.screenshot(path=str(tmp_path / "cart.png"), full_page=True)
    page.locator(".cart__actions a.button").click()
    fill_delivery(page, shop["commune"])
    page.check("input[name=payment_method][value=cod]")
    page.screenshot(path=str(tmp_path / "checkout.png"), full_page=True)
    page.locator(".checkout__submit").click()
    page.wait_for_url("**/ca-nhan/don-hang/DH*/")
    cod = Order.objects.get(payment_method="cod")
    assert cod.number in page.content()
    assert cod.total == 3 * 65_000 + 2 * 48_000
    assert Product.objects.get(pk=first.pk).stock == 17
    page.screenshot(path=str(tmp_path / "order-cod.png"), full_page=True)
    page.context.close()

    # Bank transfer: one VietQR code per producer on the order page.
    page = signed_in_tab(browser, shop["url"], buyer, cart={first: 1, second: 1})
    page.goto(shop["url"] + "/thanh-toan/")
    fill_delivery(page, shop["commune"])
    page.check("input[name=payment_method][value=vietqr]")
    page.locator(".checkout__submit").click()
    page.wait_for_url("**/ca-nhan/don-hang/DH*/")
    transfer = Order.objects.get(payment_method="vietqr")
    suborders = list(transfer.suborders.order_by("number"))
    assert page.locator(".suborder__pay svg").count() == 2
    for suborder in suborders:
        assert suborder.payment_reference in page.content()
    page.screenshot(path=str(tmp_path / "order-vietqr.png"), full_page=True)
    page.context.close()

    # The first producer finds the transfer in its bank and marks its sub-order paid.
    member = ProducerMemberFactory(producer=first.producer)
    page = signed_in_tab(browser, shop["url"], member.user)
    page.goto(shop["url"] + "/cua-hang/don-hang/")
    page.get_by_role("link", name=suborders[0].number).click()
    page.fill("input[name=mark_paid-amount]", str(suborders[0].subtotal))
    page.locator("button[value=mark_paid]").click()
    page.wait_for_selector(".alert--success")
    page.screenshot(path=str(tmp_path / "shop-suborder.png"), full_page=True)
    assert SubOrder.objects.get(pk=suborders[0].pk).status == "paid"
    assert SubOrder.objects.get(pk=suborders[1].pk).status == "pending"
    page.context.close()
    # Under Playwright's sync API this code runs with its own context, hence its own database
    # connection (Django keys connections by context); close it or the test DB cannot be dropped.
    connections.close_all()
