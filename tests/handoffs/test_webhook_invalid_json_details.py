"""A body that is not JSON answers invalid_json with a message and the parser's details."""

from __future__ import annotations

import pytest

from handoffs.models import HandoffSession


@pytest.mark.parametrize(
    ("raw", "found"),
    [
        (b'{"session_id": "s1", "channel": ', "Expecting value"),
        (b'{"session_id": "\xc3\x28"}', "UTF-8"),
        (b'{"session_id": "s1", "channel": "phone", "metadata": {"x": NaN}}', "NaN"),
        (b'{"session_id": "s1", "channel": "phone", "metadata": {"x": 1e999}}', "out of range"),
        (b'{"session_id": "s1", "channel": "phone", "metadata": ' + b'{"a": ' * 5000, "nested"),
    ],
)
def test_it_answers_invalid_json_with_details(webhook, raw, found):
    response = webhook.post(raw)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_json"
    assert found in error["message"]
    assert found in error["details"]["body"]
    assert not HandoffSession.objects.exists()
