"""The client fetches one token per connection, reuses it, and sends the OData headers."""

from __future__ import annotations

from handoffs.dynamics.client import client_for
from tests.handoffs.dynamics.fakes import ACCESS_TOKEN, CLIENT_SECRET


def test_it_sends_the_odata_headers_and_the_bearer_token(client, dynamics):
    dynamics.add("GET", "WhoAmI", body={"UserId": "u"})

    client.get("WhoAmI")

    sent = dynamics.dataverse_calls()[0].request
    assert sent.url == "https://contoso.crm.dynamics.com/api/data/v9.2/WhoAmI"
    assert sent.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert sent.headers["Accept"] == "application/json"
    assert sent.headers["OData-MaxVersion"] == "4.0"
    assert sent.headers["OData-Version"] == "4.0"
    assert sent.headers["If-None-Match"] == "null"
    assert "Content-Type" not in sent.headers


def test_it_asks_entra_for_the_environment_scope_with_the_client_secret(client, dynamics):
    dynamics.add("GET", "WhoAmI", body={"UserId": "u"})

    client.get("WhoAmI")

    form = dynamics.token_calls()[0].request.body
    assert "grant_type=client_credentials" in form
    assert "scope=https%3A%2F%2Fcontoso.crm.dynamics.com%2F.default" in form
    assert "client_id=66666666-7777-8888-9999-000000000000" in form


def test_it_reuses_the_cached_token_across_calls_and_lookups(connection, client, dynamics):
    dynamics.add("GET", "WhoAmI", body={"UserId": "u"})

    client.get("WhoAmI")
    client_for(connection).get("WhoAmI")

    assert client_for(connection) is client
    assert len(dynamics.token_calls()) == 1
    assert len(dynamics.dataverse_calls()) == 2


def test_it_rebuilds_the_client_when_the_credentials_change(connection, client, dynamics):
    dynamics.add("GET", "WhoAmI", body={"UserId": "u"})
    client.get("WhoAmI")

    connection.client_secret = CLIENT_SECRET + "-rotated"
    connection.save()
    rebuilt = client_for(connection)
    rebuilt.get("WhoAmI")

    assert rebuilt is not client
    assert len(dynamics.token_calls()) == 2
    assert "rotated" in dynamics.token_calls()[1].request.body


def test_it_sends_json_bodies_as_utf8(client, dynamics):
    dynamics.add("POST", "contacts", status=204)

    client.post("contacts", {"lastname": "Müller"})

    sent = dynamics.dataverse_calls()[0].request
    assert sent.headers["Content-Type"] == "application/json; charset=utf-8"
    assert sent.body == '{"lastname": "Müller"}'.encode()


def test_it_never_shows_the_secret_in_its_repr(client):
    assert CLIENT_SECRET not in repr(client)
    assert CLIENT_SECRET not in repr(vars(client).get("session"))
