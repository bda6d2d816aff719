"""A channel sent as something other than a string is a clear 400, never a server error."""

from __future__ import annotations

import pytest

from handoffs.models import HandoffSession


@pytest.mark.parametrize("value", [{}, [None], ["phone"], 7, True, {"phone": 1}])
def test_it_refuses_a_channel_that_is_not_a_string(webhook, phone_body, value):
    phone_body["channel"] = value

    response = webhook.post(phone_body)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_payload"
    assert "is not a channel" in error["details"]["channel"]
    assert not HandoffSession.objects.exists()
