"""Every channel lands in the sandbox through the real worker, with its header and its link."""

from __future__ import annotations

import pytest

from handoffs.channels import CHANNELS, sample_handoff
from handoffs.models import HandoffSession
from handoffs.outbound import http

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_writes_each_channel_where_reps_work(qcluster, sandbox_tenant):
    for channel in CHANNELS:
        assert sandbox_tenant.send(sample_handoff(channel.code, f"e2e-{channel.code}")) == 202

    sessions = {c.code: sandbox_tenant.wait(f"e2e-{c.code}") for c in CHANNELS}

    assert {s.status for s in sessions.values()} == {"done"}
    cases = {str(r.record_id): r for r in sandbox_tenant.rows("incident")}
    chats = {str(r.record_id): r for r in sandbox_tenant.rows("msdyn_ocliveworkitem")}
    assert len(cases) + len(chats) == len(CHANNELS)
    for channel in CHANNELS:
        session = sessions[channel.code]
        header = f"Channel: {channel.label}\n"
        if not channel.chat:
            case = cases[str(session.dynamics365_incident_id)]
            assert case.data["description"].startswith(header)
            assert case.data["caseorigincode"] == channel.case_origin
            assert case.data["ticketnumber"] == session.dynamics365_ticket_number
            assert case.data["customerid"]["id"] == str(session.dynamics365_contact_id)
        else:
            chat = chats[str(session.dynamics365_chat_id)]
            assert chat.data["description"].startswith(header)
            assert chat.data["msdyn_channel"] == str(channel.stream_source)
            assert chat.data["msdyn_customer"]["id"] == str(session.dynamics365_contact_id)


def test_it_gives_each_session_a_record_url_that_opens(qcluster, sandbox_tenant):
    sandbox_tenant.send(sample_handoff("phone", "e2e-link"))
    session = sandbox_tenant.wait("e2e-link")

    assert session.status == HandoffSession.Status.DONE
    assert session.record_url.startswith(sandbox_tenant.base_url + "/sandbox/e2e-org/main.aspx?")
    response, _ = http.send(http.session_for("e2e-pages"), "GET", session.record_url)
    assert response.status_code == 200
    assert session.dynamics365_ticket_number in response.text
    assert "Channel: Phone" in response.text
