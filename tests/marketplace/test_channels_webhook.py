"""Order webhooks from channels: signed with HMAC, each external order id once, stock taken for
all lines in one transaction or not at all."""

import json
import threading
import time

import pytest
from django.db import connection
from django.urls import reverse

from marketplace.channels.fields import product_sku
from marketplace.channels.signing import signature_compute, signature_valid
from marketplace.models import Channel, ChannelListing, ChannelOrder, ChannelSyncLog, Product
from tests.factories.marketplace import ChannelFactory, ProducerFactory, ProductFactory

SECRET = "bi-mat-don-hang"


@pytest.fixture
def channel(db):
    return ChannelFactory(
        name="Chợ API",
        slug="cho-api",
        kind=Channel.Kind.API,
        field_mapping=[],
        api_base_url="https://api.cho.example.vn/v1",
        api_key="khoa",
        webhook_secret=SECRET,
    )


def _url(slug="cho-api"):
    return reverse("marketplace_webhooks:channel_order_webhook", args=[slug])


def _post(client, payload, *, secret=SECRET, timestamp=None, slug="cho-api", raw=None, sign=True):
    body = raw if raw is not None else json.dumps(payload).encode()
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    headers = {}
    if sign:
        headers = {
            "HTTP_X_TIMESTAMP": timestamp,
            "HTTP_X_SIGNATURE": signature_compute(secret=secret, timestamp=timestamp, body=body),
        }
    return client.post(_url(slug), data=body, content_type="application/json", **headers)


def _order(order_id, *lines):
    return {"order_id": order_id, "lines": [{"sku": sku, "quantity": q} for sku, q in lines]}


def test_good_order_takes_stock_and_is_logged(client, channel):
    honey = ProductFactory(name="Mật ong hoa nhãn", stock=10)
    rice = ProductFactory(name="Gạo thơm ST25", stock=5)
    response = _post(client, _order("DH-1001", (product_sku(honey), 3), (product_sku(rice), 5)))
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert response.json()["duplicate"] is False
    honey.refresh_from_db()
    rice.refresh_from_db()
    assert (honey.stock, honey.sold_count) == (7, 3)
    assert (rice.stock, rice.sold_count) == (0, 5)
    order = ChannelOrder.objects.get()
    assert order.outcome == "accepted" and order.external_order_id == "DH-1001"
    logs = ChannelSyncLog.objects.filter(action="order")
    assert {log.producer_id for log in logs} == {honey.producer_id, rice.producer_id}
    assert all(log.outcome == "success" and log.http_status == 200 for log in logs)


def test_lines_by_the_channels_own_sku_and_repeated_lines(client, channel):
    product = ProductFactory(stock=10)
    ChannelListing.objects.create(
        channel=channel, product=product, external_sku="CHO-55", listing_url="https://x.vn/1"
    )
    response = _post(client, _order("DH-2", ("CHO-55", 2), (product_sku(product), 1)))
    assert response.status_code == 200
    product.refresh_from_db()
    assert product.stock == 7


def test_replay_changes_nothing(client, channel):
    product = ProductFactory(stock=10)
    payload = _order("DH-1002", (product_sku(product), 4))
    assert _post(client, payload).status_code == 200
    response = _post(client, payload)
    assert response.status_code == 200
    assert response.json()["duplicate"] is True
    product.refresh_from_db()
    assert product.stock == 6
    assert ChannelOrder.objects.count() == 1
    assert ChannelSyncLog.objects.count() == 1


def test_out_of_stock_refuses_the_whole_order(client, channel):
    first = ProductFactory(stock=10)
    second = ProductFactory(stock=2)
    assert first.pk < second.pk  # the first line's stock is taken before the second fails
    response = _post(client, _order("DH-1003", (product_sku(first), 5), (product_sku(second), 3)))
    assert response.status_code == 409
    assert response.json()["status"] == "refused"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.stock, first.sold_count, second.stock) == (10, 0, 2)
    order = ChannelOrder.objects.get()
    assert order.outcome == "refused"
    assert second.name in order.message
    [log] = ChannelSyncLog.objects.filter(producer=second.producer)
    assert (log.outcome, log.http_status) == ("refused", 409)
    # The refusal is stored: the same order again gets the same answer, still nothing taken.
    again = _post(client, _order("DH-1003", (product_sku(first), 5), (product_sku(second), 3)))
    assert again.status_code == 200 and again.json()["status"] == "refused"
    first.refresh_from_db()
    assert first.stock == 10


def test_unknown_sku_refuses_and_takes_nothing(client, channel):
    product = ProductFactory(stock=10)
    other = ProducerFactory()
    forged = f"{other.slug}-{product.pk}"  # right number, wrong producer
    response = _post(client, _order("DH-1004", (product_sku(product), 1), (forged, 1)))
    assert response.status_code == 422
    product.refresh_from_db()
    assert product.stock == 10
    assert ChannelOrder.objects.get().outcome == "refused"
    assert forged in ChannelOrder.objects.get().message
    response = _post(client, _order("DH-1005", ("khong-co-ma-nay", 1)))
    assert response.status_code == 422
    log = ChannelSyncLog.objects.filter(producer__isnull=True).get()
    assert log.outcome == "refused"


