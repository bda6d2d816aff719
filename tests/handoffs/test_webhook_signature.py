"""The webhook accepts only bodies signed with the tenant's secret, recently."""

from __future__ import annotations

import json
import time

from handoffs.inbound import signing
from handoffs.models import HandoffSession


def test_it_accepts_a_correctly_signed_handoff(webhook, phone_body):
    response = webhook.post(phone_body)

    assert response.status_code == 202
    assert response.json() == {"session_id": "sess-phone-1", "status": "queued"}
    assert HandoffSession.objects.filter(session_id="sess-phone-1").count() == 1


def test_it_refuses_a_request_without_signature_headers(webhook, phone_body):
    response = webhook.post(phone_body, headers={})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "missing_signature"


def test_it_refuses_a_signature_made_with_another_secret(webhook, phone_body):
    response = webhook.post(phone_body, secret="whsec_not-the-right-one")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_signature"


def test_it_refuses_a_body_changed_after_signing(webhook, phone_body):
    raw = json.dumps(phone_body).encode()
    headers = signing.signed_headers(webhook.tenant.webhook_secret, raw)
    tampered = raw.replace(b"Maria", b"Mallory")

    response = webhook.post(tampered, headers=headers)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_signature"


def test_it_refuses_a_timestamp_older_than_five_minutes(webhook, phone_body):
    raw = json.dumps(phone_body).encode()
    headers = signing.signed_headers(webhook.tenant.webhook_secret, raw, now=time.time() - 301)

    response = webhook.post(raw, headers=headers)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "stale_timestamp"


def test_it_refuses_a_timestamp_from_the_future(webhook, phone_body):
    raw = json.dumps(phone_body).encode()
    headers = signing.signed_headers(webhook.tenant.webhook_secret, raw, now=time.time() + 400)

    response = webhook.post(raw, headers=headers)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "stale_timestamp"


def test_it_accepts_a_timestamp_within_the_window(webhook, phone_body):
    raw = json.dumps(phone_body).encode()
    headers = signing.signed_headers(webhook.tenant.webhook_secret, raw, now=time.time() - 250)

    assert webhook.post(raw, headers=headers).status_code == 202


def test_it_refuses_a_timestamp_that_is_not_a_number(webhook, phone_body):
    raw = json.dumps(phone_body).encode()
    headers = signing.signed_headers(webhook.tenant.webhook_secret, raw)
    headers[signing.TIMESTAMP_HEADER] = "yesterday"

    response = webhook.post(raw, headers=headers)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "stale_timestamp"
