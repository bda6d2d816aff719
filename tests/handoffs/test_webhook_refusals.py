"""Every refused request answers the documented JSON error and stores nothing."""

from __future__ import annotations

import json

import pytest

from handoffs.inbound import signing
from handoffs.models import HandoffEvent, HandoffSession


@pytest.fixture(autouse=True)
def _nothing_stored(db):
    yield
    assert HandoffSession.objects.count() == 0
    assert HandoffEvent.objects.count() == 0


def test_it_answers_404_for_an_unknown_webhook_key(client, phone_body):
    raw = json.dumps(phone_body).encode()
    response = client.generic(
        "POST",
        "/hooks/opencx/not-a-key/",
        raw,
        content_type="application/json",
        headers=signing.signed_headers("whatever", raw),
    )

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_webhook"


def test_it_answers_405_for_get(webhook):
    response = webhook.client.get(webhook.url)

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_it_answers_415_when_the_body_is_not_json(webhook, phone_body):
    raw = json.dumps(phone_body).encode()
    response = webhook.client.generic(
        "POST",
        webhook.url,
        raw,
        content_type="text/plain",
        headers=signing.signed_headers(webhook.tenant.webhook_secret, raw),
    )

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_it_answers_413_above_one_mebibyte(webhook, phone_body):
    phone_body["summary"] = "x" * (1024 * 1024)

    response = webhook.post(phone_body)

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_it_answers_400_for_malformed_json(webhook):
    response = webhook.post(b'{"session_id": "s1", "channel": ')

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"


def test_it_answers_400_with_a_message_per_invalid_field(webhook):
    body = {
        "session_id": "",
        "channel": "fax",
        "customer": {"email": 42},
        "transcript": [{"role": "robot", "text": "hi", "timestamp": "not a date"}],
    }

    response = webhook.post(body)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_payload"
    assert set(error["details"]) == {
        "session_id",
        "channel",
        "customer.email",
        "transcript[0].role",
        "transcript[0].timestamp",
    }
    assert "web, whatsapp, sms, phone, email" in error["details"]["channel"]


def test_it_refuses_a_session_id_longer_than_200_characters(webhook, phone_body):
    phone_body["session_id"] = "s" * 201

    response = webhook.post(phone_body)

    assert response.status_code == 400
    assert "at most 200" in response.json()["error"]["details"]["session_id"]


def test_it_refuses_more_than_5000_transcript_messages(webhook, phone_body):
    phone_body["transcript"] = [{"role": "customer", "text": "."}] * 5001

    response = webhook.post(phone_body)

    assert response.status_code == 400
    assert "at most 5000" in response.json()["error"]["details"]["transcript"]


def test_it_refuses_a_body_that_is_not_an_object(webhook):
    response = webhook.post(b"[1, 2, 3]")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_payload"


def test_it_checks_the_signature_before_reading_the_body(webhook):
    response = webhook.post(b"not json at all", secret="whsec_wrong")

    assert response.status_code == 401
