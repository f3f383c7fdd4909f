"""The signature both directions of a channel's API use: `X-Timestamp: <unix seconds>` and
`X-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the channel's secret>`.

Signing the timestamp with the body lets the receiver refuse a replay older than the tolerance.
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Signature"
TIMESTAMP_HEADER = "X-Timestamp"
SIGNATURE_PREFIX = "sha256="
TOLERANCE_SECONDS = 5 * 60


def signature_compute(*, secret: str, timestamp: str, body: bytes) -> str:
    """The value of the X-Signature header for `body` sent at `timestamp`."""
    digest = hmac.new(
        secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256
    ).hexdigest()
    return SIGNATURE_PREFIX + digest


def signature_headers(*, secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    timestamp = str(int(time.time() if now is None else now))
    return {
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature_compute(secret=secret, timestamp=timestamp, body=body),
    }


def signature_valid(
    *,
    secret: str,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """True when the signature matches and the timestamp is within `tolerance` of now (either
    way: clocks drift). Compared in constant time."""
    if not secret or not timestamp or not signature:
        return False
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        return False
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > tolerance:
        return False
    expected = signature_compute(secret=secret, timestamp=timestamp, body=body)
    return hmac.compare_digest(expected.encode("ascii"), signature.strip().encode("utf-8"))
