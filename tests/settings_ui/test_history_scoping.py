"""Every history page is scoped to the user's tenants: anything else is a 404."""

from __future__ import annotations

import pytest
from django.test import Client

from handoffs.tenancy import tenants
from tests.settings_ui.conftest import member_client
from tests.settings_ui.history_helpers import make_session


@pytest.fixture
def other_session(db):
    other = tenants.create_tenant("globex", "Globex")
    return make_session(other, "globex-secret-case", status="failed", last_error_code="x")


@pytest.fixture
def own_session(tenant):
    return make_session(tenant, "acme-case", status="failed", last_error_code="x")


def test_it_answers_404_for_another_tenants_session(lead_client, own_session, other_session):
    response = lead_client.get(f"/t/acme/sessions/{other_session.pk}/")

    assert response.status_code == 404


def test_it_answers_404_for_a_tenant_the_user_is_not_in(lead_client, other_session):
    assert lead_client.get("/t/globex/sessions/").status_code == 404
    assert lead_client.get(f"/t/globex/sessions/{other_session.pk}/").status_code == 404
    assert lead_client.get("/t/globex/sessions/export.csv").status_code == 404


def test_it_lists_and_exports_only_the_own_tenants_sessions(
    lead_client, own_session, other_session
):
    listed = lead_client.get("/t/acme/sessions/")
    exported = b"".join(lead_client.get("/t/acme/sessions/export.csv").streaming_content)

    assert [row.session.session_id for row in listed.context["rows"]] == ["acme-case"]
    assert b"acme-case" in exported
    assert b"globex-secret-case" not in exported


def test_it_does_not_let_an_admin_retry_another_tenants_session(
    admin_client_, own_session, other_session
):
    response = admin_client_.post(f"/t/acme/sessions/{other_session.pk}/retry/")

    assert response.status_code == 404
    assert not other_session.events.filter(kind="replayed").exists()


def test_it_sends_a_signed_out_visitor_to_the_login_page(own_session):
    response = Client().get(f"/t/acme/sessions/{own_session.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_shows_each_tenant_only_its_own_history(own_session, other_session):
    globex_lead = member_client(other_session.tenant, "gina", "lead")

    response = globex_lead.get("/t/globex/sessions/")

    assert [row.session.session_id for row in response.context["rows"]] == ["globex-secret-case"]
    assert globex_lead.get(f"/t/acme/sessions/{own_session.pk}/").status_code == 404
