"""VietQR codes: the NAPAS payload round-trips through vietnam-qr-pay's parser with a valid CRC,
the include shows what the buyer must type, and only the buyer can download the code."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils.safestring import SafeString
from vietnam_qr_pay import QRPay

from marketplace.models import Order, SubOrder
from marketplace.payments.vietqr import (
    VietQrUnavailable,
    suborder_vietqr,
    vietqr_payload,
    vietqr_render,
)
from tests.factories.marketplace import ProducerFactory, ProductFactory
from tests.factories.marketplace_orders import place_order
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def suborder():
    product = ProductFactory(price=75_000)
    order = place_order(items=[(product, 2)], payment_method="vietqr")
    return order.suborders.select_related("order", "producer").get()


def test_payload_round_trips_through_the_napas_parser(suborder):
    qr = suborder_vietqr(suborder=suborder)
    parsed = QRPay(qr.payload)
    assert parsed.is_valid  # the parser checks the CRC first
    assert parsed.consumer.bank_bin == "970436"
    assert parsed.consumer.bank_number == suborder.producer.bank_account_number
    assert parsed.amount == "150000"
    assert parsed.currency == "704"  # VND
    assert parsed.nation == "VN"
    assert parsed.additional_data.purpose == suborder.payment_reference
    assert parsed.init_method == "12"  # dynamic code: the amount is fixed
    assert qr.payload[-8:-4] == "6304"  # CRC field id and length before the 4 hex digits


def test_a_changed_digit_breaks_the_crc(suborder):
    payload = suborder_vietqr(suborder=suborder).payload
    tampered = payload.replace("150000", "950000")
    assert tampered != payload
    assert not QRPay(tampered).is_valid


def test_code_fields_for_the_page(suborder):
    qr = suborder_vietqr(suborder=suborder)
    assert qr.bank_name == "Vietcombank"
    assert qr.bank_bin == "970436"
    assert qr.account_name == "HTX BUOI DA XANH"
    assert qr.amount == 150_000
    assert qr.message == suborder.payment_reference
    assert isinstance(qr.svg, SafeString)
    assert qr.svg.startswith("<svg")
    assert "<script" not in qr.svg
    assert suborder.payment_reference in qr.svg  # in the accessible title


def test_after_a_partial_transfer_the_code_asks_for_the_rest(suborder):
    suborder.paid_amount = 50_000
    qr = suborder_vietqr(suborder=suborder)
    assert qr.amount == 100_000
    assert QRPay(qr.payload).amount == "100000"


def transfer_order_without_account(producer) -> SubOrder:
    """Checkout refuses transfers to a producer without an account; one who removed it after
    the order was placed leaves such an order behind."""
    order = place_order(items=[(ProductFactory(producer=producer), 1)])
    Order.objects.filter(pk=order.pk).update(payment_method=Order.PaymentMethod.VIETQR)
    return SubOrder.objects.select_related("order", "producer").get(order=order)


def test_no_code_for_cod_or_a_producer_without_account():
    cod = place_order(items=[(ProductFactory(), 1)], payment_method="cod").suborders.get()
    with pytest.raises(VietQrUnavailable):
        suborder_vietqr(suborder=cod)
    producer = ProducerFactory(bank_bin="", bank_account_number="")
    no_account = transfer_order_without_account(producer)
    with pytest.raises(VietQrUnavailable):
        suborder_vietqr(suborder=no_account)


def test_rendered_images_are_svg_and_png():
    payload = vietqr_payload(
        bank_bin="970436", account_number="1012345678", amount=150000, message="CDSABC"
    )
    assert vietqr_render(payload=payload, kind="png").startswith(b"\x89PNG\r\n\x1a\n")
    assert b"<svg" in vietqr_render(payload=payload, kind="svg")


def _render_include(suborder):
    return Template('{% include "marketplace/includes/vietqr_payment.html" %}').render(
        Context({"suborder": suborder})
    )


def test_include_shows_bank_account_amount_message_and_local_deadline(suborder):
    # 03:00 UTC is 10:00 in Vietnam.
    due = datetime.datetime(2030, 5, 1, 3, 0, tzinfo=datetime.UTC)
    Order.objects.filter(pk=suborder.order_id).update(payment_due_at=due)
    suborder.order.refresh_from_db()
    html = _render_include(suborder)
    assert "<svg" in html
    assert "Vietcombank" in html
    assert suborder.producer.bank_account_number in html
    assert "HTX BUOI DA XANH" in html
    assert "150.000 ₫" in html
    assert suborder.payment_reference in html
    assert "10:00, 01/05/2030" in html
    assert reverse("marketplace:suborder_vietqr_png", args=[suborder.number]) in html


def test_include_is_empty_once_paid_and_explains_a_missing_account(suborder):
    suborder.status = SubOrder.Status.PAID
    assert "<svg" not in _render_include(suborder)
    producer = ProducerFactory(bank_bin="", bank_account_number="")
    other = transfer_order_without_account(producer)
    html = _render_include(other)
    assert "<svg" not in html
    assert producer.name in html


# --- Download --------------------------------------------------------------------------------


def test_buyer_downloads_svg_and_png(client, suborder):
    client.force_login(suborder.order.buyer)
    response = client.get(reverse("marketplace:suborder_vietqr_svg", args=[suborder.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content
    assert "attachment" in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]
    response = client.get(reverse("marketplace:suborder_vietqr_png", args=[suborder.number]))
    assert response.status_code == 200
    assert response.content.startswith(b"\x89PNG")


@pytest.mark.parametrize("who", ["anonymous", "other buyer", "producer"])
def test_nobody_else_downloads_the_code(client, suborder, who):
    from tests.factories.marketplace import ProducerMemberFactory

    url = reverse("marketplace:suborder_vietqr_svg", args=[suborder.number])
    if who == "other buyer":
        client.force_login(UserFactory())
    elif who == "producer":
        client.force_login(ProducerMemberFactory(producer=suborder.producer).user)
    response = client.get(url)
    if who == "anonymous":
        assert response.status_code == 302
        assert "login" in response["Location"] or "dang-nhap" in response["Location"]
    else:
        assert response.status_code == 404


def test_no_download_once_the_sub_order_is_not_pending(client, suborder):
    SubOrder.objects.filter(pk=suborder.pk).update(status=SubOrder.Status.CANCELLED)
    client.force_login(suborder.order.buyer)
    response = client.get(reverse("marketplace:suborder_vietqr_svg", args=[suborder.number]))
    assert response.status_code == 404


def test_download_refuses_post(client, suborder):
    client.force_login(suborder.order.buyer)
    response = client.post(reverse("marketplace:suborder_vietqr_svg", args=[suborder.number]))
    assert response.status_code == 405


def test_buyers_order_page_shows_the_code(client, suborder, home):
    client.force_login(suborder.order.buyer)
    response = client.get(reverse("marketplace:order_detail", args=[suborder.order.number]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="vietqr__svg"' in html
    assert "150.000 ₫" in html
    assert suborder.payment_reference in html
    assert "marketplace/payments.css" in html
