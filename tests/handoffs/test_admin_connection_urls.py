"""An operator editing a connection in the Django admin cannot aim it at an internal address."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict
from django.test import Client, override_settings

from handoffs.models import DynamicsConnection
from handoffs.tenancy import tenants

TENANT_ID = "0f8b3c2a-1111-4aaa-8bbb-00000000000a"
CLIENT_ID = "0f8b3c2a-1111-4aaa-8bbb-00000000000b"


@pytest.fixture
def stored(tenant) -> DynamicsConnection:
    return tenants.connect(
        tenant,
        azure_tenant_id=TENANT_ID,
        client_id=CLIENT_ID,
        client_secret="Xq8~client-secret-value",
        environment_url="https://contoso.crm.dynamics.com",
    )


def save(operator: Client, connection: DynamicsConnection, **changes: str):
    data = {
        key: "" if value is None else value
        for key, value in model_to_dict(connection, exclude=["id", "client_secret"]).items()
    }
    data["ticket_properties"] = "{}"
    data["last_verification"] = "{}"
    data.update(changes)
    return operator.post(f"/admin/handoffs/dynamicsconnection/{connection.pk}/change/", data)


@override_settings(ALLOW_LOOPBACK_DYNAMICS_URLS=False)
@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("environment_url", "http://169.254.169.254", "must be a Microsoft host"),
        ("environment_url", "https://10.0.0.5", "must be a Microsoft host"),
        ("authority_host", "https://login.microsoftonline.com@127.0.0.1", "no user name"),
        ("authority_host", "https://evil.example", "must be a Microsoft host"),
    ],
)
def test_it_refuses_an_internal_or_foreign_url(operator, stored, field, value, expected):
    response = save(operator, stored, **{field: value})

    assert response.status_code == 200
    assert expected in response.content.decode()
    stored.refresh_from_db()
    assert stored.environment_url == "https://contoso.crm.dynamics.com"
    assert stored.authority_host == "https://login.microsoftonline.com"


@override_settings(ALLOW_LOOPBACK_DYNAMICS_URLS=False)
def test_it_saves_a_normalised_microsoft_url_and_keeps_the_secret(operator, stored):
    response = save(operator, stored, environment_url="contoso.crm4.dynamics.com/main.aspx")

    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.environment_url == "https://contoso.crm4.dynamics.com"
    assert stored.client_secret == "Xq8~client-secret-value"
