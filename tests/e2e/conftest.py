"""End-to-end fixtures: a live server, a real `qcluster` worker process, a sandbox-backed tenant.

The worker runs the production settings module against the very database pytest-django created,
so what it writes is what the test reads. The test process only enqueues (django-q's sync mode
is switched off while the worker runs).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from dataverse_sandbox import provisioning
from dataverse_sandbox.models import Org
from handoffs.inbound import signing
from handoffs.models import HandoffSession, Tenant
from handoffs.outbound import http
from handoffs.tenancy import tenants

BASE_DIR = Path(settings.BASE_DIR)
FINISHED = frozenset({HandoffSession.Status.DONE, HandoffSession.Status.FAILED})


def database_url() -> str:
    """A DATABASE_URL naming the test database pytest-django created (not the default one)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}{db.get('HOST') or 'localhost'}{port}/{db['NAME']}"


def worker_environment(base_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "opencx_integration.settings",
        "DEBUG": "true",
        "DATAVERSE_SANDBOX": "true",
        "ALLOW_LOOPBACK_DYNAMICS_URLS": "true",
        "DATABASE_URL": database_url(),
        "PUBLIC_BASE_URL": base_url,
        "Q_WORKERS": os.environ.get("E2E_Q_WORKERS", "2"),
        "PYTHONUNBUFFERED": "1",
    }


def stop(process: subprocess.Popen) -> None:
    """SIGTERM lets qcluster finish and close its connections; SIGKILL if it hangs."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    # The worker's own children share its process group: none may outlive the test.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def qcluster(live_server, transactional_db, monkeypatch, tmp_path) -> Iterator[subprocess.Popen]:
    """A real `manage.py qcluster` on the test database, stopped at teardown."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)
    log_path = tmp_path / "qcluster.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", "qcluster"],
            cwd=BASE_DIR,
            env=worker_environment(live_server.url),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        time.sleep(0.5)
        if process.poll() is not None:
            pytest.fail(f"qcluster exited at once:\n{log_path.read_text()}")
        yield process
    finally:
        stop(process)
        # Connections the live server threads left open would block PostgreSQL's flush.
        connection.close()


@dataclass
class SandboxTenant:
    """A tenant connected to a sandbox org served by the live server."""

    tenant: Tenant
    org: Org
    base_url: str

    @property
    def webhook_url(self) -> str:
        return f"{self.base_url}/hooks/opencx/{self.tenant.webhook_key}/"

    def send(self, body: dict) -> int:
        """POST a handoff signed as OpenCX signs it; return the HTTP status."""
        raw = json.dumps(body).encode()
        headers = signing.signed_headers(self.tenant.webhook_secret, raw)
        response, _ = http.post_json("e2e-webhook", self.webhook_url, raw, headers)
        return response.status_code

    def wait(self, session_id: str, timeout: float = 90.0) -> HandoffSession:
        """The session once it is done or failed (the worker decides, we only poll)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            session = HandoffSession.objects.filter(
                tenant=self.tenant, session_id=session_id
            ).first()
            if session is not None and session.status in FINISHED:
                return session
            time.sleep(0.25)
        status = session.status if session else "not received"
        pytest.fail(f"session {session_id} still {status} after {timeout} s")

    def rows(self, entity: str) -> list:
        return provisioning.rows(self.org, entity)


def connect_to_sandbox(base_url: str, slug: str, **org_options: object) -> SandboxTenant:
    org = provisioning.create_org(f"{slug}-org", **org_options)
    tenant = tenants.create_tenant(slug, slug.title())
    tenants.connect(tenant, **provisioning.connection_fields(org, base_url))
    return SandboxTenant(tenant, org, base_url)


@pytest.fixture
def sandbox_tenant(live_server, transactional_db) -> SandboxTenant:
    """Tenant "e2e" connected to sandbox org "e2e-org" at the live server's address."""
    return connect_to_sandbox(live_server.url, "e2e")
