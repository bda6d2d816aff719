"""Support leads see each case's current state in the list and every update on the session."""

from __future__ import annotations

import pytest

from handoffs.models import HandoffEvent
from tests.settings_ui.history_helpers import make_session

pytestmark = pytest.mark.django_db


def test_it_badges_each_case_with_its_state_in_the_list(lead_client, tenant):
    make_session(
        tenant, "sess-res", status="done", dynamics365_ticket_number="CAS-1", case_state="resolved"
    )
    make_session(tenant, "sess-new", status="done", dynamics365_ticket_number="CAS-2")

    page = lead_client.get("/t/acme/sessions/").content.decode()

    assert (
        '<span class="case-state case-resolved" title="The case in Dynamics">Resolved</span>'
        in page
    )
    assert page.count('class="case-state') == 1


def test_it_shows_the_case_now_and_each_update_on_the_timeline(lead_client, tenant):
    session = make_session(
        tenant,
        "sess-1",
        status="done",
        dynamics365_ticket_number="CAS-1",
        case_state="resolved",
        case_status_reason="Problem Solved",
        case_owner="Avery Agent",
        case_resolution="Refund issued",
    )
    HandoffEvent.objects.create(
        session=session,
        kind=HandoffEvent.Kind.CASE_UPDATED,
        detail={
            "state": "resolved",
            "status_reason": "Problem Solved",
            "owner": "Avery Agent",
            "resolution": "Refund issued",
            "event_id": "e-1",
        },
    )

    page = lead_client.get(f"/t/acme/sessions/{session.pk}/").content.decode()

    now = page[page.index('id="case-now"') :]
    assert "Problem Solved" in now and "Avery Agent" in now and "Refund issued" in now
    timeline = page[page.index("Audit timeline") :]
    assert "Case updated in Dynamics" in timeline
    assert "resolution: Refund issued" in timeline