def test_product_not_on_sale_is_refused(client, channel):
    product = ProductFactory(stock=10, status=Product.Status.UNPUBLISHED)
    response = _post(client, _order("DH-1006", (product_sku(product), 1)))
    assert response.status_code == 409
    product.refresh_from_db()
    assert product.stock == 10


@pytest.mark.parametrize(
    "kind",
    ["wrong_secret", "no_signature", "stale", "future", "tampered", "garbage_timestamp"],
)
def test_bad_signature_is_401_and_changes_nothing(client, channel, kind):
    product = ProductFactory(stock=10)
    payload = _order("DH-1007", (product_sku(product), 1))
    now = int(time.time())
    if kind == "wrong_secret":
        response = _post(client, payload, secret="doan-sai")
    elif kind == "no_signature":
        response = _post(client, payload, sign=False)
    elif kind == "stale":
        response = _post(client, payload, timestamp=now - 301)
    elif kind == "future":
        response = _post(client, payload, timestamp=now + 301)
    elif kind == "tampered":
        body = json.dumps(payload).encode()
        headers = {
            "HTTP_X_TIMESTAMP": str(now),
            "HTTP_X_SIGNATURE": signature_compute(secret=SECRET, timestamp=str(now), body=body),
        }
        tampered = body.replace(b'"quantity": 1', b'"quantity": 9')
        response = client.post(_url(), data=tampered, content_type="application/json", **headers)
    else:
        response = client.post(
            _url(),
            data=json.dumps(payload),
            content_type="application/json",
            HTTP_X_TIMESTAMP="abc",
            HTTP_X_SIGNATURE="sha256=00",
        )
    assert response.status_code == 401
    product.refresh_from_db()
    assert product.stock == 10
    assert not ChannelOrder.objects.exists()
    assert not ChannelSyncLog.objects.exists()


def test_a_timestamp_within_five_minutes_is_accepted(client, channel):
    product = ProductFactory(stock=10)
    response = _post(
        client, _order("DH-1008", (product_sku(product), 1)), timestamp=int(time.time()) - 290
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b"\xff\xfe",
        b"[]",
        b'{"lines": [{"sku": "a-1", "quantity": 1}]}',
        b'{"order_id": "", "lines": [{"sku": "a-1", "quantity": 1}]}',
        b'{"order_id": "X", "lines": []}',
        b'{"order_id": "X", "lines": [{"sku": "a-1", "quantity": 0}]}',
        b'{"order_id": "X", "lines": [{"sku": "a-1", "quantity": -2}]}',
        b'{"order_id": "X", "lines": [{"sku": "a-1", "quantity": 1.5}]}',
        b'{"order_id": "X", "lines": [{"sku": "a-1", "quantity": true}]}',
        b'{"order_id": "X", "lines": [{"sku": "a-1", "quantity": 100000}]}',
        b'{"order_id": "X", "lines": [{"sku": 5, "quantity": 1}]}',
        b'{"order_id": "X", "lines": ["a-1"]}',
    ],
)
def test_malformed_body_is_400(client, channel, raw):
    response = _post(client, None, raw=raw)
    assert response.status_code == 400
    assert not ChannelOrder.objects.exists()


def test_body_over_64_kb_is_413(client, channel):
    payload = _order("DH-big", *[(f"sku-{i}", 1) for i in range(3000)])
    body = json.dumps(payload).encode()
    assert len(body) > 64 * 1024
    response = _post(client, None, raw=body)
    assert response.status_code == 413
    assert not ChannelOrder.objects.exists()


def test_unknown_inactive_or_unsigned_channel_is_404(client, channel):
    product = ProductFactory(stock=10)
    payload = _order("DH-1009", (product_sku(product), 1))
    assert _post(client, payload, slug="khong-co").status_code == 404
    ChannelFactory(slug="voso")  # a file channel without a signing secret
    assert _post(client, payload, slug="voso", secret="").status_code == 404
    Channel.objects.filter(pk=channel.pk).update(active=False)
    assert _post(client, payload).status_code == 404
    product.refresh_from_db()
    assert product.stock == 10


def test_only_post(client, channel):
    assert client.get(_url()).status_code == 405


def test_signature_helpers():
    body = b'{"a":1}'
    signature = signature_compute(secret="s", timestamp="1700000000", body=body)
    assert signature.startswith("sha256=") and len(signature) == 7 + 64
    assert signature_valid(
        secret="s", timestamp="1700000000", signature=signature, body=body, now=1700000100
    )
    assert not signature_valid(
        secret="s", timestamp="1700000000", signature=signature, body=body, now=1700000301
    )
    assert not signature_valid(
        secret="", timestamp="1700000000", signature=signature, body=body, now=1700000000
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
def test_concurrent_deliveries_of_one_order_take_stock_once(channel):
    """Ten deliveries of the same order at once: one takes the stock, the others are replays."""
    from django.db import close_old_connections
    from django.test import Client

    product = ProductFactory(stock=100)
    payload = _order("DH-race", (product_sku(product), 3))
    statuses, barrier = [], threading.Barrier(10)

    def deliver():
        try:
            barrier.wait()
            statuses.append(_post(Client(), payload).status_code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=deliver) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 10
    product.refresh_from_db()
    assert product.stock == 97
    assert ChannelOrder.objects.count() == 1
