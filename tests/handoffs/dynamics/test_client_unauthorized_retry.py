"""A 401 drops the cached token and retries once; a second 401 is a clear failure."""

from __future__ import annotations

import pytest

from handoffs.errors import HandoffError


def test_it_fetches_a_new_token_after_a_401_and_retries_once(client, dynamics):
    dynamics.add("GET", "WhoAmI", body={"UserId": "u"})
    client.get("WhoAmI")
    dynamics.mock.replace("GET", dynamics.api("WhoAmI"), status=401, body="")
    dynamics.add("GET", "WhoAmI", body={"UserId": "u"})

    assert client.get("WhoAmI") == {"UserId": "u"}

    assert len(dynamics.token_calls()) == 2
    assert len(dynamics.dataverse_calls()) == 3


def test_it_gives_up_after_the_second_401(client, dynamics):
    dynamics.add("GET", "WhoAmI", status=401, body={"error": {"code": "", "message": ""}})

    with pytest.raises(HandoffError) as caught:
        client.get("WhoAmI")

    assert caught.value.code == "dataverse_unauthorized"
    assert len(dynamics.dataverse_calls()) == 2
    assert len(dynamics.token_calls()) == 2
