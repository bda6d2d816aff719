"""The Dynamics webhook accepts only bearer tokens Entra ID issued to the channel's app."""

from __future__ import annotations

import time

import pytest

from handoffs.models import HandoffEvent
from tests.handoffs.dynamics.fakes import CLIENT_ID
from tests.handoffs.livechat.webhook_helpers import V1_ISSUER, Directory, new_key, post_activity

OWN_TENANT = "99999999-8888-4777-8666-555555555555"
OWN_CLIENT = "44444444-3333-4222-8111-000000000000"

CONVERSATION = "d1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f5a"
ACCEPTED = {"type": "message", "conversation": {"id": CONVERSATION}, "name": "AgentAccepted",
            "text": "EventName: **_AgentAccepted_**"}  # fmt: skip


def recorded() -> int:
    return HandoffEvent.objects.filter(kind=HandoffEvent.Kind.DYNAMICS_ACTIVITY).count()


@pytest.mark.parametrize(
    "changes",
    [
        {},  # version 2.0, audience the client id
        {"aud": f"api://{CLIENT_ID}"},
        {"iss": V1_ISSUER, "azp": None, "appid": CLIENT_ID, "ver": "1.0"},
    ],
    ids=["v2", "app-id-uri", "v1"],
)
def test_it_accepts_tokens_the_directory_issued_to_the_app(client, live_chat, directory, changes):
    response = post_activity(client, live_chat, CONVERSATION, ACCEPTED, directory.token(**changes))

    assert response.status_code == 200


def test_it_accepts_the_configured_application_id_uri(client, live_chat, directory):
    live_chat.app_id_uri = "https://contoso.example/opencx-live-chat"
    live_chat.save()
    token = directory.token(aud="https://contoso.example/opencx-live-chat")

    assert post_activity(client, live_chat, CONVERSATION, ACCEPTED, token).status_code == 200


@pytest.mark.parametrize(
    "changes",
    [
        {"aud": "00000000-0000-0000-0000-00000000abcd"},
        {"iss": "https://login.microsoftonline.com/another-tenant/v2.0"},
        {"exp": int(time.time()) - 600, "iat": int(time.time()) - 4000},
        {"azp": "00000000-0000-0000-0000-00000000abcd"},
        {"tid": "00000000-0000-0000-0000-00000000beef"},
    ],
    ids=["audience", "issuer", "expired", "other-app", "other-directory"],
)
def test_it_refuses_tokens_not_meant_for_the_app(client, live_chat, directory, changes):
    response = post_activity(client, live_chat, CONVERSATION, ACCEPTED, directory.token(**changes))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "invalid_token"


def test_it_refuses_a_token_signed_with_another_key(client, live_chat, directory):
    forged = directory.token(key=new_key())

    assert post_activity(client, live_chat, CONVERSATION, ACCEPTED, forged).status_code == 401


def test_it_refuses_a_request_without_a_token(client, live_chat, directory):
    response = post_activity(client, live_chat, CONVERSATION, ACCEPTED, None)

    assert response.status_code == 401
    assert recorded() == 0


def test_it_reads_the_published_keys_once(client, live_chat, directory):
    for _ in range(3):
        post_activity(client, live_chat, CONVERSATION, ACCEPTED, directory.token())

    assert len(directory.discovery.calls) == 1
    assert directory.key_fetches() == 1


def test_it_follows_a_key_rollover(client, live_chat, directory, monkeypatch):
    from handoffs.livechat import webhook_auth

    post_activity(client, live_chat, CONVERSATION, ACCEPTED, directory.token())
    directory.key = new_key()
    directory.mock.replace("GET", directory.jwks_uri, json=directory.jwks(kid="key-2"))
    monkeypatch.setattr(webhook_auth, "REFRESH_AFTER", 0)

    response = post_activity(
        client, live_chat, CONVERSATION, ACCEPTED, directory.token(kid="key-2")
    )

    assert response.status_code == 200
    assert directory.key_fetches() == 2


def test_it_answers_503_while_the_keys_cannot_be_read(client, live_chat, directory):
    directory.mock.replace("GET", directory.discovery.url, status=503, body="")

    response = post_activity(client, live_chat, CONVERSATION, ACCEPTED, directory.token())

    assert response.status_code == 503


def test_it_answers_404_for_an_unknown_channel_key(client, live_chat, directory):
    live_chat.channel_key = "another-key"

    response = post_activity(client, live_chat, CONVERSATION, ACCEPTED, directory.token())

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_channel"


def test_it_takes_only_post(client, live_chat):
    url = f"/hooks/dynamics/{live_chat.channel_key}/v3/conversations/{CONVERSATION}/activities"

    assert client.get(url).status_code == 405
    assert client.get(f"/hooks/dynamics/{live_chat.channel_key}").status_code == 404


def test_it_checks_tokens_against_the_channels_own_app(client, live_chat, directory):
    own = Directory(directory.mock, tenant=OWN_TENANT, client_id=OWN_CLIENT)
    live_chat.own_app = True
    live_chat.azure_tenant_id, live_chat.client_id = OWN_TENANT, OWN_CLIENT
    live_chat.client_secret = "own-app-secret"
    live_chat.save()

    assert post_activity(client, live_chat, CONVERSATION, ACCEPTED, own.token()).status_code == 200
    dataverse_app = directory.token()
    assert (
        post_activity(client, live_chat, CONVERSATION, ACCEPTED, dataverse_app).status_code == 401
    )
