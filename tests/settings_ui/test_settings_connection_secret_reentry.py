"""Changing app or retrying after a refusal: the form says when the secret must be pasted again."""

from __future__ import annotations

import pytest

from handoffs.models import DynamicsConnection
from tests.handoffs.dynamics.fakes import CLIENT_ID, entra_error
from tests.settings_ui.test_settings_connection_form import URL, form

pytestmark = pytest.mark.django_db
OTHER_APP = "99999999-9999-4999-8999-999999999999"


def test_it_asks_for_the_secret_of_a_new_app_instead_of_trying_the_stored_one(
    admin_client_, connection, dynamics
):
    response = admin_client_.post(URL, form(client_id=OTHER_APP, client_secret=""))

    page = response.content.decode()
    assert "You changed the Application (client) ID: paste the client secret Value" in page
    assert dynamics.token_calls() == []
    connection.refresh_from_db()
    assert connection.client_id == CLIENT_ID


def test_it_asks_for_the_secret_of_a_new_directory_too(admin_client_, connection, dynamics):
    other_directory = "88888888-8888-4888-8888-888888888888"

    response = admin_client_.post(URL, form(azure_tenant_id=other_directory, client_secret=""))

    assert "You changed the Directory (tenant) ID" in response.content.decode()
    assert dynamics.token_calls() == []


def test_it_says_a_pasted_secret_was_not_kept_when_the_checklist_fails(
    admin_client_, connection, dynamics
):
    dynamics.refuse_token(entra_error("unauthorized_client", 700016, "App not found."))

    response = admin_client_.post(URL, form(client_id=OTHER_APP, client_secret="n3w~Value.abc"))

    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "The client secret Value you pasted was not kept: paste it again" in page
    assert "n3w~Value.abc" not in page
    assert DynamicsConnection.objects.get().client_id == CLIENT_ID
