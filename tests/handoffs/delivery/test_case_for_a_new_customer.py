"""A new customer costs one more request: the contact, created with an id derived from the email."""

from __future__ import annotations

import uuid

from handoffs.dynamics.contacts import CONTACT_NAMESPACE
from handoffs.models import HandoffSession
from handoffs.tasks import process_handoff
from tests.handoffs.delivery.conftest import new_session

QUEUE = "7e1f0a3b-2222-4ccc-8ddd-000000000002"


def test_it_creates_the_contact_then_the_case_within_four_requests(tenant, org, connection):
    connection.default_queue_id = QUEUE
    connection.save()
    org.no_contact()
    org.contact_created()
    org.case_created()
    org.queued(QUEUE)
    session = new_session(tenant, "email", customer={"name": "Jean-Luc  de la Tour",
                                                     "email": " Jean.Tour@Example.COM ",
                                                     "phone": "+33612345678"})  # fmt: skip

    process_handoff(session.pk)

    session.refresh_from_db()
    expected_id = str(uuid.uuid5(CONTACT_NAMESPACE, f"{tenant.pk}:jean.tour@example.com"))
    methods = [(r.method, r.path_url.split("?")[0]) for r in org.requests()]
    assert methods == [
        ("GET", "/api/data/v9.2/contacts"),
        ("POST", "/api/data/v9.2/contacts"),
        ("POST", "/api/data/v9.2/incidents"),
        ("POST", f"/api/data/v9.2/queues({QUEUE})/Microsoft.Dynamics.CRM.AddToQueue"),
    ]
    assert org.sent(1) == {
        "contactid": expected_id,
        "firstname": "Jean-Luc de la",
        "lastname": "Tour",
        "emailaddress1": "jean.tour@example.com",
        "mobilephone": "+33612345678",
        "description": "Created by OpenCX for handoff sess-email.",
    }
    assert org.sent(2)["customerid_contact@odata.bind"] == f"/contacts({expected_id})"
    assert org.sent(2)["caseorigincode"] == 2
    assert session.status == HandoffSession.Status.DONE
    assert str(session.dynamics365_contact_id) == expected_id


def test_it_links_the_contact_a_concurrent_handoff_just_created(tenant, org):
    org.no_contact()
    org.contact_created(
        status=412,
        body={"error": {"code": "0x80040237", "message": "A record with matching key values "
                        "already exists."}},
    )  # fmt: skip
    org.case_created()
    session = new_session(tenant, "email")

    process_handoff(session.pk)

    session.refresh_from_db()
    expected_id = str(uuid.uuid5(CONTACT_NAMESPACE, f"{tenant.pk}:tom.baker@example.org"))
    assert session.status == "done"
    assert str(session.dynamics365_contact_id) == expected_id
    assert org.sent(2)["customerid_contact@odata.bind"] == f"/contacts({expected_id})"


def test_it_escapes_quotes_in_the_email_filter(tenant, org):
    org.no_contact()
    org.contact_created()
    org.case_created()
    session = new_session(tenant, "email", customer={"email": "O'Brien@Example.com"})

    process_handoff(session.pk)

    lookup = org.requests()[0]
    assert "emailaddress1+eq+%27o%27%27brien%40example.com%27" in lookup.url
    assert org.sent(1)["lastname"] == "o'brien@example.com"
