"""A real msal client and requests reach the sandbox over HTTP, as the product does."""

from __future__ import annotations

import msal
import pytest

from dataverse_sandbox import provisioning
from handoffs.outbound import http

pytestmark = pytest.mark.django_db(transaction=True)


def msal_app(fields: dict, secret: str | None = None) -> msal.ConfidentialClientApplication:
    # The product's recipe: https authority (msal insists), plain HTTP on loopback via the door.
    authority = f"{fields['authority_host']}/{fields['azure_tenant_id']}"
    return msal.ConfidentialClientApplication(
        fields["client_id"],
        client_credential=secret or fields["client_secret"],
        authority=authority.replace("http://", "https://", 1),
        http_client=http.LoopbackAwareSession(),
        instance_discovery=False,
    )


def test_it_gives_msal_a_token_that_the_web_api_accepts(live_server):
    org = provisioning.create_org("fabrikam")
    fields = provisioning.connection_fields(org, live_server.url)

    result = msal_app(fields).acquire_token_for_client(
        scopes=[f"{fields['environment_url']}/.default"]
    )

    assert "access_token" in result, result.get("error_description")
    response, _ = http.send(
        http.LoopbackAwareSession(),
        "GET",
        f"{fields['environment_url']}/api/data/v9.2/WhoAmI",
        headers={"Authorization": f"Bearer {result['access_token']}"},
    )
    assert response.status_code == 200
    assert response.json()["OrganizationId"] == str(org.organization_id)


def test_it_hands_msal_the_aadsts_code_of_a_wrong_secret(live_server):
    org = provisioning.create_org("fabrikam")
    fields = provisioning.connection_fields(org, live_server.url)

    result = msal_app(fields, secret="wrong-secret-value").acquire_token_for_client(
        scopes=[f"{fields['environment_url']}/.default"]
    )

    assert "access_token" not in result
    assert result["error"] == "invalid_client"
    assert result["error_codes"] == [7000215]


def test_it_fails_msal_discovery_for_an_unknown_tenant(live_server):
    org = provisioning.create_org("fabrikam")
    fields = provisioning.connection_fields(org, live_server.url)
    fields["azure_tenant_id"] = "33333333-3333-3333-3333-333333333333"

    with pytest.raises(ValueError) as raised:
        msal_app(fields)

    # msal keeps the discovery answer, with its AADSTS code, as the exception's context.
    assert "AADSTS90002" in str(raised.value.__context__)
