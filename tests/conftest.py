"""Shared fixtures: tenants, signed webhook calls, sample bodies."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.test import Client

from handoffs import signing, tenants
from handoffs.models import Tenant
from handoffs.samples import sample_handoff

FIXTURES = Path(__file__).resolve().parent / "fixtures"

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def load_fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
def tenant(db) -> Tenant:
    return tenants.create_tenant("acme", "Acme")


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


@pytest.fixture
def webhook(client: Client, tenant: Tenant) -> WebhookClient:
    return WebhookClient(client, tenant)
