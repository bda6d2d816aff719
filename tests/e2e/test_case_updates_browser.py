"""In Chromium: a rep resolves a case on its sandbox page; the lead sees it on the handoff."""

from __future__ import annotations

import pytest

from handoffs.models import OutboundEvent
from handoffs.tasks import poll_case_changes
from tests.browser import sign_in
from tests.dataverse_sandbox.messaging_helpers import Receiver
from tests.e2e.test_history_browser import PASSWORD, connected_tenant, hand_off, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def receiver():
    running = Receiver().start()
    yield running
    running.stop()


@pytest.fixture
def acme(live_server, receiver):
    tenant, _ = connected_tenant(live_server.url, "acme")
    tenant.callback_url = receiver.url
    tenant.save()
    member(tenant, "ada", "admin")
    return tenant


def test_it_resolves_on_the_record_page_and_shows_the_update_on_the_handoff(page, acme, receiver):
    session = hand_off(acme, "phone", "sess-browser")
    poll_case_changes(acme.pk)  # the first look: the case as the handoff made it

    page.goto(session.record_url)
    page.select_option("#resolve-status", label="Information Provided")
    page.fill("#resolve-text", "Explained the duplicate charge")
    page.get_by_role("button", name="Resolve", exact=True).click()
    page.wait_for_load_state()
    assert "Case resolved." in page.inner_text("main")
    assert "Explained the duplicate charge" in page.inner_text("#case-resolutions")
    poll_case_changes(acme.pk)
    sign_in(page, "ada", PASSWORD)
    page.goto(f"/t/acme/sessions/{session.pk}/")

    now = page.inner_text("#case-now")
    assert "Resolved" in now and "Information Provided" in now
    assert "Explained the duplicate charge" in now
    assert "Case updated in Dynamics" in page.inner_text(".timeline")
    page.goto("/t/acme/sessions/")
    assert page.inner_text(".case-state") == "Resolved"
    # Sent by the worker; this test process refuses loopback callbacks (DEBUG is off in tests).
    events = OutboundEvent.objects.filter(session=session, name="case.updated")
    assert [e.body["resolution"] for e in events] == ["Explained the duplicate charge"]


def test_it_fits_the_rep_card_and_the_case_updates_setting_on_a_phone(page, acme):
    session = hand_off(acme, "phone", "sess-phone")
    page.set_viewport_size(PHONE)

    page.goto(session.record_url)
    assert page.is_visible("#case-actions")
    assert page.evaluate(OVERFLOW) <= 0
    sign_in(page, "ada", PASSWORD)
    page.goto("/t/acme/settings/webhook/")
    assert page.is_visible("#id_case_updates_enabled")
    assert page.evaluate(OVERFLOW) <= 0
