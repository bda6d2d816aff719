"""Every call needs a bearer token and the organization-id and channel-id headers."""

from __future__ import annotations

import uuid

import pytest

from dataverse_sandbox.messaging import channel


def test_it_answers_401_without_a_token(messaging):
    response = messaging.get("conversations", headers=messaging.headers(Authorization=None))

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401
    assert uuid.UUID(response["x-ms-correlation-id"])


def test_it_answers_30001_for_another_organization_id(messaging):
    headers = messaging.headers(**{"organization-id": str(uuid.uuid4())})

    response = messaging.get("conversations", headers=headers)

    assert response.status_code == 400
    assert response.json()["errorCode"] == 30001


def test_it_answers_30002_without_a_channel_id(messaging):
    response = messaging.get("conversations", headers=messaging.headers(**{"channel-id": None}))

    assert response.status_code == 400
    assert response.json()["errorCode"] == 30002


def test_it_answers_30004_for_an_unknown_channel(messaging):
    headers = messaging.headers(**{"channel-id": str(uuid.uuid4())})

    response = messaging.get("conversations", headers=headers)

    assert response.status_code == 404
    assert response.json()["errorCode"] == 30004


def test_it_answers_30014_when_the_channel_has_no_workstream(messaging, org):
    channel.unlink_workstream(org)

    response = messaging.get("conversations")

    assert response.status_code == 400
    assert response.json()["errorCode"] == 30014


def test_it_answers_401_when_the_token_is_not_the_channels_app(messaging, org, live_chat):
    live_chat.data["msdyn_appid"] = str(uuid.uuid4())
    live_chat.save()

    response = messaging.get("conversations")

    assert response.status_code == 401
    assert "msdyn_appid" in response.json()["detail"]


def test_it_accepts_the_older_x_ms_header_names(messaging):
    headers = {
        "Authorization": f"Bearer {messaging.token}",
        "x-ms-channel-id": messaging.fields["channel_id"],
        "x-ms-organization-id": messaging.fields["org_id"],
    }

    response = messaging.get("conversations", headers=headers)

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("code_in", "where"),
    [("errorCode", "errorCode"), ("title", "title"), ("detail", "detail")],
)
def test_it_places_the_code_where_the_org_switch_says(messaging, org, code_in, where):
    channel.configure(org, error_code_in=code_in)

    body = messaging.get("conversation/not-a-guid/messages").json()

    assert set(body) >= {"type", "title", "status", "detail"}
    assert str(body[where]).startswith("30005")
    assert ("errorCode" in body) == (code_in == "errorCode")
