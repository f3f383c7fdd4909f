"""A bounded closed-loop HTTP load generator: N threads, each with its own connection."""

import http.client
import math
import threading
import time
from dataclasses import dataclass

HOST = "127.0.0.1"  # all traffic stays on loopback
IDEMPOTENT = {"GET", "HEAD", "PUT", "DELETE"}


class LoadError(RuntimeError):
    pass


@dataclass
class LoadResult:
    url: str
    latencies: list[float]  # seconds, one per completed request
    wall: float  # seconds from the first request to the last response

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.wall

    def percentile_ms(self, p: float) -> float:
        return percentile(self.latencies, p) * 1000


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def http_request(
    conn: http.client.HTTPConnection,
    method: str,
    url: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """Sends one request; returns (status, headers, body).

    Sync gunicorn workers answer `Connection: close`; http.client then reconnects by itself.
    A connection the server dropped while idle is reopened once, for idempotent methods only.
    """
    for attempt in (1, 2):
        try:
            conn.request(method, url, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            conn.close()
            if attempt == 2 or method not in IDEMPOTENT:
                raise
    raise AssertionError("unreachable")


def _client(port: int, url: str, count: int, latencies: list, errors: list) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        for _ in range(count):
            start = time.perf_counter()
            status, _headers, _body = http_request(conn, "GET", url)
            latencies.append(time.perf_counter() - start)
            if status != 200:
                raise LoadError(f"GET {url} answered {status}, expected 200")
    except Exception as exc:  # reported by load(); a thread cannot raise to its caller
        errors.append(exc)
    finally:
        conn.close()


def load(port: int, url: str, requests: int, concurrency: int) -> LoadResult:
    """Sends `requests` GETs to url from `concurrency` threads; raises on any non-200."""
    latencies: list[float] = []
    errors: list[Exception] = []
    shares = [requests // concurrency + (i < requests % concurrency) for i in range(concurrency)]
    threads = [
        threading.Thread(target=_client, args=(port, url, share, latencies, errors))
        for share in shares
        if share
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    if errors:
        raise LoadError(f"{len(errors)} client(s) failed on {url}: {errors[0]!r}") from errors[0]
    return LoadResult(url, latencies, wall)
