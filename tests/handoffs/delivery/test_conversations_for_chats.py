"""Web chat, SMS and WhatsApp become Omnichannel conversations (or cases, when configured)."""

from __future__ import annotations

import pytest

from handoffs.tasks import process_handoff
from tests.handoffs.delivery.conftest import new_session

CONTACT = "0f8b3c2a-1111-4aaa-8bbb-000000000001"
QUEUE = "7e1f0a3b-2222-4ccc-8ddd-000000000002"
WORKSTREAM = "8f2a1b4c-6666-4eee-8fff-000000000006"
OWNER = "5d4c3b2a-7777-4aaa-8bbb-000000000007"
CUSTOMER = {"name": "Ana Souza", "email": "ana.souza@example.com"}


@pytest.mark.parametrize(
    ("channel", "label", "stream"),
    [("web", "Web chat", "192360000"), ("sms", "SMS", "192340000"),
     ("whatsapp", "WhatsApp", "192300000")],
)  # fmt: skip
def test_it_creates_a_routed_conversation_with_its_note(
    tenant, org, connection, channel, label, stream
):
    connection.default_queue_id = QUEUE
    connection.default_workstream_id = WORKSTREAM
    connection.default_owner_id = OWNER
    connection.save()
    org.contact_found(CONTACT)
    org.conversation_created()
    session = new_session(tenant, channel, customer=CUSTOMER)

    process_handoff(session.pk)

    session.refresh_from_db()
    assert len(org.requests()) == 2
    create = org.requests()[1]
    assert create.path_url.startswith("/api/data/v9.2/msdyn_ocliveworkitems?")
    assert create.headers["Prefer"] == "return=representation"
    body = org.sent(1)
    note = body.pop("msdyn_ocliveworkitem_Annotations")
    assert body == {
        "activityid": str(session.record_id),
        "subject": f"{session.classification} - Ana Souza",
        "msdyn_channel": stream,
        "description": body["description"],
        "msdyn_customer_msdyn_ocliveworkitem_contact@odata.bind": f"/contacts({CONTACT})",
        # The navigation names msdyn_ocliveworkitem declares, not its lookup columns' names.
        "msdyn_liveworkstreamid_msdyn_ocliveworkitem@odata.bind": (
            f"/msdyn_liveworkstreams({WORKSTREAM})"
        ),
        "msdyn_cdsqueueid_msdyn_ocliveworkitem@odata.bind": f"/queues({QUEUE})",
        "ownerid_msdyn_ocliveworkitem@odata.bind": f"/systemusers({OWNER})",
    }
    assert body["description"].startswith(f"Channel: {label}\nClassification: ")
    assert note[0]["annotationid"] == str(session.note_id)
    assert note[0]["subject"] == f"OpenCX transcript sess-{channel}"
    assert session.status == "done"
    assert session.target == "live_work_item"
    assert str(session.dynamics365_chat_id) == str(session.record_id)
    assert session.dynamics365_incident_id is None
    assert session.record_url.endswith(
        f"main.aspx?etn=msdyn_ocliveworkitem&pagetype=entityrecord&id={session.record_id}"
    )


def test_it_writes_chats_as_web_cases_for_orgs_without_omnichannel(tenant, org, connection):
    connection.chat_target = "incident"
    connection.save()
    org.contact_found(CONTACT)
    org.case_created()
    session = new_session(tenant, "whatsapp", customer=CUSTOMER)

    process_handoff(session.pk)

    session.refresh_from_db()
    body = org.sent(1)
    assert body["caseorigincode"] == 3
    assert body["description"].startswith("Channel: WhatsApp\n")
    assert session.target == "incident"
    assert session.dynamics365_ticket_number
