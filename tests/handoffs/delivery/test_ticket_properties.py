"""The tenant's ticket properties are merged into every case, but never replace id or customer."""

from __future__ import annotations

from handoffs.tasks import process_handoff
from tests.handoffs.delivery.conftest import new_session

CONTACT = "0f8b3c2a-1111-4aaa-8bbb-000000000001"


def test_it_merges_ticket_properties_over_the_defaults(tenant, org, connection):
    connection.ticket_properties = {
        "casetypecode": 2,
        "new_region": 100000001,
        "prioritycode": 3,
        "incidentid": "00000000-0000-0000-0000-000000000000",
        "customerid_account@odata.bind": "/accounts(00000000-0000-0000-0000-000000000000)",
    }
    connection.default_priority = 1
    connection.save()
    org.contact_found(CONTACT)
    org.case_created()
    session = new_session(tenant, "phone")

    process_handoff(session.pk)

    session.refresh_from_db()
    body = org.sent(1)
    assert body["casetypecode"] == 2
    assert body["new_region"] == 100000001
    assert body["prioritycode"] == 3
    assert body["incidentid"] == str(session.record_id)
    assert body["customerid_contact@odata.bind"] == f"/contacts({CONTACT})"
    assert "customerid_account@odata.bind" not in body
