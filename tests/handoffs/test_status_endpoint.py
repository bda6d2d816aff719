"""OpenCX reads a session's Dynamics references back with a signed GET."""

from __future__ import annotations

import uuid
from urllib.parse import quote

import pytest

from handoffs.inbound import signing
from handoffs.models import HandoffSession


def test_it_answers_the_references_stored_on_the_session(webhook, phone_body):
    webhook.post(phone_body)
    incident_id = uuid.uuid4()
    HandoffSession.objects.filter(session_id="sess-phone-1").update(
        status="done",
        target="incident",
        dynamics365_incident_id=incident_id,
        dynamics365_ticket_number="CAS-01001-X7K2P9",
        record_url="https://acme.crm.dynamics.com/main.aspx?etn=incident",
    )

    response = webhook.status("sess-phone-1")

    assert response.status_code == 200
    document = response.json()
    assert document["status"] == "done"
    assert document["target"] == "incident"
    assert document["dynamics365_incident_id"] == str(incident_id)
    assert document["dynamics365_ticket_number"] == "CAS-01001-X7K2P9"
    assert document["dynamics365_chat_id"] is None
    assert document["error"] is None
    assert set(document) == {
        "session_id",
        "channel",
        "status",
        "target",
        "dynamics365_incident_id",
        "dynamics365_ticket_number",
        "dynamics365_chat_id",
        "dynamics365_contact_id",
        "record_url",
        "error",
        "updated_at",
    }


def test_it_shows_the_error_of_a_failed_session(
    webhook, phone_body, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        webhook.post(phone_body)

    document = webhook.status("sess-phone-1").json()

    assert document["status"] == "failed"
    assert document["error"]["code"] == "integration_not_configured"


def test_it_refuses_an_unsigned_status_request(webhook, phone_body):
    webhook.post(phone_body)

    response = webhook.client.get(
        f"/hooks/opencx/{webhook.tenant.webhook_key}/sessions/sess-phone-1"
    )

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "missing_signature"


def test_it_refuses_a_signature_made_for_another_path(webhook, phone_body):
    webhook.post(phone_body)
    headers = signing.signed_headers(webhook.tenant.webhook_secret, b"/some/other/path")

    response = webhook.client.get(
        f"/hooks/opencx/{webhook.tenant.webhook_key}/sessions/sess-phone-1", headers=headers
    )

    assert response.status_code == 401


def test_it_answers_404_for_an_unknown_session(webhook):
    response = webhook.status("never-sent")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_session"


@pytest.mark.parametrize("encode", [lambda s: s, lambda s: quote(s, safe="")])
def test_it_accepts_the_path_signed_encoded_or_decoded(
    webhook, phone_body, django_capture_on_commit_callbacks, encode
):
    phone_body["session_id"] = "chat/42 Zoë"
    webhook.post(phone_body)
    path = f"/hooks/opencx/{webhook.tenant.webhook_key}/sessions/{quote('chat/42 Zoë', safe='')}"
    signed = f"/hooks/opencx/{webhook.tenant.webhook_key}/sessions/{encode('chat/42 Zoë')}"
    headers = signing.signed_headers(webhook.tenant.webhook_secret, signed.encode())

    response = webhook.client.get(path, headers=headers)

    assert response.status_code == 200
    assert response.json()["session_id"] == "chat/42 Zoë"
