"""Text no database can store (NUL, lone surrogates) is refused by name, never a server error."""

from __future__ import annotations

import pytest

from handoffs.models import HandoffEvent, HandoffSession


@pytest.mark.parametrize(
    ("fragment", "field"),
    [
        ('"customer": {"name": "Ana\\u0000Lima"}', "customer.name"),
        ('"transcript": [{"role": "customer", "text": "hi \\ud800"}]', "transcript[0].text"),
        ('"metadata": {"tags": ["ok", "bad\\u0000"]}', "metadata.tags[1]"),
        ('"metadata": {"key\\u0000": 1}', "metadata"),
    ],
)
def test_it_refuses_text_that_cannot_be_stored(webhook, fragment, field):
    raw = ('{"session_id": "s1", "channel": "phone", ' + fragment + "}").encode()

    response = webhook.post(raw)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_payload"
    assert "NUL" in error["details"][field]
    assert not HandoffSession.objects.exists()
    assert not HandoffEvent.objects.exists()
