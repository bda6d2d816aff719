"""Requests that once crashed the webhook: each is now a clear 4xx that stores nothing.

bench/README.md ("Fuzzing the webhook") lists each input's cause.
"""

from __future__ import annotations

import json

import pytest

from handoffs.inbound import signing
from handoffs.models import HandoffEvent, HandoffSession


@pytest.fixture(autouse=True)
def _nothing_stored(db):
    yield
    assert not HandoffSession.objects.exists()
    assert not HandoffEvent.objects.exists()


def _signed(webhook, raw: bytes, **changes: str) -> dict:
    headers = signing.signed_headers(webhook.tenant.webhook_secret, raw)
    return headers | changes


@pytest.mark.parametrize("timestamp", ["1" + "0" * 400, "9" * 5000, "١٧٦٤٠٠٠٠٠٠", "1_764_000_000"])
def test_it_refuses_a_timestamp_that_is_not_unix_seconds(webhook, phone_body, timestamp):
    raw = json.dumps(phone_body).encode()
    headers = {
        signing.TIMESTAMP_HEADER: timestamp,
        signing.SIGNATURE_HEADER: signing.sign(webhook.tenant.webhook_secret, timestamp, raw),
    }

    response = webhook.post(raw, headers=headers)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "stale_timestamp"
    assert "unix seconds in digits" in response.json()["error"]["message"]


@pytest.mark.parametrize("signature", ["v1=é", "v1=" + "ÿ" * 64, "\x85"])
def test_it_refuses_a_signature_with_non_ascii_characters(webhook, phone_body, signature):
    raw = json.dumps(phone_body).encode()

    response = webhook.post(raw, headers=_signed(webhook, raw, **{"X-OpenCX-Signature": signature}))

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_signature"


@pytest.mark.parametrize("length", ["abc", "-1", "1e3", "+12", "9" * 5000])
def test_it_answers_400_for_a_content_length_that_is_not_a_size(webhook, phone_body, length):
    raw = json.dumps(phone_body).encode()

    response = webhook.client.generic(
        "POST",
        webhook.url,
        raw,
        content_type="application/json",
        headers=_signed(webhook, raw),
        CONTENT_LENGTH=length,
    )

    expected = 413 if length.isdigit() else 400
    assert response.status_code == expected
    assert response.json()["error"]["code"] in {"invalid_request", "payload_too_large"}
    if expected == 400:
        assert "Content-Length" in response.json()["error"]["message"]


def test_it_answers_json_for_a_host_header_django_refuses(webhook, phone_body):
    raw = json.dumps(phone_body).encode()

    response = webhook.post(raw, headers=_signed(webhook, raw, Host="evil.example\x07"))

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "invalid_request"


@pytest.mark.parametrize("key", ["%00", "key%00", "k%0Ae%1By", "x" * 65])
def test_it_answers_unknown_webhook_for_a_key_that_cannot_be_one(client, db, key):
    response = client.post(f"/hooks/opencx/{key}/", b"{}", content_type="application/json")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_webhook"


def test_it_answers_400_for_a_status_path_with_a_nul(webhook):
    path = f"/hooks/opencx/{webhook.tenant.webhook_key}/sessions/a%00b"
    headers = signing.signed_headers(webhook.tenant.webhook_secret, path.encode())

    response = webhook.client.get(path, headers=headers)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_session_id"


@pytest.mark.parametrize(
    "fragment",
    [
        '"channel": ' + "[" * 600 + "]" * 600,
        '"transcript": [{"role": "customer", "text": "hi", "timestamp": '
        + "[" * 600
        + "]" * 600
        + "}]",
        '"metadata": ' + '{"a":' * 600 + "1" + "}" * 600,
    ],
)
def test_it_refuses_values_nested_deeper_than_64_levels(webhook, fragment):
    raw = ('{"session_id": "s1", "channel": "phone", ' + fragment + "}").encode()

    response = webhook.post(raw)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_payload"
    assert any("at most 64 levels" in message for message in error["details"].values())


def test_it_refuses_a_number_longer_than_python_can_print(webhook):
    raw = b'{"session_id": "s1", "channel": "phone", "metadata": {"n": ' + b"9" * 4301 + b"}}"

    response = webhook.post(raw)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_json"
    assert "send long numbers as strings" in error["message"]
    assert "set_int_max_str_digits" not in error["message"]
