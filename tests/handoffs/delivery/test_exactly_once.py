"""A crash between the create and the database update never makes a second record."""

from __future__ import annotations

import json
from datetime import timedelta

from django.utils import timezone

from handoffs import delivery
from handoffs.dynamics.client import client_for
from handoffs.lifecycle.claim import claim
from handoffs.models import HandoffSession
from handoffs.tasks import process_handoff
from tests.handoffs.delivery.conftest import TICKET, new_session
from tests.handoffs.dynamics.fakes import API, dataverse_error

CONTACT = "0f8b3c2a-1111-4aaa-8bbb-000000000001"
DUPLICATE = dataverse_error("0x80040237", "A record with matching key values already exists.")


def test_it_reads_back_the_case_an_interrupted_attempt_created(tenant, org, connection, dynamics):
    org.contact_found(CONTACT)
    org.case_created()
    session = new_session(tenant, "phone")
    claimed = claim(session.pk)
    # The worker dies right after Dataverse created the case: nothing is stored on the session.
    delivery.deliver(client_for(connection), claimed, connection)
    # Its lease runs out: no worker holds the session any more.
    long_ago = timezone.now() - timedelta(hours=1)
    HandoffSession.objects.filter(pk=session.pk).update(lease_until=long_ago)
    dynamics.mock.replace("POST", API + "incidents", status=412, json=DUPLICATE)
    read_back = dynamics.add(
        "GET",
        f"incidents({claimed.record_id})",
        body={"incidentid": str(claimed.record_id), "ticketnumber": TICKET},
    )

    process_handoff(session.pk)

    session.refresh_from_db()
    creates = [r for r in org.requests() if r.method == "POST" and "incidents" in r.url]
    assert [json.loads(r.body)["incidentid"] for r in creates] == [str(claimed.record_id)] * 2
    assert "%24select=incidentid%2Cticketnumber" in read_back.calls[0].request.url
    assert session.status == "done"
    assert session.attempts == 2
    assert str(session.dynamics365_incident_id) == str(claimed.record_id)
    assert session.dynamics365_ticket_number == TICKET


def test_it_changes_nothing_when_a_done_session_runs_again(tenant, org):
    org.contact_found(CONTACT)
    org.case_created()
    session = new_session(tenant, "phone")
    process_handoff(session.pk)
    calls = len(org.requests())
    events = session.events.count()

    process_handoff(session.pk)

    session.refresh_from_db()
    assert len(org.requests()) == calls
    assert session.events.count() == events
    assert session.attempts == 1


def test_it_treats_an_already_queued_case_as_queued(tenant, org, connection, dynamics):
    queue = "7e1f0a3b-2222-4ccc-8ddd-000000000002"
    connection.default_queue_id = queue
    connection.save()
    org.contact_found(CONTACT)
    org.case_created()
    dynamics.add(
        "POST",
        f"queues({queue})/Microsoft.Dynamics.CRM.AddToQueue",
        400,
        dataverse_error("0x80040526", "An active queue item already exists for this object."),
    )
    session = new_session(tenant, "phone")

    process_handoff(session.pk)

    session.refresh_from_db()
    assert session.status == "done"
