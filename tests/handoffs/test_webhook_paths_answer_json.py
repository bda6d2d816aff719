"""Every path under the webhook prefix answers JSON; the URL works with or without its slash."""

from __future__ import annotations

import json

import pytest

from handoffs.inbound import signing
from handoffs.models import HandoffSession


def test_it_accepts_the_webhook_url_without_its_trailing_slash(webhook, phone_body):
    raw = json.dumps(phone_body).encode()

    response = webhook.client.generic(
        "POST",
        webhook.url.rstrip("/"),
        raw,
        content_type="application/json",
        headers=signing.signed_headers(webhook.tenant.webhook_secret, raw),
    )

    assert response.status_code == 202
    assert HandoffSession.objects.filter(session_id=phone_body["session_id"]).count() == 1


def test_it_answers_unknown_webhook_json_for_an_unknown_key_without_slash(client, db):
    response = client.post("/hooks/opencx/not-a-key", b"{}", content_type="application/json")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_webhook"


@pytest.mark.parametrize("suffix", ["", "x/y/", "{key}/extra/", "{key}/sessions/"])
def test_it_answers_a_json_404_for_any_other_path(webhook, suffix):
    url = "/hooks/opencx/" + suffix.format(key=webhook.tenant.webhook_key)

    response = webhook.client.post(url, b"{}", content_type="application/json")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert "/hooks/opencx/<webhook_key>/" in error["message"]
