"""The connection form normalises input, refuses the classic mistakes, and saves only verified."""

from __future__ import annotations

import pytest
from django.test import override_settings

from handoffs.models import DynamicsConnection
from tests.handoffs.dynamics.fakes import (
    AZURE_TENANT,
    CLIENT_ID,
    CLIENT_SECRET,
    ENVIRONMENT,
    entra_error,
)
from tests.handoffs.org_answers import serve_healthy_org

pytestmark = pytest.mark.django_db
URL = "/t/acme/settings/connection/"


def form(**overrides: str) -> dict:
    data = {
        "azure_tenant_id": AZURE_TENANT,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "secret_expires_on": "2099-01-31",
        "environment_url": ENVIRONMENT,
        "authority_host": "https://login.microsoftonline.com",
    }
    data.update(overrides)
    return data


def test_it_refuses_a_secret_id_and_says_to_paste_the_value(admin_client_):
    response = admin_client_.post(URL, form(client_secret="3f2b9c1e-8a4d-4e6f-9b0a-1c2d3e4f5a6b"))

    assert "paste the Value, not the Secret ID" in response.content.decode()
    assert not DynamicsConnection.objects.exists()


@override_settings(ALLOW_LOOPBACK_DYNAMICS_URLS=False)
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://169.254.169.254", "must be a Microsoft host"),
        ("http://127.0.0.1:8000/sandbox/x", "takes no port"),
        ("https://intranet.example.com", "must be a Microsoft host"),
    ],
)
def test_it_refuses_hosts_that_are_not_dynamics_in_production(admin_client_, url, expected):
    response = admin_client_.post(URL, form(environment_url=url))

    assert expected in response.content.decode()
    assert not DynamicsConnection.objects.exists()


def test_it_refuses_a_malformed_directory_id(admin_client_):
    response = admin_client_.post(URL, form(azure_tenant_id="contoso.onmicrosoft"))

    assert "Directory (tenant) ID must be a GUID" in response.content.decode()


def test_it_saves_only_after_the_checklist_passes_and_says_what_it_normalised(
    admin_client_, dynamics
):
    serve_healthy_org(dynamics)

    response = admin_client_.post(
        URL, form(environment_url="contoso.crm.dynamics.com/main.aspx?app=1/"), follow=True
    )

    connection = DynamicsConnection.objects.get()
    assert connection.environment_url == "https://contoso.crm.dynamics.com"
    assert connection.client_secret == CLIENT_SECRET
    assert connection.verified_at is not None
    page = response.content.decode()
    assert (
        "changed from contoso.crm.dynamics.com/main.aspx?app=1/ to https://contoso.crm.dynamics.com"
        in page
    )
    assert "Connection saved and verified." in page
    assert CLIENT_SECRET not in page


def test_it_writes_nothing_and_shows_the_failing_line_when_the_secret_is_wrong(
    admin_client_, dynamics
):
    dynamics.refuse_token(entra_error("invalid_client", 7000215, "Invalid client secret."))

    response = admin_client_.post(URL, form())

    page = response.content.decode()
    assert not DynamicsConnection.objects.exists()
    assert "Nothing was saved" in page
    assert "AADSTS7000215" in page
    assert "Paste the secret&#x27;s Value, not its Secret ID" in page
    assert "/help/troubleshooting/#entra_invalid_secret" in page
    assert CLIENT_SECRET not in page


def test_it_keeps_the_stored_credentials_when_a_new_attempt_fails(
    admin_client_, connection, dynamics
):
    dynamics.refuse_token(entra_error("unauthorized_client", 700016, "App not found."))

    admin_client_.post(URL, form(client_id="99999999-9999-9999-9999-999999999999"))

    connection.refresh_from_db()
    assert connection.client_id == CLIENT_ID


def test_it_keeps_the_stored_secret_when_the_field_is_left_blank(
    admin_client_, connection, dynamics
):
    serve_healthy_org(dynamics)

    admin_client_.post(URL, form(client_secret="", secret_expires_on="2099-06-30"))

    connection.refresh_from_db()
    assert connection.client_secret == CLIENT_SECRET
    assert str(connection.secret_expires_on) == "2099-06-30"
    assert "client_secret=s3cr3t" in dynamics.token_calls()[0].request.body


def test_it_never_shows_the_stored_secret_only_when_it_was_set(admin_client_, connection):
    connection.client_secret_set_at = connection.created_at
    connection.save()

    page = admin_client_.get(URL).content.decode()

    assert CLIENT_SECRET not in page
    assert f"A secret is set on {connection.created_at:%Y-%m-%d}" in page


def test_it_asks_for_a_secret_when_none_is_stored(admin_client_):
    response = admin_client_.post(URL, form(client_secret=""))

    assert "Paste the client secret&#x27;s Value" in response.content.decode()


def test_it_offers_cases_for_chats_when_omnichannel_is_missing(admin_client_, connection):
    from handoffs.verification.checklist import Check, Checklist

    warn = Check("omnichannel", "warn", "Omnichannel", "Not installed", "Set cases", "x")
    connection.last_verification = Checklist([warn]).as_dict()
    connection.save()
    assert "Write chats as cases" in admin_client_.get(URL).content.decode()

    admin_client_.post("/t/acme/settings/chats-as-cases/")

    connection.refresh_from_db()
    assert connection.chat_target == "incident"
