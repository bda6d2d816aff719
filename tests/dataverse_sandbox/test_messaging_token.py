"""The token endpoint serves the Messaging API's scope; each API accepts only its own tokens."""

from __future__ import annotations


def test_it_issues_a_token_for_the_messaging_scope(messaging, org):
    response = messaging.token_response()

    assert response.status_code == 200
    assert response.json()["token_type"] == "Bearer"
    assert messaging.fields["scope"] == (
        f"https://{org.organization_id.hex}-c.crm.dynamics.com/.default"
    )


def test_it_refuses_a_scope_for_another_organization(messaging):
    other = "https://00000000000000000000000000000001-c.crm.dynamics.com/.default"

    response = messaging.token_response(scope=other)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_resource"


def test_it_refuses_an_environment_token_on_the_messaging_api(messaging, dataverse):
    headers = messaging.headers(Authorization=f"Bearer {dataverse.token}")

    response = messaging.get("conversations", headers=headers)

    assert response.status_code == 401
    assert "scope" in response.json()["detail"]


def test_it_refuses_a_messaging_token_on_the_web_api(messaging, dataverse):
    headers = {"Authorization": f"Bearer {messaging.token}"}

    response = dataverse.get("WhoAmI", headers=headers)

    assert response.status_code == 401
