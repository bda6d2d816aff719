"""Every channel lands in the sandbox through the real worker, with its header and its link."""

from __future__ import annotations

import pytest

from handoffs.channels import sample_handoff
from handoffs.models import HandoffSession
from handoffs.outbound import http

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADERS = {
    "phone": "Channel: Phone\nClassification: Billing\n",
    "email": "Channel: Email\n",
    "web": "Channel: Web chat\n",
    "sms": "Channel: SMS\n",
    "whatsapp": "Channel: WhatsApp\n",
}
CHAT_CHANNELS = {"web": "192360000", "sms": "192340000", "whatsapp": "192300000"}


def test_it_writes_each_channel_where_reps_work(qcluster, sandbox_tenant):
    for channel in HEADERS:
        assert sandbox_tenant.send(sample_handoff(channel, f"e2e-{channel}")) == 202

    sessions = {c: sandbox_tenant.wait(f"e2e-{c}") for c in HEADERS}

    assert {c: s.status for c, s in sessions.items()} == dict.fromkeys(HEADERS, "done")
    cases = {str(r.record_id): r for r in sandbox_tenant.rows("incident")}
    chats = {str(r.record_id): r for r in sandbox_tenant.rows("msdyn_ocliveworkitem")}
    assert len(cases) == 2 and len(chats) == 3
    for channel in ("phone", "email"):
        session = sessions[channel]
        case = cases[str(session.dynamics365_incident_id)]
        assert case.data["description"].startswith(HEADERS[channel])
        assert case.data["ticketnumber"] == session.dynamics365_ticket_number
        assert case.data["customerid"]["id"] == str(session.dynamics365_contact_id)
    for channel, option in CHAT_CHANNELS.items():
        chat = chats[str(sessions[channel].dynamics365_chat_id)]
        assert chat.data["description"].startswith(HEADERS[channel])
        assert chat.data["msdyn_channel"] == option
        assert chat.data["msdyn_customer"]["id"] == str(sessions[channel].dynamics365_contact_id)


def test_it_gives_each_session_a_record_url_that_opens(qcluster, sandbox_tenant):
    sandbox_tenant.send(sample_handoff("phone", "e2e-link"))
    session = sandbox_tenant.wait("e2e-link")

    assert session.status == HandoffSession.Status.DONE
    assert session.record_url.startswith(sandbox_tenant.base_url + "/sandbox/e2e-org/main.aspx?")
    response, _ = http.send(http.session_for("e2e-pages"), "GET", session.record_url)
    assert response.status_code == 200
    assert session.dynamics365_ticket_number in response.text
    assert "Channel: Phone" in response.text
