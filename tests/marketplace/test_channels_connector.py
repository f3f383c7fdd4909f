"""The API connector against a real shop server on 127.0.0.1 (http.server in a thread) that
records each request and answers as each test scripts it: 200, 500, 429, 400, redirects, or
sleeping past the channel's timeout. Tasks run eagerly (in-process Celery); retries do not wait,
their countdowns are captured."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from marketplace.channels.connector import ChannelConnector, ChannelRefused, ChannelTemporaryError
from marketplace.channels.fields import product_sku
from marketplace.channels.signing import signature_compute
from marketplace.models import Channel, ChannelListing, ChannelSyncLog, Product
from marketplace.services import channels as channel_services
from marketplace.services.channels import (
    BACKOFF_CAP_SECONDS,
    channel_listing_sync,
    channel_listings_product_changed,
    channel_retry_countdown,
    listing_delist_schedule,
    listing_push_schedule,
    listing_update_schedule,
)
from marketplace.tasks import channel_listing_sync_task
from tests.factories.marketplace import ChannelFactory, ProducerFactory, ProductFactory

pytestmark = pytest.mark.django_db

API_KEY = "khoa-api-thu-nghiem"
SECRET = "bi-mat-ky-so-thu-nghiem"


class ShopServer:
    """A shop with an API: answers from `script` in order, then `default`. Replays the answer
    of a success for an Idempotency-Key it has seen, as a real idempotent API does."""

    def __init__(self):
        self.requests: list[dict] = []
        self.script: list[dict] = []
        self.default = {"status": 200, "body": None}
        self.seen_keys: dict[str, tuple[int, bytes]] = {}
        self.lock = threading.Lock()
        state = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with state.lock:
                    state.requests.append(
                        {
                            "method": self.command,
                            "path": self.path,
                            "headers": dict(self.headers),
                            "body": body,
                            "json": json.loads(body) if body else None,
                            "received_at": time.time(),
                        }
                    )
                    key = self.headers.get("Idempotency-Key")
                    replay = state.seen_keys.get(key)
                    answer = state.script.pop(0) if state.script else state.default
                if replay is not None:
                    status, payload = replay
                else:
                    if answer.get("sleep"):
                        time.sleep(answer["sleep"])
                    status = answer["status"]
                    data = answer.get("body")
                    if data is None and status < 300:
                        data = _success_body(self.command, self.path)
                    payload = json.dumps(data or {}).encode() if data != "" else b""
                    if "raw" in answer:
                        payload = answer["raw"]
                    if status < 300 and key:
                        with state.lock:
                            state.seen_keys[key] = (status, payload)
                try:
                    self.send_response(status)
                    for name, value in answer.get("headers", {}).items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout)

            do_POST = do_PATCH = do_DELETE = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _success_body(method, path):
    if method == "POST" and path.endswith("/listings"):
        return {"external_sku": "CHO-778899", "listing_url": "https://cho.example.vn/sp/778899"}
    return {"ok": True}


@pytest.fixture
def shop_server():
    server = ShopServer()
    yield server
    server.stop()


@pytest.fixture
def api_channel(shop_server):
    return ChannelFactory(
        name="Chợ API",
        slug="cho-api",
        kind=Channel.Kind.API,
        seller_portal_url="",
        field_mapping=[],
        api_base_url=shop_server.url,
        api_key=API_KEY,
        webhook_secret=SECRET,
        timeout_seconds=1,
        max_retries=3,
    )


@pytest.fixture
def product():
    return ProductFactory(name="Gạo thơm ST25", price=120_000, stock=30)


@pytest.fixture
def upper_jitter(monkeypatch):
    """Jitter always at its top: countdowns become exact (30, 60, 120, …)."""

    class Top:
        @staticmethod
        def uniform(a, b):
            return b

    monkeypatch.setattr(channel_services, "_jitter", Top)


@pytest.fixture
def countdowns(monkeypatch):
    """The countdowns the task passes to Celery's retry()."""
    captured = []
    original = channel_listing_sync_task.retry

    def spy(*args, **kwargs):
        captured.append(kwargs.get("countdown"))
        return original(*args, **kwargs)

    monkeypatch.setattr(channel_listing_sync_task, "retry", spy)
    return captured


