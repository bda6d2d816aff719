"""A returning customer costs one create (note and queue item included), after one lookup."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from handoffs.models import HandoffSession
from handoffs.tasks import process_handoff
from tests.handoffs.delivery.conftest import TICKET, new_session

CONTACT = "0f8b3c2a-1111-4aaa-8bbb-000000000001"
QUEUE = "7e1f0a3b-2222-4ccc-8ddd-000000000002"
OWNER = "5d2c9b1e-3333-4eee-8fff-000000000003"


def test_it_creates_the_case_with_two_requests_once_the_token_is_cached(tenant, org):
    org.contact_found(CONTACT)
    org.case_created()
    session = new_session(tenant, "phone")

    process_handoff(session.pk)

    session.refresh_from_db()
    lookup, create = org.requests()
    assert lookup.method == "GET"
    query = parse_qs(urlsplit(lookup.url).query)
    assert query["$filter"] == ["(emailaddress1 eq 'maria.keller@example.com') and statecode eq 0"]
    assert query["$orderby"] == ["createdon asc"]
    assert query["$top"] == ["1"]
    assert query["$select"] == ["contactid"]
    assert create.method == "POST"
    assert urlsplit(create.url).path == "/api/data/v9.2/incidents"
    assert parse_qs(urlsplit(create.url).query)["$select"] == ["incidentid,ticketnumber"]
    assert create.headers["Prefer"] == "return=representation"
    assert session.status == HandoffSession.Status.DONE
    assert session.target == "incident"
    assert str(session.dynamics365_incident_id) == str(session.record_id)
    assert session.dynamics365_ticket_number == TICKET
    assert str(session.dynamics365_contact_id) == CONTACT
    assert session.record_url == (
        "https://contoso.crm.dynamics.com/main.aspx?etn=incident&pagetype=entityrecord"
        f"&id={session.record_id}"
    )
    assert session.completed_at is not None


def test_it_writes_every_case_field(tenant, org, connection):
    connection.default_priority = 1
    connection.default_owner_id = OWNER
    connection.save()
    org.contact_found(CONTACT)
    org.case_created()
    session = new_session(tenant, "phone")

    process_handoff(session.pk)

    session.refresh_from_db()
    body = org.sent(1)
    note = body.pop("Incident_Annotation")
    assert body == {
        "title": "Billing - Maria Keller",
        "description": body["description"],
        "caseorigincode": 1,
        "prioritycode": 1,
        "ownerid@odata.bind": f"/systemusers({OWNER})",
        "incidentid": str(session.record_id),
        "customerid_contact@odata.bind": f"/contacts({CONTACT})",
    }
    assert body["description"].startswith(
        "Channel: Phone\nClassification: Billing\nSentiment: Negative\n"
    )
    assert note == [
        {
            "annotationid": str(session.note_id),
            "subject": "OpenCX transcript sess-phone",
            "notetext": note[0]["notetext"],
        }
    ]
    assert "[2026-11-23T14:00:51Z] Customer: 4821." in note[0]["notetext"]


def test_it_creates_the_queue_item_inside_the_case_request(tenant, org, connection):
    connection.default_queue_id = QUEUE
    connection.save()
    org.contact_found(CONTACT)
    org.case_created()
    session = new_session(tenant, "phone")

    process_handoff(session.pk)

    session.refresh_from_db()
    assert len(org.requests()) == 2
    assert org.sent(1)["Incident_QueueItem"] == [{"queueid@odata.bind": f"/queues({QUEUE})"}]
    assert session.status == "done"


def test_it_audits_each_exchange_without_the_query(tenant, org):
    org.contact_found(CONTACT)
    org.case_created()
    session = new_session(tenant, "phone")

    process_handoff(session.pk)

    calls = [e.detail for e in session.events.filter(kind="dataverse_call")]
    assert [(c["method"], c["path"], c["status"]) for c in calls[-2:]] == [
        ("GET", "/api/data/v9.2/contacts", 200),
        ("POST", "/api/data/v9.2/incidents", 201),
    ]
    kinds = [e.kind for e in session.events.all()]
    assert kinds[0] == "received"
    assert kinds[-1] == "succeeded"


def test_it_costs_a_returning_customer_one_request_with_the_queue_once_warm(
    tenant, org, dynamics, connection
):
    connection.default_queue_id = QUEUE
    connection.save()
    org.contact_found(CONTACT)
    org.case_created()
    process_handoff(new_session(tenant, "phone", "warm-up").pk)
    before = len(dynamics.mock.calls)

    process_handoff(new_session(tenant, "phone", "second").pk)

    calls = dynamics.mock.calls[before:]
    assert [(c.request.method, c.request.path_url.split("?")[0]) for c in calls] == [
        ("POST", "/api/data/v9.2/incidents")
    ]
    assert org.sent(len(org.requests()) - 1)["customerid_contact@odata.bind"] == (
        f"/contacts({CONTACT})"
    )
    assert len(dynamics.token_calls()) == 1


def test_a_remembered_contact_keeps_its_age_and_is_looked_up_again_when_old(
    tenant, org, dynamics, settings
):
    from datetime import timedelta

    from django.utils import timezone

    from handoffs.models import ContactLink

    settings.CONTACT_LINK_MAX_AGE = 3600
    org.contact_found(CONTACT)
    org.case_created()
    process_handoff(new_session(tenant, "phone", "first").pk)
    learned = timezone.now() - timedelta(minutes=59)
    ContactLink.objects.update(learned_at=learned)

    before = len(dynamics.mock.calls)
    process_handoff(new_session(tenant, "phone", "within-the-hour").pk)
    used = [c.request.method for c in dynamics.mock.calls[before:]]
    assert used == ["POST"]  # bound to the remembered contact, no lookup
    assert ContactLink.objects.get().learned_at == learned  # using it did not make it younger

    ContactLink.objects.update(learned_at=timezone.now() - timedelta(minutes=61))
    before = len(dynamics.mock.calls)
    process_handoff(new_session(tenant, "phone", "after-the-hour").pk)
    looked_up = [c.request.method for c in dynamics.mock.calls[before:]]
    assert looked_up == ["GET", "POST"]  # looked up again, then remembered afresh
    assert ContactLink.objects.get().learned_at > learned
