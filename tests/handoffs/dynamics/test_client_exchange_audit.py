"""Every exchange is reported to the hook: method, path, status, duration, code; no secrets."""

from __future__ import annotations

import pytest

from handoffs.errors import HandoffError
from tests.handoffs.dynamics.fakes import ACCESS_TOKEN, AZURE_TENANT, CLIENT_SECRET, dataverse_error


def test_it_reports_the_token_and_each_dataverse_exchange(client, dynamics):
    seen: list[tuple] = []
    dynamics.add("GET", "WhoAmI", body={"UserId": "u"})

    client.audited(lambda *exchange: seen.append(exchange)).get("WhoAmI", params={"x": "1"})

    methods_paths = [(m, p, s, code) for m, p, s, _, code in seen]
    assert methods_paths == [
        ("GET", f"/{AZURE_TENANT}/v2.0/.well-known/openid-configuration", 200, None),
        ("POST", f"/{AZURE_TENANT}/oauth2/v2.0/token", 200, None),
        ("GET", "/api/data/v9.2/WhoAmI", 200, None),
    ]
    assert all(isinstance(duration, int) for _, _, _, duration, _ in seen)


def test_it_reports_the_error_code_of_a_refused_exchange(client, dynamics):
    seen: list[tuple] = []
    dynamics.add("POST", "incidents", 403, dataverse_error("0x80072560", "Not a member."))

    with pytest.raises(HandoffError):
        client.audited(lambda *exchange: seen.append(exchange)).post("incidents", {})

    assert seen[-1][0:3] == ("POST", "/api/data/v9.2/incidents", 403)
    assert seen[-1][4] == "dataverse_no_application_user"


def test_it_never_reports_tokens_secrets_or_queries(client, dynamics):
    seen: list[tuple] = []
    dynamics.add("GET", "contacts", body={"value": []})

    client.audited(lambda *exchange: seen.append(exchange)).get(
        "contacts", params={"$filter": "emailaddress1 eq 'maria@example.com'"}
    )

    text = repr(seen)
    assert ACCESS_TOKEN not in text
    assert CLIENT_SECRET not in text
    assert "maria@example.com" not in text