def _push(product, channel, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        listing = listing_push_schedule(
            producer=product.producer, channel=channel, product_id=product.pk
        )
    listing.refresh_from_db()
    return listing


def _logs(listing):
    return list(ChannelSyncLog.objects.filter(product=listing.product).order_by("created_at", "id"))


def test_push_sends_signed_json_and_records_the_listing(
    shop_server, api_channel, product, django_capture_on_commit_callbacks
):
    listing = _push(product, api_channel, django_capture_on_commit_callbacks)
    assert len(shop_server.requests) == 1
    request = shop_server.requests[0]
    assert request["method"] == "POST"
    assert request["path"] == "/api/v1/listings"
    headers = request["headers"]
    assert headers["Authorization"] == f"Bearer {API_KEY}"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["Idempotency-Key"] == f"cds-listing-{listing.pk}-push-v1"
    timestamp = headers["X-Timestamp"]
    assert abs(int(timestamp) - time.time()) < 30
    assert headers["X-Signature"] == signature_compute(
        secret=SECRET, timestamp=timestamp, body=request["body"]
    )
    body = request["json"]
    assert body["sku"] == product_sku(product)
    assert body["name"] == "Gạo thơm ST25"
    assert body["price"] == 120_000 and body["stock"] == 30
    assert body["certificate_expires_on"] == product.certificate_expires_on.isoformat()
    assert "Gạo thơm".encode() in request["body"]  # UTF-8, not \u escapes

    assert listing.sync_status == ChannelListing.SyncStatus.SYNCED
    assert listing.external_sku == "CHO-778899"
    assert listing.listing_url == "https://cho.example.vn/sp/778899"
    assert listing.last_synced_at is not None
    [log] = _logs(listing)
    assert (log.action, log.attempt, log.outcome, log.http_status) == ("push", 1, "success", 200)
    assert log.producer_id == product.producer_id
    assert log.idempotency_key == headers["Idempotency-Key"]


def test_5xx_is_retried_with_the_same_key_and_exponential_backoff(
    shop_server, api_channel, product, django_capture_on_commit_callbacks, upper_jitter, countdowns
):
    shop_server.script = [{"status": 500}, {"status": 503}, {"status": 200}]
    listing = _push(product, api_channel, django_capture_on_commit_callbacks)
    assert len(shop_server.requests) == 3
    keys = {r["headers"]["Idempotency-Key"] for r in shop_server.requests}
    assert keys == {f"cds-listing-{listing.pk}-push-v1"}
    # Each attempt is signed afresh over the same body.
    bodies = {r["body"] for r in shop_server.requests}
    assert len(bodies) == 1
    assert countdowns == [30, 60]
    logs = _logs(listing)
    assert [(log.attempt, log.outcome, log.http_status) for log in logs] == [
        (1, "retrying", 500),
        (2, "retrying", 503),
        (3, "success", 200),
    ]
    assert [log.retry_in_seconds for log in logs] == [30, 60, None]
    assert listing.sync_status == ChannelListing.SyncStatus.SYNCED
    assert listing.last_error == ""


def test_retries_stop_at_max_retries_and_the_listing_is_marked_failed(
    shop_server, api_channel, product, django_capture_on_commit_callbacks, upper_jitter, countdowns
):
    shop_server.default = {"status": 502, "body": {"message": "Bad gateway"}}
    listing = _push(product, api_channel, django_capture_on_commit_callbacks)
    # 1 attempt + max_retries (3) retries.
    assert len(shop_server.requests) == 4
    assert countdowns == [30, 60, 120]
    logs = _logs(listing)
    assert [log.outcome for log in logs] == ["retrying", "retrying", "retrying", "failed"]
    assert [log.attempt for log in logs] == [1, 2, 3, 4]
    assert "Bad gateway" in logs[-1].message
    assert listing.sync_status == ChannelListing.SyncStatus.FAILED
    assert "Bad gateway" in listing.last_error
    assert listing.external_sku == ""


def test_429_honours_retry_after(
    shop_server, api_channel, product, django_capture_on_commit_callbacks, upper_jitter, countdowns
):
    shop_server.script = [{"status": 429, "headers": {"Retry-After": "300"}}, {"status": 200}]
    listing = _push(product, api_channel, django_capture_on_commit_callbacks)
    assert countdowns == [300]
    assert [(log.outcome, log.http_status) for log in _logs(listing)] == [
        ("retrying", 429),
        ("success", 200),
    ]


def test_4xx_is_not_retried(
    shop_server, api_channel, product, django_capture_on_commit_callbacks, countdowns
):
    shop_server.script = [{"status": 400, "body": {"message": "Thiếu ảnh sản phẩm"}}]
    listing = _push(product, api_channel, django_capture_on_commit_callbacks)
    assert len(shop_server.requests) == 1
    assert countdowns == []
    [log] = _logs(listing)
    assert (log.outcome, log.http_status, log.attempt) == ("failed", 400, 1)
    assert "Thiếu ảnh sản phẩm" in log.message
    assert listing.sync_status == ChannelListing.SyncStatus.FAILED
    assert "Thiếu ảnh sản phẩm" in listing.last_error


def test_a_redirect_is_not_followed(
    shop_server, api_channel, product, django_capture_on_commit_callbacks
):
    shop_server.script = [{"status": 302, "headers": {"Location": "http://127.0.0.1:9/"}}]
    listing = _push(product, api_channel, django_capture_on_commit_callbacks)
    assert len(shop_server.requests) == 1
    assert listing.sync_status == ChannelListing.SyncStatus.FAILED
    assert _logs(listing)[0].http_status == 302


def test_timeout_is_retried_then_fails(
    shop_server, api_channel, product, django_capture_on_commit_callbacks, upper_jitter, countdowns
):
    api_channel.max_retries = 1
    api_channel.save()
    shop_server.default = {"status": 200, "sleep": 1.6}
    started = time.monotonic()
    listing = _push(product, api_channel, django_capture_on_commit_callbacks)
    elapsed = time.monotonic() - started
    assert len(shop_server.requests) == 2
    assert countdowns == [30]
    # Two attempts of about one second each (the channel's timeout), no backoff sleeping.
    assert 1.9 < elapsed < 6
    logs = _logs(listing)
    assert [(log.outcome, log.http_status) for log in logs] == [
        ("retrying", None),
        ("failed", None),
    ]
    assert "timeout" in logs[0].message
    assert listing.sync_status == ChannelListing.SyncStatus.FAILED


def test_connection_refused_is_temporary(api_channel, product, shop_server):
    shop_server.stop()
    connector = ChannelConnector.for_channel(api_channel)
    with pytest.raises(ChannelTemporaryError) as error:
        connector.push_listing(product, idempotency_key="k-1")
    assert error.value.status is None


def test_unusable_answers_are_refused(shop_server, api_channel, product):
    connector = ChannelConnector.for_channel(api_channel)
    shop_server.script = [{"status": 200, "raw": b"<html>ok</html>"}]
    with pytest.raises(ChannelRefused):
        connector.push_listing(product, idempotency_key="k-1")
    shop_server.script = [{"status": 201, "body": {"external_sku": "X"}}]
    with pytest.raises(ChannelRefused):
        connector.push_listing(product, idempotency_key="k-2")
    shop_server.script = [
        {"status": 201, "body": {"external_sku": "X", "listing_url": "javascript:alert(1)"}}
    ]
    with pytest.raises(ChannelRefused):
        connector.push_listing(product, idempotency_key="k-3")


def test_running_the_same_sync_twice_sends_once(
    shop_server, api_channel, product, django_capture_on_commit_callbacks
):
    listing = _push(product, api_channel, django_capture_on_commit_callbacks)
    key = f"cds-listing-{listing.pk}-push-v1"
    channel_listing_sync_task.apply(args=(listing.pk, "push", key))
    result = channel_listing_sync(listing_id=listing.pk, action="push", idempotency_key=key)
    assert result.outcome == "success"
    assert len(shop_server.requests) == 1
    assert len(_logs(listing)) == 1


def test_a_retry_after_a_lost_answer_is_applied_once_by_the_shop(
    shop_server, api_channel, product, django_capture_on_commit_callbacks, upper_jitter
):
    """The shop applied the push but the answer never came (timeout): the retry carries the
    same key, so the shop answers with the listing it made rather than making another."""
    api_channel.timeout_seconds = 1
    api_channel.save()
    shop_server.script = [{"status": 201, "sleep": 1.5}]
    listing = _push(product, api_channel, django_capture_on_commit_callbacks)
    assert len(shop_server.requests) == 2
    assert len(shop_server.seen_keys) == 1
    assert listing.sync_status == ChannelListing.SyncStatus.SYNCED


def test_update_sends_price_and_stock_and_product_changes_queue_it(
    shop_server, api_channel, product, django_capture_on_commit_callbacks
):
    listing = _push(product, api_channel, django_capture_on_commit_callbacks)
    Product.objects.filter(pk=product.pk).update(price=135_000, stock=12)
    with django_capture_on_commit_callbacks(execute=True):
        assert channel_listings_product_changed(product_id=product.pk) == 1
    request = shop_server.requests[-1]
    assert (request["method"], request["path"]) == ("PATCH", "/api/v1/listings/CHO-778899")
    assert request["json"] == {"price": 135_000, "stock": 12}
    assert request["headers"]["Idempotency-Key"] == f"cds-listing-{listing.pk}-update-v2"

    # A product taken off sale is sent with stock 0, never delisted behind the producer's back.
    Product.objects.filter(pk=product.pk).update(status=Product.Status.UNPUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        listing_update_schedule(
            producer=product.producer, channel=api_channel, product_id=product.pk
        )
    assert shop_server.requests[-1]["json"] == {"price": 135_000, "stock": 0}
    assert shop_server.requests[-1]["headers"]["Idempotency-Key"].endswith("-update-v3")


def test_product_changes_skip_file_channels_unlisted_and_delisted(
    shop_server, api_channel, product, django_capture_on_commit_callbacks
):
    file_channel = ChannelFactory()
    ChannelListing.objects.create(
        channel=file_channel, product=product, listing_url="https://voso.vn/sp/1"
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert channel_listings_product_changed(product_id=product.pk) == 0
    assert callbacks == []
    listing = _push(product, api_channel, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        listing_delist_schedule(
            producer=product.producer, channel=api_channel, product_id=product.pk
        )
    listing.refresh_from_db()
    assert listing.sync_status == ChannelListing.SyncStatus.DELISTED
    request = shop_server.requests[-1]
    assert (request["method"], request["path"]) == ("POST", "/api/v1/listings/CHO-778899/delist")
    assert request["json"] == {"sku": product_sku(product)}
    count = len(shop_server.requests)
    with django_capture_on_commit_callbacks(execute=True):
        assert channel_listings_product_changed(product_id=product.pk) == 0
    assert len(shop_server.requests) == count


def test_delist_of_a_listing_the_shop_no_longer_has_counts_as_done(
    shop_server, api_channel, product, django_capture_on_commit_callbacks
):
    listing = _push(product, api_channel, django_capture_on_commit_callbacks)
    shop_server.script = [{"status": 404, "body": {"message": "not found"}}]
    with django_capture_on_commit_callbacks(execute=True):
        listing_delist_schedule(
            producer=product.producer, channel=api_channel, product_id=product.pk
        )
    listing.refresh_from_db()
    assert listing.sync_status == ChannelListing.SyncStatus.DELISTED
    assert _logs(listing)[-1].outcome == "success"


def test_external_sku_is_quoted_in_the_path(shop_server, api_channel, product):
    connector = ChannelConnector.for_channel(api_channel)
    connector.update_listing(external_sku="A/B ?1", price=1000, stock=1, idempotency_key="k")
    assert shop_server.requests[-1]["path"] == "/api/v1/listings/A%2FB%20%3F1"


def test_schedules_refuse_file_channels_other_producers_and_unpublished(api_channel, product):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        listing_push_schedule(
            producer=product.producer, channel=ChannelFactory(), product_id=product.pk
        )
    with pytest.raises(Product.DoesNotExist):
        listing_push_schedule(
            producer=ProducerFactory(), channel=api_channel, product_id=product.pk
        )
    draft = ProductFactory(producer=product.producer, status=Product.Status.DRAFT)
    with pytest.raises(ValidationError):
        listing_push_schedule(producer=product.producer, channel=api_channel, product_id=draft.pk)
    with pytest.raises(ValidationError):  # nothing pushed yet
        listing_update_schedule(
            producer=product.producer, channel=api_channel, product_id=product.pk
        )
    assert not ChannelListing.objects.exists()


def test_a_sync_for_a_deactivated_channel_fails_without_a_request(
    shop_server, api_channel, product, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        listing = listing_push_schedule(
            producer=product.producer, channel=api_channel, product_id=product.pk
        )
    Channel.objects.filter(pk=api_channel.pk).update(active=False)
    for callback in callbacks:
        callback()
    listing.refresh_from_db()
    assert shop_server.requests == []
    assert listing.sync_status == ChannelListing.SyncStatus.FAILED


def test_backoff_is_exponential_capped_and_jittered():
    assert channel_retry_countdown(attempt=1, uniform=lambda a, b: a) == 15
    assert channel_retry_countdown(attempt=1, uniform=lambda a, b: b) == 30
    assert channel_retry_countdown(attempt=4, uniform=lambda a, b: b) == 240
    assert channel_retry_countdown(attempt=30, uniform=lambda a, b: b) == BACKOFF_CAP_SECONDS
    assert channel_retry_countdown(attempt=1, retry_after=10**9) == BACKOFF_CAP_SECONDS
    samples = {channel_retry_countdown(attempt=3) for _ in range(200)}
    assert min(samples) >= 60 and max(samples) <= 120
    assert len(samples) > 5
