"""Entra ID refusals become one stable code each, with a fix and no secret."""

from __future__ import annotations

import pytest

from handoffs.errors import CATALOGUE, HandoffError
from tests.handoffs.dynamics.fakes import CLIENT_SECRET, DISCOVERY, entra_error


@pytest.mark.parametrize(
    ("oauth_error", "number", "code"),
    [
        ("invalid_request", 90002, "entra_tenant_not_found"),
        ("unauthorized_client", 700016, "entra_app_not_found"),
        ("invalid_client", 7000215, "entra_invalid_secret"),
        ("invalid_client", 7000222, "entra_secret_expired"),
        ("invalid_resource", 500011, "entra_environment_not_found"),
        ("invalid_client", 7000218, "entra_missing_secret"),
        ("unauthorized_client", 7000112, "entra_app_disabled"),
        ("invalid_scope", 1002012, "entra_invalid_scope"),
    ],
)
def test_it_names_each_entra_refusal(client, dynamics, oauth_error, number, code):
    dynamics.refuse_token(entra_error(oauth_error, number, "Refused."), status=400)

    with pytest.raises(HandoffError) as caught:
        client.get("WhoAmI")

    error = caught.value
    assert error.code == code
    assert error.retryable is False
    assert error.hint == CATALOGUE[code].fix
    assert CLIENT_SECRET not in error.readable
    assert dynamics.dataverse_calls() == []


def test_it_reads_an_unknown_aadsts_code_as_a_plain_refusal(client, dynamics):
    dynamics.refuse_token(entra_error("invalid_client", 123456, "Odd."), status=400)

    with pytest.raises(HandoffError) as caught:
        client.get("WhoAmI")

    assert caught.value.code == "entra_rejected"
    assert "AADSTS123456" in caught.value.message


def test_it_retries_later_when_entra_is_busy(client, dynamics):
    dynamics.refuse_token({"error": "temporarily_unavailable"}, status=503)

    with pytest.raises(HandoffError) as caught:
        client.get("WhoAmI")

    assert caught.value.code == "entra_unavailable"
    assert caught.value.retryable is True


def test_it_explains_a_directory_that_does_not_exist(client, dynamics):
    dynamics.mock.replace(
        "GET", DISCOVERY, status=400, json=entra_error("invalid_tenant", 90002, "No tenant.")
    )

    with pytest.raises(HandoffError) as caught:
        client.get("WhoAmI")

    assert caught.value.code == "entra_tenant_not_found"
    assert "Directory (tenant) ID" in caught.value.hint


def test_it_lists_every_code_with_a_message_and_a_fix():
    codes = CATALOGUE

    assert {"integration_not_configured", "unexpected_error", "rate_limited"} <= set(codes)
    assert all(kind.message and kind.fix for kind in codes.values())
    assert [c for c, k in codes.items() if k.retryable] == [
        "entra_unavailable",
        "rate_limited",
        "dataverse_unavailable",
        "dynamics_unavailable",
        "timeout",
        "connection_failed",
        "messaging_rate_limited",
        "messaging_unavailable",
        "database_busy",
    ]
