"""Support leads and admins use the handoff history in a real browser, against the sandbox.

The tenant is connected to a sandbox org served by the live server; the queue runs inline
(test settings), so a handoff is delivered over real HTTP as soon as it is accepted.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from dataverse_sandbox import provisioning
from dataverse_sandbox.models import Org
from handoffs.channels import sample_handoff
from handoffs.inbound.intake import accept
from handoffs.models import HandoffSession, Tenant
from handoffs.tenancy import tenants
from tests.browser import sign_in

PASSWORD = "history-pass-123"


def member(tenant: Tenant, username: str, role: str) -> None:
    get_user_model().objects.create_user(username, password=PASSWORD)
    tenants.add_member(tenant, username, role=role)


def connected_tenant(base_url: str, slug: str) -> tuple[Tenant, Org]:
    org = provisioning.create_org(f"{slug}-org")
    tenant = tenants.create_tenant(slug, slug.title())
    tenants.connect(tenant, **provisioning.connection_fields(org, base_url))
    return tenant, org


def hand_off(tenant: Tenant, channel: str, session_id: str) -> HandoffSession:
    """Accept a sample handoff; the inline queue delivers it before this returns."""
    session, _ = accept(tenant, sample_handoff(channel, session_id))
    return HandoffSession.objects.get(pk=session.pk)


@pytest.fixture
def acme(live_server, transactional_db) -> tuple[Tenant, Org]:
    return connected_tenant(live_server.url, "acme")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_lets_a_lead_filter_find_by_ticket_open_and_follow_the_dynamics_link(page, acme):
    tenant, _ = acme
    member(tenant, "lee", "lead")
    for channel, session_id in [
        ("phone", "p-1"),
        ("email", "e-1"),
        ("web", "w-1"),
        ("phone", "p-2"),
    ]:
        hand_off(tenant, channel, session_id)
    target = HandoffSession.objects.get(session_id="p-1")
    assert target.status == "done", target.last_error_message
    ticket = target.dynamics365_ticket_number
    sign_in(page, "lee", PASSWORD)

    page.click("nav >> text=Handoffs")
    page.select_option("#id_channel", "phone")
    page.click("button:text('Apply')")
    assert "channel=phone" in page.url
    assert page.locator("table.history tbody tr").count() == 2

    page.fill("#id_q", ticket)
    page.click("button:text('Apply')")
    rows = page.locator("table.history tbody tr")
    assert rows.count() == 1
    assert ticket in rows.inner_text()

    rows.locator("a").first.click()
    page.wait_for_url(re.compile(rf"/t/acme/sessions/{target.pk}/"))
    assert "Channel: Phone" in page.locator("pre.header-lines").inner_text()
    link = page.locator("#open-in-dynamics")
    assert link.get_attribute("href") == target.record_url
    with page.context.expect_page() as opened:
        link.click()
    record_page = opened.value
    record_page.wait_for_load_state()
    # The sandbox's main.aspx shows the case the handoff wrote, with its ticket number.
    assert record_page.url == target.record_url
    assert ticket in record_page.content()

    page.click("text=‹ Back to handoffs")
    assert page.locator("#id_q").input_value() == ticket


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_lets_an_admin_retry_a_failed_session_with_the_same_record_id(page, acme, settings):
    tenant, org = acme
    member(tenant, "ada", "admin")
    # Dynamics is down and the handoff may try only once, so it ends as failed.
    settings.HANDOFF_MAX_ATTEMPTS = 1
    provisioning.set_faults(org, unavailable_share=1.0)
    failed = hand_off(tenant, "phone", "sess-down")
    assert failed.status == "failed"
    record_id = failed.record_id
    sign_in(page, "ada", PASSWORD)

    page.goto("/t/acme/sessions/?status=failed")
    page.click("text=sess-down")
    assert "Why it failed:" in page.content()
    provisioning.reset_faults(org)  # Dynamics is back
    page.click("button:text('Retry')")

    page.wait_for_url(re.compile(rf"/t/acme/sessions/{failed.pk}/"))
    failed.refresh_from_db()
    assert "Retried: the handoff is done" in page.content()
    assert page.locator("#session-status").inner_text() == "Done"
    assert page.locator("tr.event-replayed").count() == 1
    assert failed.dynamics365_incident_id == record_id
    assert str(record_id) in page.locator("#dynamics-references").inner_text()
    assert [row.record_id for row in provisioning.rows(org, "incident")] == [record_id]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_answers_404_to_another_tenants_lead(page, acme):
    tenant, _ = acme
    session = hand_off(tenant, "phone", "sess-acme")
    globex = tenants.create_tenant("globex", "Globex")
    member(globex, "gina", "lead")
    sign_in(page, "gina", PASSWORD)

    response = page.goto(f"/t/acme/sessions/{session.pk}/")

    assert response.status == 404
    assert "sess-acme" not in page.content()
