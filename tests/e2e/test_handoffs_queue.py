"""Cases go into the default queue; conversations are routed to it."""

from __future__ import annotations

import pytest

from handoffs.channels import sample_handoff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_places_records_in_the_default_queue(qcluster, sandbox_tenant):
    queue_id = str(sandbox_tenant.tenant.connection.default_queue_id)

    sandbox_tenant.send(sample_handoff("phone", "e2e-queue"))
    sandbox_tenant.send(sample_handoff("web", "e2e-queue-chat"))
    case_session = sandbox_tenant.wait("e2e-queue")
    chat_session = sandbox_tenant.wait("e2e-queue-chat")

    items = sandbox_tenant.rows("queueitem")
    assert [(i.data["queueid"]["id"], i.data["objectid"]["id"]) for i in items] == [
        (queue_id, str(case_session.dynamics365_incident_id))
    ]
    chat = sandbox_tenant.rows("msdyn_ocliveworkitem")[0]
    assert str(chat.record_id) == str(chat_session.dynamics365_chat_id)
    assert chat.data["msdyn_cdsqueueid"]["id"] == queue_id
