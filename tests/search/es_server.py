"""A stand-in Elasticsearch for tests: a local HTTP server that records every request the real
client sends (through its own serialisation) and answers canned JSON.

    with FakeElasticsearch(handler) as server:
        ...  # point ELASTICSEARCH_URL at server.url
        server.requests  # [Recorded(method, path, query, headers, body), ...]

`handler(method, path, body)` returns `(status, json)`; `body` is the request's JSON (a list of
objects for NDJSON, None when empty). `Router` is a handler built from (method, path pattern)
routes. The 9.x client refuses answers without `X-Elastic-Product: Elasticsearch`: every answer
carries it."""

import json
import re
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

CONTENT_TYPE = "application/vnd.elasticsearch+json; compatible-with=9"

Handler = Callable[[str, str, object], tuple[int, object]]


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)

    def ndjson(self) -> list:
        return parse_body(self.body, "ndjson")


def parse_body(body: bytes, content_type: str = ""):
    if not body:
        return None
    if "ndjson" in content_type:
        return [json.loads(line) for line in body.decode("utf-8").splitlines() if line]
    return json.loads(body)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body in one write: no delayed-ACK pause between them.
    wbufsize = -1
    server_version = "FakeElasticsearch/9"
    fake: "FakeElasticsearch"

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        recorded = Recorded(
            method=self.command,
            path=unquote(parts.path),
            query=parse_qs(parts.query),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        self.fake.requests.append(recorded)
        try:
            status, answer = self.fake.handler(
                recorded.method, recorded.path, parse_body(body, self.headers["Content-Type"] or "")
            )
        except Exception as error:  # noqa: BLE001 - reported to the test through `errors`
            self.fake.errors.append(error)
            status, answer = 500, {"error": {"type": "fake_server_error", "reason": repr(error)}}
        payload = b"" if answer is None else json.dumps(answer).encode("utf-8")
        self.send_response(status)
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Type", CONTENT_TYPE)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle


@dataclass
class FakeElasticsearch:
    handler: Handler
    requests: list[Recorded] = field(default_factory=list)
    errors: list[Exception] = field(default_factory=list)

    def __post_init__(self):
        handler_class = type("Handler", (_RequestHandler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> "FakeElasticsearch":
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def find(self, method: str, pattern: str) -> list[Recorded]:
        """The recorded requests of `method` whose path matches `pattern` in full."""
        return [r for r in self.requests if r.method == method and re.fullmatch(pattern, r.path)]


class Router:
    """A handler from routes: `add(method, path_pattern, reply)`, `reply` a (status, json) pair
    or a function of the body giving one. The first matching route answers; a request no route
    matches gets a 400 and is kept in `unmatched`."""

    def __init__(self):
        self.routes: list[tuple[str, re.Pattern, object]] = []
        self.unmatched: list[tuple[str, str]] = []

    def add(self, method: str, pattern: str, reply) -> "Router":
        self.routes.insert(0, (method, re.compile(pattern), reply))
        return self

    def __call__(self, method: str, path: str, body) -> tuple[int, object]:
        for route_method, pattern, reply in self.routes:
            if route_method == method and pattern.fullmatch(path):
                return reply(body) if callable(reply) else reply
        self.unmatched.append((method, path))
        return 400, {"error": {"type": "no_route", "reason": f"{method} {path}"}, "status": 400}


def bulk_reply(body) -> tuple[int, dict]:
    """A successful `_bulk` answer with one item per action of the NDJSON `body`."""
    items, lines = [], iter(body)
    for line in lines:
        ((op, meta),) = line.items()
        if op != "delete":
            next(lines)
        status = 200 if op == "delete" else 201
        items.append({op: {"_index": meta.get("_index"), "_id": meta["_id"], "status": status}})
    return 200, {"took": 1, "errors": False, "items": items}


def index_not_found(index: str) -> tuple[int, dict]:
    error = {"type": "index_not_found_exception", "reason": f"no such index [{index}]"}
    return 404, {"error": {"root_cause": [error], **error}, "status": 404}


def closed_port_url() -> str:
    """The URL of a local port nothing listens on (connections are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
