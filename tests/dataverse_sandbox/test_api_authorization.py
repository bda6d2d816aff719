"""The Web API refuses bad tokens, non-members and callers missing a privilege."""

from __future__ import annotations

from dataverse_sandbox import provisioning, tokens
from tests.dataverse_sandbox.conftest import Dataverse


def api_get(client, org, token: str | None, path: str = "WhoAmI"):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(f"/sandbox/{org.slug}/api/data/v9.2/{path}", headers=headers)


def test_it_answers_401_without_a_usable_token(client, org):
    app = provisioning.integration_app(org)
    env = provisioning.environment_url(org)
    expired = tokens.issue(org, app, env, lifetime=-5)
    other = provisioning.create_org("elsewhere")
    foreign = tokens.issue(other, provisioning.integration_app(other), env)

    for token in (None, "not.a.jwt", expired, foreign):
        response = api_get(client, org, token)
        assert response.status_code == 401, token
        assert set(response.json()["error"]) == {"code", "message"}
        assert response["OData-Version"] == "4.0"


def test_it_answers_403_for_an_app_without_application_user(client, org):
    app = provisioning.add_app(org, "Unmapped app", application_user=False)

    response = Dataverse(client, org, app).get("WhoAmI")

    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "0x80072560",
        "message": "The user is not a member of the organization.",
    }


def test_it_names_the_missing_privilege(client, org):
    role = provisioning.role_without(org, "No cases", ["prvCreateIncident"])
    app = provisioning.add_app(org, "Limited app", role=role)
    api = Dataverse(client, org, app)
    contact_id = api.new_contact()

    response = api.post(
        "incidents", {"title": "x", "customerid_contact@odata.bind": f"/contacts({contact_id})"}
    )

    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "0x80040220"
    assert "is missing prvCreateIncident privilege" in error["message"]
    assert "for entity 'incident'" in error["message"]


def test_it_reports_whoami_for_the_application_user(dataverse, org):
    body = dataverse.get("WhoAmI()").json()

    assert body["UserId"] == str(dataverse.app.application_user_id)
    assert body["OrganizationId"] == str(org.organization_id)
    assert body["BusinessUnitId"] == str(org.business_unit_id)
