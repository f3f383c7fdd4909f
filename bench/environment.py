"""The environment of every child process: production settings inside a throwaway directory."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# Unset so the bench needs no Redis, no broker, no Elasticsearch, and production checks pass.
UNSET = ("DEBUG", "REDIS_URL", "CELERY_BROKER_URL", "ELASTICSEARCH_URL")


def child_env(tmp: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in UNSET}
    paths = [str(REPO), str(REPO / "site"), env.get("PYTHONPATH", "")]
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=secrets.token_urlsafe(48),  # 64 characters
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
        MEDIA_ROOT=str(tmp / "media"),
        STATIC_ROOT=str(tmp / "static"),
        SECURE_SSL_REDIRECT="false",
        PYTHONPATH=os.pathsep.join(p for p in paths if p),
    )
    return env


def run(env: dict[str, str], *args: str) -> str:
    """Runs `python <args>` from the repository root; returns stdout, or exits showing output."""
    done = subprocess.run(
        [PYTHON, *args], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"bench: `python {' '.join(args)}` failed ({done.returncode})")
    return done.stdout
