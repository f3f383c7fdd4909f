"""The HTTP connector for shop channels that offer an API (Voso and Postmart do not: they take
files). Every outside call to a channel goes through here.

Protocol (docs/marketplace-channels.md): JSON requests to the channel's API address:
  POST  <base>/listings                        push a listing -> {"external_sku", "listing_url"}
  PATCH <base>/listings/<external_sku>         update price and stock
  POST  <base>/listings/<external_sku>/delist  take the listing down
with `Authorization: Bearer <api key>`, `Idempotency-Key` (the same on every retry of one action)
and the HMAC signature headers of `signing.py`. Errors are sorted for the retry policy:
ChannelTemporaryError (timeout, connection, 5xx, 429) may be retried; ChannelRefused (other 4xx,
redirects, an unusable answer) may not.
"""

import http.client
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from .fields import product_listing_payload
from .signing import signature_headers

USER_AGENT = "cds-marketplace-channel-connector/1"
RESPONSE_MAX_BYTES = 1024 * 1024
RETRY_AFTER_MAX = 24 * 3600
EXTERNAL_SKU_MAX = 100
LISTING_URL_MAX = 200


class ChannelError(Exception):
    """A call that did not succeed; `status` is the HTTP status when there was an answer."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status


class ChannelTemporaryError(ChannelError):
    """Worth retrying: a timeout, a connection error, a 5xx or a 429 (with its Retry-After)."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: int | None = None):
        super().__init__(message, status=status)
        self.retry_after = retry_after


class ChannelRefused(ChannelError):
    """Not worth retrying: the channel refused the request (4xx) or answered unusably."""


@dataclass(frozen=True)
class ChannelAnswer:
    status: int
    data: dict


@dataclass(frozen=True)
class PushedListing:
    external_sku: str
    listing_url: str
    status: int


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirected POST would lose its body or go to another host with our key: refuse it.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _retry_after(value: str | None) -> int | None:
    if value and value.strip().isdigit():
        return min(int(value.strip()), RETRY_AFTER_MAX)
    return None


def _error_text(body: bytes) -> str:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return body[:200].decode("utf-8", "replace").strip()
    if isinstance(data, dict):
        for key in ("message", "error", "detail"):
            if isinstance(data.get(key), str):
                return data[key][:200]
    return ""


class ChannelConnector:
    """A client for one channel's API. Makes one request per call: retries are the task's."""

    def __init__(self, *, base_url: str, api_key: str, secret: str, timeout: float):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.secret = secret
        self.timeout = timeout
        self._opener = urllib.request.build_opener(_NoRedirect)

    @classmethod
    def for_channel(cls, channel) -> "ChannelConnector":
        return cls(
            base_url=channel.api_base_url,
            api_key=channel.api_key,
            secret=channel.webhook_secret,
            timeout=channel.timeout_seconds,
        )

    # -- operations -----------------------------------------------------------------------

    def push_listing(self, product, *, idempotency_key: str) -> PushedListing:
        """Creates (or, for the same SKU, returns) the product's listing on the channel."""
        answer = self._request(
            "POST", "/listings", product_listing_payload(product), idempotency_key
        )
        external_sku = answer.data.get("external_sku")
        listing_url = answer.data.get("listing_url")
        if not isinstance(external_sku, str) or not external_sku.strip():
            raise ChannelRefused("answer without external_sku", status=answer.status)
        if len(external_sku) > EXTERNAL_SKU_MAX:
            raise ChannelRefused("external_sku too long", status=answer.status)
        if not isinstance(listing_url, str) or not _web_url(listing_url):
            raise ChannelRefused("answer without a usable listing_url", status=answer.status)
        return PushedListing(external_sku.strip(), listing_url, answer.status)

    def update_listing(
        self, *, external_sku: str, price: int, stock: int, idempotency_key: str
    ) -> ChannelAnswer:
        return self._request(
            "PATCH",
            f"/listings/{quote(external_sku, safe='')}",
            {"price": int(price), "stock": int(stock)},
            idempotency_key,
        )

    def delist(self, *, external_sku: str, sku: str, idempotency_key: str) -> ChannelAnswer:
        return self._request(
            "POST",
            f"/listings/{quote(external_sku, safe='')}/delist",
            {"sku": sku},
            idempotency_key,
        )

    # -- transport ------------------------------------------------------------------------

    def _request(self, method: str, path: str, payload: dict, idempotency_key: str):
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
            "Authorization": f"Bearer {self.api_key}",
            "Idempotency-Key": idempotency_key,
            **signature_headers(secret=self.secret, body=body),
        }
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked in the admin)
            self.base_url + path, data=body, headers=headers, method=method
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status = response.status
                raw = response.read(RESPONSE_MAX_BYTES + 1)
        except urllib.error.HTTPError as error:
            status = error.code
            try:
                text = _error_text(error.read(RESPONSE_MAX_BYTES))
            except (OSError, http.client.HTTPException):
                text = ""
            finally:
                error.close()
            message = f"HTTP {status}" + (f": {text}" if text else "")
            if status == 429 or status >= 500:
                raise ChannelTemporaryError(
                    message,
                    status=status,
                    retry_after=_retry_after(error.headers.get("Retry-After")),
                ) from None
            raise ChannelRefused(message, status=status) from None
        except TimeoutError:
            raise ChannelTemporaryError(f"no answer within {self.timeout:g} s (timeout)") from None
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, TimeoutError):
                raise ChannelTemporaryError(
                    f"no answer within {self.timeout:g} s (timeout)"
                ) from None
            raise ChannelTemporaryError(f"connection failed: {reason}") from None
        except (ConnectionError, http.client.HTTPException, OSError) as error:
            raise ChannelTemporaryError(f"connection failed: {error!r}") from None
        if len(raw) > RESPONSE_MAX_BYTES:
            raise ChannelRefused("answer too large", status=status)
        if not raw.strip():
            return ChannelAnswer(status, {})
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise ChannelRefused("answer is not JSON", status=status) from None
        if not isinstance(data, dict):
            raise ChannelRefused("answer is not a JSON object", status=status)
        return ChannelAnswer(status, data)


def _web_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and len(value) <= 200
