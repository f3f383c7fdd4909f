"""The environment of every child process: production settings inside a throwaway directory.

The contest and ranking benchmarks also need PostgreSQL (BENCH_DATABASE_URL: a database the
bench creates and drops) and Redis (BENCH_REDIS_URL: one database the bench flushes, so it is
deliberately not the application's REDIS_URL).
"""

import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.report import step

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# Unset so the bench needs no Redis, no broker, no Elasticsearch, and production checks pass.
UNSET = ("DEBUG", "REDIS_URL", "CELERY_BROKER_URL", "ELASTICSEARCH_URL")
# What a fresh site needs before it serves pages like production.
SITE_SETUP = (
    ["migrate", "--noinput"],
    ["collectstatic", "--noinput"],  # the manifest storage needs it
    ["seed_demo", "--allow-production"],
)
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cds_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"


def postgres_url(default: str = DEFAULT_DATABASE_URL) -> str:
    """BENCH_DATABASE_URL, else the benchmark's own `default` database."""
    return os.environ.get("BENCH_DATABASE_URL") or default


def env_numbers(name: str, default: tuple[int, ...]) -> list[int]:
    """Positive whole numbers from a comma-separated variable ("10_000,100000"), else `default`."""
    value = os.environ.get(name, "")
    numbers = [int(v.replace("_", "")) for v in value.split(",") if v.strip()]
    return [max(1, n) for n in numbers] or list(default)


def redis_url() -> str:
    return os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)


def _server(url: str):
    """A connection to the server's maintenance database, and the bench database's name."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(url)
    name = params.pop("dbname", "") or "cds_bench"
    params.update(dbname="postgres", connect_timeout=3)
    return psycopg.connect(**params, autocommit=True), name


def postgres_problem(url: str) -> str | None:
    """None when PostgreSQL answers at url's server; otherwise why not."""
    try:
        conn, _name = _server(url)
    except Exception as exc:  # any failure means: skip the benchmark
        return f"{type(exc).__name__}: {' '.join(str(exc).split())}"
    conn.close()
    return None


def postgres_version(url: str) -> str:
    conn, _name = _server(url)
    with conn:
        return conn.execute("SHOW server_version").fetchone()[0]


@contextlib.contextmanager
def postgres_database(url: str):
    """Creates url's database afresh (dropping a leftover one) and drops it on the way out."""
    from psycopg import sql

    conn, name = _server(url)
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with conn:
        conn.execute(drop)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield name
        finally:
            conn.execute(drop)


def redis_client(url: str):
    """A client for url's Redis database, or None when it does not answer."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)
    try:
        client.ping()
    except redis.RedisError:
        return None
    return client


def child_env(tmp: Path, **overrides: str) -> dict[str, str]:
    """Production settings on a SQLite file in `tmp`; `overrides` replace or add variables
    (e.g. DATABASE_URL and REDIS_URL for the PostgreSQL benchmarks)."""
    env = {name: value for name, value in os.environ.items() if name not in UNSET}
    paths = [str(REPO), str(REPO / "site"), env.get("PYTHONPATH", "")]
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=secrets.token_urlsafe(48),  # 64 characters
        PERSONAL_DATA_KEY=secrets.token_urlsafe(32),  # 43 characters, production requires 32+
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
        MEDIA_ROOT=str(tmp / "media"),
        STATIC_ROOT=str(tmp / "static"),
        SECURE_SSL_REDIRECT="false",
        PYTHONPATH=os.pathsep.join(p for p in paths if p),
    )
    env.update(overrides)
    return env


def run(env: dict[str, str], *args: str, progress: bool = False) -> str:
    """Runs `python <args>` from the repository root; returns stdout, or exits showing output.

    With progress=True the child's stderr goes straight to ours (long steps report as they go).
    """
    done = subprocess.run(
        [PYTHON, *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=None if progress else subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + (done.stderr or ""))
        raise SystemExit(f"bench: `python {' '.join(args)}` failed ({done.returncode})")
    return done.stdout


@contextlib.contextmanager
def bench_site(url: str, *, prefix: str, redis=None, **extra: str):
    """A fresh PostgreSQL database at `url` with a production-like site on it (see
    `site_prepare`), for one benchmark; yields (child environment, temporary folder). With
    `redis`, the site uses it as cache and broker, and that Redis database is flushed before and
    after. The database and the folder are dropped at the end."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    extra = {"PRIVATE_ROOT": str(tmp / "private"), **extra}
    if redis is not None:
        extra.update(REDIS_URL=redis_url(), CELERY_BROKER_URL=redis_url())
        redis.flushdb()
    try:
        with postgres_database(url):
            env = child_env(tmp, DATABASE_URL=url, **extra)
            site_prepare(env)
            yield env, tmp
    finally:
        if redis is not None:
            redis.flushdb()
        shutil.rmtree(tmp, ignore_errors=True)


def site_prepare(env: dict[str, str]) -> None:
    """A production-like site on the child environment's database: migrate, collectstatic."""
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        step(f"manage.py {' '.join(command)}")
        run(env, "manage.py", *command)
