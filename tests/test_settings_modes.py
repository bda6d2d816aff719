"""Production refuses to start without its secrets and passes Django's deploy checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Only what a real deployment would set: not the test run's own switches.
    ignored = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in ignored}
    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "DATAVERSE_SANDBOX", "DEBUG"):
        clean.pop(name, None)
    clean.pop("ALLOW_LOOPBACK_DYNAMICS_URLS", None)
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_start_in_production_without_keys():
    result = manage("check", DEBUG="false")

    assert result.returncode != 0
    assert "needs SECRET_KEY, FIELD_ENCRYPTION_KEYS" in result.stderr


def test_it_passes_the_deploy_checks_when_configured():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="x" * 20 + "-production-grade-secret-key-for-checks-" + "y" * 20,
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="handoff.example.com",
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_the_sandbox_in_production():
    result = manage(
        "check",
        DEBUG="false",
        SECRET_KEY="k" * 60,
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        DATAVERSE_SANDBOX="true",
    )

    assert result.returncode != 0
    assert "development only" in result.stderr


def test_it_runs_with_zero_configuration_and_says_it_uses_dev_keys():
    result = manage("check")

    assert result.returncode == 0, result.stderr
    assert "development mode" in result.stderr
