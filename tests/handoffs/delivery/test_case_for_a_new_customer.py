"""A new customer costs two requests: the lookup, then one create of contact, case, note, queue."""

from __future__ import annotations

import uuid

from handoffs.dynamics.contacts import CONTACT_NAMESPACE
from handoffs.models import ContactLink, HandoffSession
from handoffs.tasks import process_handoff
from tests.handoffs.delivery.conftest import API, TICKET, new_session

QUEUE = "7e1f0a3b-2222-4ccc-8ddd-000000000002"
DUPLICATE = {"error": {"code": "0x80040237", "message": "A record with matching key values "
                       "already exists."}}  # fmt: skip
JEAN = {"name": "Jean-Luc  de la Tour", "email": " Jean.Tour@Example.COM ", "phone": "+33612345678"}


def contact_id_for(tenant, email: str) -> str:
    return str(uuid.uuid5(CONTACT_NAMESPACE, f"{tenant.pk}:{email}"))


def with_record_id(session: HandoffSession) -> HandoffSession:
    """The record id an earlier attempt already fixed (the case lives under it)."""
    session.record_id = uuid.uuid4()
    session.save(update_fields=["record_id"])
    return session


def test_it_creates_contact_case_note_and_queue_item_in_one_request(tenant, org, connection):
    connection.default_queue_id = QUEUE
    connection.save()
    org.no_contact()
    org.case_created()
    session = new_session(tenant, "email", customer=JEAN)

    process_handoff(session.pk)

    session.refresh_from_db()
    expected_id = contact_id_for(tenant, "jean.tour@example.com")
    methods = [(r.method, r.path_url.split("?")[0]) for r in org.requests()]
    assert methods == [("GET", "/api/data/v9.2/contacts"), ("POST", "/api/data/v9.2/incidents")]
    body = org.sent(1)
    assert body["customerid_contact"] == {
        "contactid": expected_id,
        "firstname": "Jean-Luc de la",
        "lastname": "Tour",
        "emailaddress1": "jean.tour@example.com",
        "mobilephone": "+33612345678",
        "description": "Created by OpenCX for handoff sess-email.",
    }
    assert "customerid_contact@odata.bind" not in body
    assert body["Incident_QueueItem"] == [{"queueid@odata.bind": f"/queues({QUEUE})"}]
    assert body["Incident_Annotation"][0]["annotationid"] == str(session.note_id)
    assert body["caseorigincode"] == 2
    assert session.status == HandoffSession.Status.DONE
    assert str(session.dynamics365_contact_id) == expected_id
    link = ContactLink.objects.get(tenant=tenant)
    assert (link.email, str(link.contact_id)) == ("jean.tour@example.com", expected_id)


def test_it_binds_the_contact_a_concurrent_handoff_just_created(tenant, org, dynamics):
    org.no_contact()
    expected_id = contact_id_for(tenant, "tom.baker@example.org")
    session = with_record_id(new_session(tenant, "email"))
    # The nested contact's id exists: the whole create is refused, and the case is not there.
    dynamics.add("POST", "incidents", status=412, body=DUPLICATE)
    dynamics.add("GET", f"incidents({session.record_id})", status=404,
                 body={"error": {"code": "0x80040217", "message": "Does Not Exist"}})  # fmt: skip
    org.case_created()

    process_handoff(session.pk)

    session.refresh_from_db()
    assert session.status == "done"
    assert session.dynamics365_ticket_number == TICKET
    assert str(session.dynamics365_contact_id) == expected_id
    retry = org.sent(3)
    assert retry["customerid_contact@odata.bind"] == f"/contacts({expected_id})"
    assert "customerid_contact" not in retry
    assert [r.method for r in org.requests()] == ["GET", "POST", "GET", "POST"]


def test_it_reads_back_a_case_whose_create_landed_but_whose_answer_was_lost(tenant, org, dynamics):
    org.no_contact()
    session = with_record_id(new_session(tenant, "email"))
    dynamics.add("POST", "incidents", status=412, body=DUPLICATE)
    dynamics.add(
        "GET",
        f"incidents({session.record_id})",
        body={"incidentid": str(session.record_id), "ticketnumber": TICKET},
    )

    process_handoff(session.pk)

    session.refresh_from_db()
    assert session.status == "done"
    assert session.dynamics365_ticket_number == TICKET
    assert [r.url.split("?")[0] for r in org.requests()][-1] == (
        f"{API}incidents({session.record_id})"
    )


def test_it_escapes_quotes_in_the_email_filter(tenant, org):
    org.no_contact()
    org.case_created()
    session = new_session(tenant, "email", customer={"email": "O'Brien@Example.com"})

    process_handoff(session.pk)

    lookup = org.requests()[0]
    assert "emailaddress1+eq+%27o%27%27brien%40example.com%27" in lookup.url
    assert org.sent(1)["customerid_contact"]["lastname"] == "o'brien@example.com"
