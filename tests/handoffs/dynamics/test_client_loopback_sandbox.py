"""A loopback stand-in with a path prefix works for both the authority and the Web API."""

from __future__ import annotations

import pytest
import responses

from handoffs.dynamics.client import client_for, forget_client
from handoffs.models import DynamicsConnection
from tests.handoffs.dynamics.fakes import AZURE_TENANT, CLIENT_ID

BASE = "http://127.0.0.1:8123/sandbox/acme"
LOGIN = f"{BASE}/login/{AZURE_TENANT}"


@pytest.fixture
def sandbox_connection(tenant) -> DynamicsConnection:
    connection = DynamicsConnection.objects.create(
        tenant=tenant,
        azure_tenant_id=AZURE_TENANT,
        client_id=CLIENT_ID,
        client_secret="sandbox-secret",
        environment_url=BASE,
        authority_host=f"{BASE}/login",
    )
    yield connection
    forget_client(connection.pk)


@responses.activate
def test_it_talks_plain_http_to_a_loopback_stand_in(sandbox_connection):
    responses.get(
        f"{LOGIN}/v2.0/.well-known/openid-configuration",
        json={
            "issuer": f"https://127.0.0.1:8123/sandbox/acme/login/{AZURE_TENANT}/v2.0",
            "authorization_endpoint": f"https://127.0.0.1:8123/sandbox/acme/login/{AZURE_TENANT}/oauth2/v2.0/authorize",
            "token_endpoint": f"https://127.0.0.1:8123/sandbox/acme/login/{AZURE_TENANT}/oauth2/v2.0/token",
        },
    )
    token = responses.post(
        f"{LOGIN}/oauth2/v2.0/token",
        json={"token_type": "Bearer", "expires_in": 3599, "access_token": "sandbox-token"},
    )
    whoami = responses.get(f"{BASE}/api/data/v9.2/WhoAmI", json={"UserId": "u"})

    assert client_for(sandbox_connection).get("WhoAmI") == {"UserId": "u"}

    assert (
        "scope=http%3A%2F%2F127.0.0.1%3A8123%2Fsandbox%2Facme%2F.default"
        in token.calls[0].request.body
    )
    assert whoami.calls[0].request.headers["Authorization"] == "Bearer sandbox-token"
