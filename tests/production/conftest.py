"""The production configuration, booted as a deployment runs it: its own PostgreSQL database,
`migrate`, `collectstatic`, gunicorn and a `qcluster` worker, with secrets made for the test.

The commands below are the ones the Dockerfile and compose.yaml run; keep them in step.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
from cryptography.fernet import Fernet

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parent.parent.parent
MIGRATE = ["manage.py", "migrate", "--noinput"]
COLLECTSTATIC = ["manage.py", "collectstatic", "--noinput"]
WORKER = ["manage.py", "qcluster"]
WEB = ["-m", "gunicorn", "opencx_integration.wsgi", "--access-logfile", "-"]
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


def postgres_server_url() -> str:
    """The PostgreSQL server the run already uses (any database on it), else the local one."""
    for name in ("DATABASE_URL", "CI_POSTGRES_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("postgres://", "postgresql://")):
            return url
    return DEFAULT_POSTGRES


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}", query=""))


def admin_connection(server_url: str):
    """An autocommit connection to the server's `postgres` database, to create and drop ours."""
    import psycopg

    return psycopg.connect(
        with_database(server_url, "postgres").replace("postgres://", "postgresql://", 1),
        autocommit=True,
        connect_timeout=3,
    )


@pytest.fixture(scope="module")
def scratch_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this module, dropped afterwards; its DATABASE_URL."""
    import psycopg

    server = postgres_server_url()
    try:
        admin = admin_connection(server)
    except psycopg.OperationalError as exc:
        message = f"PostgreSQL is unreachable at {urlsplit(server).hostname}: {exc}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    name = f"opencx_boot_{os.getpid()}_{secrets.token_hex(3)}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield with_database(server, name)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Deployment:
    """A running production web app and worker, and how to run commands against them."""

    base_url: str
    env: dict[str, str]
    logs: Path

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        """Run `manage.py <args>` with the deployment's environment; fail the test if it fails."""
        result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if result.returncode != 0:
            pytest.fail(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
        return result

    def log(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in self.logs.glob("*.log"))


def production_env(database_url: str, static_root: Path, port: int) -> dict[str, str]:
    """Only what a deployment sets: none of the test run's own switches."""
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="127.0.0.1",
        PUBLIC_BASE_URL=f"https://127.0.0.1:{port}",
        DATABASE_URL=database_url,
        STATIC_ROOT=str(static_root),
        WEB_CONCURRENCY="2",
        Q_WORKERS="1",
        PYTHONUNBUFFERED="1",
    )
    return env


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(  # noqa: S603 - our own interpreter
            [sys.executable, *command],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen) -> None:
    """SIGTERM lets gunicorn and qcluster shut down cleanly; SIGKILL whatever is left."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def wait_until_serving(deployment: Deployment, web: subprocess.Popen) -> None:
    """Poll /healthz until gunicorn answers (bounded: a broken boot fails, never hangs)."""
    for _ in range(100):
        if web.poll() is not None:
            pytest.fail(f"gunicorn exited at once:\n{deployment.log()}")
        with contextlib.suppress(requests.ConnectionError, requests.Timeout):
            if requests.get(f"{deployment.base_url}/healthz", timeout=2).ok:
                return
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer /healthz:\n{deployment.log()}")


@pytest.fixture(scope="module")
def deployment(scratch_database: str, tmp_path_factory) -> Iterator[Deployment]:
    """Migrated, static files collected, gunicorn and one worker running."""
    work = tmp_path_factory.mktemp("production")
    port = free_port()
    env = production_env(scratch_database, work / "static", port)
    deployment = Deployment(f"http://127.0.0.1:{port}", env, work)
    deployment.manage(*MIGRATE[1:])
    deployment.manage(*COLLECTSTATIC[1:])
    web = start([*WEB, "--bind", f"127.0.0.1:{port}"], env, work / "gunicorn.log")
    worker = start(WORKER, env, work / "qcluster.log")
    try:
        wait_until_serving(deployment, web)
        yield deployment
    finally:
        stop(worker)
        stop(web)
