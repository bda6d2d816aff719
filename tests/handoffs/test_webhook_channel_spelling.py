"""A channel in the wrong case is refused with the spelling to send instead."""

from __future__ import annotations

from handoffs.models import HandoffSession


def test_it_refuses_an_uppercase_channel_and_names_the_lowercase_one(webhook, phone_body):
    phone_body["channel"] = "PHONE"

    response = webhook.post(phone_body)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_payload"
    assert "'phone'" in error["details"]["channel"]
    assert "lowercase" in error["details"]["channel"]
    assert not HandoffSession.objects.exists()


def test_it_names_the_allowed_channels_for_an_unknown_one(webhook, phone_body):
    phone_body["channel"] = "fax"

    response = webhook.post(phone_body)

    assert response.status_code == 400
    message = response.json()["error"]["details"]["channel"]
    assert "'fax' is not a channel" in message
    assert "web, whatsapp, sms, phone, email" in message
