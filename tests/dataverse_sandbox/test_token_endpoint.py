"""The token endpoint answers like Entra ID: real-shaped tokens and AADSTS errors."""

from __future__ import annotations

import base64
import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from dataverse_sandbox import provisioning
from tests.dataverse_sandbox.conftest import Dataverse

ERROR_KEYS = {
    "error",
    "error_description",
    "error_codes",
    "timestamp",
    "trace_id",
    "correlation_id",
}


def claims_of(token: str) -> dict:
    header, payload, signature = token.split(".")
    assert signature
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_it_issues_a_jwt_for_the_environment(dataverse):
    response = dataverse.token_response()

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] > 3000
    claims = claims_of(body["access_token"])
    assert claims["aud"] == dataverse.fields["environment_url"]
    assert claims["tid"] == dataverse.fields["azure_tenant_id"]
    assert claims["appid"] == dataverse.fields["client_id"]
    assert claims["oid"] and claims["exp"] > time.time() + 3000


@pytest.mark.parametrize(
    ("overrides", "status", "error", "code"),
    [
        ({"tenant": "11111111-1111-1111-1111-111111111111"}, 400, "invalid_request", 90002),
        ({"client_id": "22222222-2222-2222-2222-222222222222"}, 400, "unauthorized_client", 700016),
        ({"client_secret": "not-the-value"}, 401, "invalid_client", 7000215),
        ({"client_secret": ""}, 401, "invalid_client", 7000218),
        ({"scope": "https://other.crm.dynamics.com/.default"}, 400, "invalid_resource", 500011),
        ({"scope": "http://testserver/sandbox/contoso"}, 400, "invalid_scope", 1002012),
    ],
)
def test_it_refuses_bad_credentials_with_entra_errors(dataverse, overrides, status, error, code):
    response = dataverse.token_response(**overrides)

    assert response.status_code == status
    body = response.json()
    assert set(body) >= ERROR_KEYS
    assert body["error"] == error
    assert body["error_codes"] == [code]
    assert body["error_description"].startswith(f"AADSTS{code}: ")
    assert dataverse.fields["client_secret"] not in response.content.decode()


def test_it_refuses_an_expired_secret(client, org):
    app = provisioning.add_app(org, "Old app", secret_expires_at=timezone.now() - timedelta(days=1))
    response = Dataverse(client, org, app).token_response()

    assert response.status_code == 401
    assert response.json()["error_codes"] == [7000222]


def test_it_counts_token_requests(dataverse, org):
    dataverse.token_response()
    dataverse.token_response(client_secret="wrong")

    assert provisioning.request_count(org, kind="token") == 2
    assert provisioning.request_count(org) == 0
