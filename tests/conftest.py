"""Shared fixtures: tenants, signed webhook calls, sample bodies."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
import responses
from django.test import Client
from django.utils import timezone

from handoffs.channels import sample_handoff
from handoffs.dynamics.client import forget_client
from handoffs.inbound import signing
from handoffs.models import DynamicsConnection, Tenant
from handoffs.tenancy import tenants

FIXTURES = Path(__file__).resolve().parent / "fixtures"

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# One Chromium for the whole run (Playwright's sync API allows one at a time); after IN_CI,
# which tests.browser reads.
from tests.browser import browser, page  # noqa: E402,F401


def load_fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
def tenant(db) -> Tenant:
    return tenants.create_tenant("acme", "Acme")


@pytest.fixture
def connection(tenant: Tenant) -> DynamicsConnection:
    """The tenant connected to a (mocked) Dynamics environment, its client cache clean."""
    from tests.handoffs.dynamics.fakes import AZURE_TENANT, CLIENT_ID, CLIENT_SECRET, ENVIRONMENT

    connection = DynamicsConnection.objects.create(
        tenant=tenant,
        azure_tenant_id=AZURE_TENANT,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        environment_url=ENVIRONMENT,
        secret_expires_on=timezone.localdate() + timedelta(days=200),
    )
    forget_client(connection.pk)
    yield connection
    forget_client(connection.pk)


@pytest.fixture
def dynamics():
    """Entra ID and Dataverse answers at the HTTP boundary (tests/handoffs/dynamics/fakes.py)."""
    from tests.handoffs.dynamics.fakes import FakeDynamics

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeDynamics(mock)


@pytest.fixture
def phone_body() -> dict:
    return sample_handoff("phone", "sess-phone-1")


class WebhookClient:
    """Posts bodies to a tenant's webhook the way OpenCX does."""

    def __init__(self, client: Client, tenant: Tenant) -> None:
        self.client = client
        self.tenant = tenant

    @property
    def url(self) -> str:
        return f"/hooks/opencx/{self.tenant.webhook_key}/"

    def post(self, body: dict | bytes, *, secret: str | None = None, headers: dict | None = None):
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        signed = signing.signed_headers(secret or self.tenant.webhook_secret, raw)
        if headers is not None:
            signed = headers
        return self.client.generic(
            "POST",
            self.url,
            raw,
            content_type="application/json",
            headers=signed,
        )

    def status(self, session_id: str, *, secret: str | None = None):
        path = f"/hooks/opencx/{self.tenant.webhook_key}/sessions/{session_id}"
        headers = signing.signed_headers(secret or self.tenant.webhook_secret, path.encode())
        return self.client.get(path, headers=headers)


def refusing_session_writes(times: int):
    """An execute wrapper: the database refuses the first `times` statements that write a
    session, as a deadlock would (whichever statement the intake writes it with)."""
    from django.db import OperationalError

    refused: list[str] = []

    def wrapper(execute, sql, params, many, context):
        writes = sql.lstrip().upper().startswith(("INSERT", "WITH"))
        if writes and "handoffs_handoffsession" in sql and len(refused) < times:
            refused.append(sql)
            raise OperationalError("deadlock detected")
        return execute(sql, params, many, context)

    wrapper.refused = refused
    return wrapper


@pytest.fixture
def webhook(client: Client, tenant: Tenant) -> WebhookClient:
    return WebhookClient(client, tenant)
