"""The messaging token's scope: organization id without dashes, zone from the environment URL."""

from __future__ import annotations

import pytest

from handoffs.errors import HandoffError
from handoffs.livechat.channel_input import derived_zone, messaging_scope, zone_in_scope
from handoffs.livechat.client import client_for
from tests.handoffs.dynamics.fakes import entra_error
from tests.handoffs.livechat.conftest import ORG_ID, SCOPE


@pytest.mark.parametrize(
    ("environment_url", "zone"),
    [
        ("https://contoso.crm.dynamics.com", "crm"),
        ("https://contoso.crm4.dynamics.com", "crm4"),
        ("https://contoso-dev.crm11.dynamics.com", "crm11"),
        ("https://contoso.crm.microsoftdynamics.us", ""),
        ("http://127.0.0.1:8000/sandbox/demo", ""),
    ],
)
def test_it_derives_the_zone_from_a_commercial_environment_url(environment_url, zone):
    assert derived_zone(environment_url) == zone


def test_it_builds_the_documented_scope():
    assert messaging_scope(ORG_ID, "crm") == SCOPE
    assert messaging_scope(ORG_ID, "crm4") == SCOPE.replace("-c.crm.", "-c.crm4.")
    assert zone_in_scope(SCOPE.replace("-c.crm.", "-c.crm4.")) == "crm4"


def test_it_prefers_the_advanced_zone_over_the_derived_one(live_chat, connection):
    live_chat.zone = "crm4"

    assert client_for(live_chat, connection).scope == SCOPE.replace("-c.crm.", "-c.crm4.")


def test_it_asks_for_the_zone_when_none_can_be_derived(live_chat, connection):
    connection.environment_url = "https://contoso.crm.microsoftdynamics.us"

    with pytest.raises(HandoffError) as caught:
        client_for(live_chat, connection).token()

    assert caught.value.code == "messaging_scope_not_found"
    assert "zone" in caught.value.message


def test_it_explains_an_unknown_messaging_resource(live_chat, connection, dynamics):
    dynamics.refuse_token(entra_error("invalid_resource", 500011, "Resource not found."), 400)

    with pytest.raises(HandoffError) as caught:
        client_for(live_chat, connection).token()

    assert caught.value.code == "messaging_scope_not_found"
    assert SCOPE in caught.value.message
    assert "organization ID" in caught.value.hint
