"""A tenant admin connects Dynamics in a real browser against the sandbox, over real HTTP.

The live server serves both the product and the sandbox org; the queue runs inline (test
settings), so the test handoff is delivered before its result page loads.
"""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model

from dataverse_sandbox import provisioning
from dataverse_sandbox.security import all_privileges
from handoffs.models import DynamicsConnection, Tenant
from handoffs.tenancy import tenants
from tests.browser import sign_in

PASSWORD = "settings-pass-123"


def member(tenant: Tenant, username: str, role: str) -> None:
    get_user_model().objects.create_user(username, password=PASSWORD)
    tenants.add_member(tenant, username, role=role)


def fill_connection(page, fields: dict, secret: str) -> None:
    page.fill("#id_azure_tenant_id", fields["azure_tenant_id"])
    page.fill("#id_client_id", fields["client_id"])
    page.fill("#id_client_secret", secret)
    page.fill("#id_secret_expires_on", "2099-01-31")
    page.fill("#id_environment_url", fields["environment_url"] + "/")
    page.fill("#id_authority_host", fields["authority_host"])
    page.click("button:text('Save & verify')")
    page.wait_for_load_state()


def check_line(page, key: str):
    return page.locator(f"#checklist li[data-key='{key}']")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_lets_an_admin_connect_verify_map_fields_and_send_a_test_handoff(page, live_server):
    tenant = tenants.create_tenant("acme", "Acme")
    member(tenant, "ada", "admin")
    org = provisioning.create_org("fabrikam")
    narrow_role = provisioning.role_without(org, "OpenCX integration", ["prvCreateIncident"])
    app = provisioning.add_app(org, "OpenCX handoffs", role=narrow_role)
    fields = provisioning.connection_fields(org, live_server.url, app)

    sign_in(page, "ada", PASSWORD)
    page.click("nav >> text=Settings")
    page.click(".tabs >> text=Dynamics connection")

    # A wrong secret: the token line fails, says why, and nothing is stored.
    fill_connection(page, fields, "not-the-secret-value")
    assert "Nothing was saved" in page.content()
    token = check_line(page, "token")
    assert "FAIL" in token.inner_text()
    assert "AADSTS7000215" in token.inner_text()
    assert "not its Secret ID" in token.inner_text()
    assert not DynamicsConnection.objects.exists()

    # The right secret, but the role lacks a privilege: that line names it.
    fill_connection(page, fields, fields["client_secret"])
    cases = check_line(page, "privileges_cases")
    assert "FAIL" in cases.inner_text()
    assert "prvCreateIncident" in cases.inner_text()
    assert not DynamicsConnection.objects.exists()

    # The Dynamics admin fixes the role; verifying again passes and saves.
    provisioning.add_role(org, "OpenCX integration", all_privileges())
    fill_connection(page, fields, fields["client_secret"])
    assert "Connection saved and verified." in page.content()
    assert f"changed from {fields['environment_url']}/ to" in page.content()
    marks = page.locator("#checklist .check-mark").all_inner_texts()
    assert marks and set(marks) == {"PASS"}, marks
    connection = DynamicsConnection.objects.get(tenant=tenant)
    assert connection.environment_url == fields["environment_url"]

    # Ticket properties: an option the org lacks is refused inline, a valid mapping is saved.
    page.click(".tabs >> text=Ticket properties")
    assert "new_region" in page.locator("table.columns").inner_text()
    page.fill("#id_ticket_properties", json.dumps({"new_region": 5}))
    page.click("button:text('Check & save')")
    assert "new_region: 5 is not an option of new_region" in page.content()
    page.fill("#id_ticket_properties", json.dumps({"new_region": 100000001, "casetypecode": 2}))
    page.click("button:text('Check & save')")
    assert "Ticket properties saved" in page.content()

    # A test handoff runs through the worker into the sandbox and shows its case number.
    page.click(".tabs >> text=Webhook")
    page.select_option("#id_channel", "phone")
    page.click("button:text('Send test handoff')")
    page.wait_for_url(re.compile(r"/settings/webhook/test/\d+/"))
    assert page.locator("#test-status").inner_text() == "Done"
    assert re.search(r"CAS-\d+", page.content())
    case = provisioning.rows(org, "incident")[0]
    assert case.data["new_region"] == 100000001


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_lets_a_lead_read_the_settings_but_not_edit_them(page, live_server):
    tenant = tenants.create_tenant("acme", "Acme")
    member(tenant, "lee", "lead")
    org = provisioning.create_org("fabrikam")
    tenants.connect(tenant, **provisioning.connection_fields(org, live_server.url))

    sign_in(page, "lee", PASSWORD)
    assert page.locator("nav >> text=Settings").count() == 0
    page.goto("/t/acme/settings/")
    assert org.slug in page.content()
    assert page.locator("text=Edit connection").count() == 0

    response = page.goto("/t/acme/settings/connection/")
    assert response.status == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_gives_another_tenants_admin_a_404(page, live_server):
    tenants.create_tenant("acme", "Acme")
    globex = tenants.create_tenant("globex", "Globex")
    member(globex, "gus", "admin")

    sign_in(page, "gus", PASSWORD)

    for url in ("/t/acme/settings/", "/t/acme/settings/connection/", "/t/acme/settings/webhook/"):
        assert page.goto(url).status == 404
