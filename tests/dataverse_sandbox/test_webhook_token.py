"""Webhook calls carry an RS256 token that verifies against the published keys (PyJWT)."""

from __future__ import annotations

from urllib.parse import urlsplit

import jwt
import pytest

from dataverse_sandbox.messaging import channel, rep
from dataverse_sandbox.messaging.models import Conversation


@pytest.fixture
def accepted(messaging, deliver, receiver):
    """Accept a chat and return the bearer token its webhook call carried."""

    def run() -> str:
        chat = messaging.create("sess-1")["conversationId"]
        deliver(rep.accept, Conversation.objects.get(id=chat))
        scheme, _, token = receiver.received[-1].headers["Authorization"].partition(" ")
        assert scheme == "Bearer"
        return token

    return run


def discover(client, org) -> dict:
    url = f"/sandbox/{org.slug}/login/{org.azure_tenant_id}/v2.0/.well-known/openid-configuration"
    return client.get(url).json()


def published_key(client, discovery: dict, token: str):
    keys = jwt.PyJWKSet.from_dict(client.get(urlsplit(discovery["jwks_uri"]).path).json())
    kid = jwt.get_unverified_header(token)["kid"]
    return next(k for k in keys.keys if k.key_id == kid)


def test_it_verifies_against_the_jwks_the_discovery_document_names(client, org, accepted):
    token = accepted()
    discovery = discover(client, org)
    client_id = channel.live_chat_fields(org)["client_id"]

    claims = jwt.decode(
        token,
        published_key(client, discovery, token),
        algorithms=["RS256"],
        audience=client_id,
        issuer=discovery["issuer"],
    )

    assert claims["tid"] == str(org.azure_tenant_id)
    assert claims["azp"] == client_id
    assert claims["ver"] == "2.0"
    assert claims["nbf"] <= claims["iat"] < claims["exp"]


def test_it_can_address_the_application_id_uri(client, org, accepted):
    channel.configure(org, audience="app_id_uri")
    token = accepted()
    discovery = discover(client, org)
    client_id = channel.live_chat_fields(org)["client_id"]

    claims = jwt.decode(
        token,
        published_key(client, discovery, token),
        algorithms=["RS256"],
        audience=f"api://{client_id}",
        issuer=discovery["issuer"],
    )

    assert claims["aud"] == f"api://{client_id}"


def test_it_can_issue_version_1_tokens(client, org, accepted):
    channel.configure(org, token_version=1)
    token = accepted()

    claims = jwt.decode(token, options={"verify_signature": False})

    assert claims["iss"] == f"https://sts.windows.net/{org.azure_tenant_id}/"
    assert claims["appid"] == channel.live_chat_fields(org)["client_id"]
    assert "azp" not in claims


def test_it_fails_verification_under_another_orgs_keys(client, org, accepted):
    from dataverse_sandbox import provisioning

    other = provisioning.create_org("northwind")
    token = accepted()
    keys = client.get(
        f"/sandbox/northwind/login/{other.azure_tenant_id}/discovery/v2.0/keys"
    ).json()

    key = jwt.PyJWKSet.from_dict(keys).keys[0]
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, key, algorithms=["RS256"], options={"verify_aud": False})


def test_it_refuses_the_keys_of_an_unknown_tenant(client, org):
    response = client.get(
        f"/sandbox/{org.slug}/login/00000000-0000-0000-0000-000000000000/discovery/v2.0/keys"
    )

    assert response.status_code == 400
    assert response.json()["error_codes"] == [90002]
