"""Support leads and admins use the handoff history in a real browser."""

from __future__ import annotations

import re
import uuid

import pytest
from django.contrib.auth import get_user_model

from handoffs import tenants
from handoffs.models import HandoffSession
from tests.browser import sign_in
from tests.settings_ui.history_helpers import at, make_session

PASSWORD = "history-pass-123"
RECORD_ID = uuid.UUID("6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f")


def member(tenant, username: str, role: str) -> None:
    get_user_model().objects.create_user(username, password=PASSWORD)
    tenants.add_member(tenant, username, role=role)


@pytest.fixture
def acme(transactional_db):
    tenant = tenants.create_tenant("acme", "Acme")
    for day, channel, ticket in [(18, "phone", "CAS-01001-AAAA"), (19, "email", "CAS-01002-BBBB")]:
        make_session(
            tenant,
            f"sess-{channel}",
            channel=channel,
            status="done",
            took=3,
            dynamics365_ticket_number=ticket,
            received_at=at(day),
        )
    for i in range(3):
        make_session(tenant, f"sess-web-{i}", channel="web", status="done", received_at=at(20, i))
    return tenant


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_lets_a_lead_filter_find_by_ticket_open_and_follow_the_dynamics_link(
    page, acme, live_server
):
    member(acme, "lee", "lead")
    target = make_session(
        acme,
        "sess_8f2c1a",
        channel="phone",
        status="done",
        took=2,
        dynamics365_ticket_number="CAS-01042-Z4Q8",
        received_at=at(21),
    )
    # A page the live server really serves stands in for the Dynamics record.
    target.record_url = f"{live_server.url}/healthz"
    target.save()
    sign_in(page, "lee", PASSWORD)

    page.click("nav >> text=Handoffs")
    page.select_option("#id_channel", "phone")
    page.click("button:text('Apply')")
    assert "channel=phone" in page.url
    assert page.locator("table.history tbody tr").count() == 2  # the two phone sessions

    page.fill("#id_q", "CAS-01042-Z4Q8")
    page.click("button:text('Apply')")
    rows = page.locator("table.history tbody tr")
    assert rows.count() == 1
    assert "CAS-01042-Z4Q8" in rows.inner_text()

    rows.locator("a").first.click()
    page.wait_for_url(re.compile(rf"/t/acme/sessions/{target.pk}/"))
    assert "Channel: Phone" in page.locator("pre.header-lines").inner_text()
    link = page.locator("#open-in-dynamics")
    assert link.get_attribute("href") == target.record_url
    with page.context.expect_page() as opened:
        link.click()
    dynamics = opened.value
    dynamics.wait_for_load_state()
    assert dynamics.url == target.record_url
    assert '"ok": true' in dynamics.content()

    page.click("text=‹ Back to handoffs")
    assert page.locator("#id_q").input_value() == "CAS-01042-Z4Q8"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_lets_an_admin_retry_a_failed_session_with_the_same_record_id(page, acme):
    member(acme, "ada", "admin")
    failed = make_session(
        acme,
        "sess-failed",
        status="failed",
        attempts=1,
        record_id=RECORD_ID,
        last_error_code="integration_not_configured",
        last_error_message="No connection yet. Fix: Connect Dynamics 365, then retry.",
    )
    sign_in(page, "ada", PASSWORD)

    page.goto("/t/acme/sessions/?status=failed")
    page.click("text=sess-failed")
    page.click("button:text('Retry')")

    page.wait_for_url(re.compile(rf"/t/acme/sessions/{failed.pk}/"))
    failed.refresh_from_db()
    assert failed.attempts == 2
    assert failed.record_id == RECORD_ID
    assert HandoffSession.objects.filter(tenant=acme).count() == 6  # nothing new created
    # Without a Dynamics connection the attempt fails the same way again, and says so.
    assert "Retried, and it failed again (integration_not_configured)" in page.content()
    assert page.locator("#session-status").inner_text() == "Failed"
    assert page.locator("tr.event-replayed").count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_answers_404_to_another_tenants_lead(page, acme):
    session = HandoffSession.objects.get(session_id="sess-phone")
    globex = tenants.create_tenant("globex", "Globex")
    member(globex, "gina", "lead")
    sign_in(page, "gina", PASSWORD)

    response = page.goto(f"/t/acme/sessions/{session.pk}/")

    assert response.status == 404
    assert "CAS-01001-AAAA" not in page.content()
