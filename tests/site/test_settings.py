"""Production settings refuse unsafe values; with safe ones `check --deploy` is clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAFE_KEY = "k3y-" + "x7Qp9sVb2LmN4rT8wZ1cY6uH0jF5dGkE3aS" * 2
DATA_KEY = "pd-" + "Hq4Zt8Lw2Ns6Vb0Xc3Mk7Rj1Fy5Dg9Pa" * 2


def run_manage(*args, **env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "PERSONAL_DATA_KEY",
            "DJANGO_SETTINGS_MODULE",
        }
    }
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.production", **env_overrides)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "cds.example.vn"}, "SECRET_KEY is missing or insecure"),
        (
            {"ALLOWED_HOSTS": "cds.example.vn", "SECRET_KEY": "django-insecure-" + "a1b2c3" * 10},
            "SECRET_KEY is missing or insecure",
        ),
        ({"ALLOWED_HOSTS": "cds.example.vn", "SECRET_KEY": "short"}, "SECRET_KEY"),
        (
            {"ALLOWED_HOSTS": "cds.example.vn", "SECRET_KEY": SAFE_KEY, "DEBUG": "true"},
            "DEBUG must be off",
        ),
        ({"SECRET_KEY": SAFE_KEY, "PERSONAL_DATA_KEY": DATA_KEY}, "ALLOWED_HOSTS must name"),
        ({"ALLOWED_HOSTS": "cds.example.vn", "SECRET_KEY": SAFE_KEY}, "PERSONAL_DATA_KEY must"),
        (
            {"ALLOWED_HOSTS": "x.vn", "SECRET_KEY": SAFE_KEY, "PERSONAL_DATA_KEY": SAFE_KEY},
            "PERSONAL_DATA_KEY must",
        ),
    ],
)
def test_production_refuses_unsafe_configuration(env, message):
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_check_deploy_is_clean():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=SAFE_KEY,
        PERSONAL_DATA_KEY=DATA_KEY,
        ALLOWED_HOSTS="cds.example.vn",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout
