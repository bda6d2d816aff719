"""A session id with control characters (log forging, terminal escapes) is refused by name."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from handoffs.inbound import signing
from handoffs.models import HandoffEvent, HandoffSession

FORGERIES = [
    ("sess-1\n2026-11-23 14:00:00,000 INFO handoffs forged line", "U+000A"),
    ("sess-1\r", "U+000D"),
    ("sess\x1b[2J\x1b[H", "U+001B"),
    ("sess\x00", "U+0000"),
    ("sess\x7f", "U+007F"),
    ("sess\x85next", "U+0085"),
    ("sess\x9b31m", "U+009B"),
    ("sess\u2028next", "U+2028"),
    ("sess\u2029next", "U+2029"),
    ("sess\tid", "U+0009"),
]


@pytest.mark.parametrize(("session_id", "named"), FORGERIES)
def test_it_refuses_a_session_id_with_a_control_character(webhook, phone_body, session_id, named):
    phone_body["session_id"] = session_id

    response = webhook.post(phone_body)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_payload"
    assert f"control character {named}" in error["details"]["session_id"]
    assert not HandoffSession.objects.exists()
    assert not HandoffEvent.objects.exists()


def test_it_still_accepts_non_ascii_session_ids(webhook, phone_body):
    phone_body["session_id"] = "chat/42 Zoë 😀"

    assert webhook.post(phone_body).status_code == 202


@pytest.mark.parametrize("session_id", ["a\nb", "a\x1bb", "a\u2028b", "a\x00b"])
def test_it_answers_400_for_a_status_path_with_a_control_character(webhook, session_id):
    path = f"/hooks/opencx/{webhook.tenant.webhook_key}/sessions/{quote(session_id, safe='')}"
    headers = signing.signed_headers(webhook.tenant.webhook_secret, path.encode())

    response = webhook.client.get(path, headers=headers)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_session_id"
    assert "control character" in error["details"]["session_id"]
