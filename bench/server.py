"""gunicorn on a free loopback port, for the duration of a with-block."""

import contextlib
import http.client
import socket
import subprocess
import time
from pathlib import Path

from bench.environment import PYTHON, REPO
from bench.loadgen import HOST

READY_URL = "/_bench/trivial"
APP = "portal.wsgi:application"
WORKERS = 2  # every benchmark's server: one sync worker per core of the 2-core bench machine


def gunicorn_options(workers: int) -> list[str]:
    """The worker model every benchmark uses: sync workers, one request at a time each."""
    return ["--workers", str(workers), "--threads", "1", "--worker-class", "sync"]


def gunicorn_describe(workers: int) -> str:
    options = " ".join(gunicorn_options(workers))
    return f"gunicorn {APP} {options} (defaults: backlog 2048, timeout 30 s), on {HOST}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _answers(port: int) -> bool:
    conn = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        conn.request("GET", READY_URL)
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log: Path, workers: int, timeout: float = 60):
    """Yields the port of a running gunicorn; stops it (terminate, then kill) on the way out."""
    port = free_port()
    args = [APP, "--bind", f"{HOST}:{port}", *gunicorn_options(workers)]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", *args], cwd=REPO, env=env, stdout=out, stderr=out
        )
    try:
        deadline = time.monotonic() + timeout
        while not _answers(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
