"""No email: phone lookup, else the configured fallback, else one anonymous contact per tenant."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlsplit

from handoffs.dynamics.contacts import CONTACT_NAMESPACE
from handoffs.models import DynamicsConnection
from handoffs.tasks import process_handoff
from tests.handoffs.delivery.conftest import new_session

PHONE_CONTACT = "2a7d4c1e-4444-4aaa-8bbb-000000000004"
FALLBACK_ACCOUNT = "3b8e5d2f-5555-4ccc-8ddd-000000000005"
PHONE_ONLY = {"name": "Sam", "phone": "+15551234567"}


def test_it_finds_the_contact_by_phone(tenant, org):
    org.contact_found(PHONE_CONTACT)
    org.case_created()
    session = new_session(tenant, "phone", customer=PHONE_ONLY)

    process_handoff(session.pk)

    session.refresh_from_db()
    query = parse_qs(urlsplit(org.requests()[0].url).query)
    assert query["$filter"] == [
        "(telephone1 eq '+15551234567' or mobilephone eq '+15551234567') and statecode eq 0"
    ]
    assert str(session.dynamics365_contact_id) == PHONE_CONTACT


def test_it_links_the_configured_fallback_account(tenant, org, connection):
    connection.phone_lookup = False
    connection.fallback_customer_type = "account"
    connection.fallback_customer_id = FALLBACK_ACCOUNT
    connection.save()
    org.case_created()
    session = new_session(tenant, "phone", customer=PHONE_ONLY)

    process_handoff(session.pk)

    session.refresh_from_db()
    assert len(org.requests()) == 1
    body = org.sent(0)
    assert body["customerid_account@odata.bind"] == f"/accounts({FALLBACK_ACCOUNT})"
    assert "customerid_contact@odata.bind" not in body
    assert session.status == "done"
    assert session.dynamics365_contact_id is None


def test_it_falls_back_when_the_phone_matches_nobody(tenant, org, connection):
    connection.fallback_customer_type = "contact"
    connection.fallback_customer_id = PHONE_CONTACT
    connection.save()
    org.no_contact()
    org.case_created()
    session = new_session(tenant, "phone", customer=PHONE_ONLY)

    process_handoff(session.pk)

    assert org.sent(1)["customerid_contact@odata.bind"] == f"/contacts({PHONE_CONTACT})"


def test_it_creates_the_anonymous_contact_once_and_reuses_it(tenant, org):
    org.case_created()
    first = new_session(tenant, "phone", "anon-1", customer=None)
    second = new_session(tenant, "phone", "anon-2", customer={})

    process_handoff(first.pk)
    process_handoff(second.pk)

    anonymous = str(uuid.uuid5(CONTACT_NAMESPACE, f"{tenant.pk}:anonymous"))
    paths = [r.path_url.split("?")[0].rsplit("/", 1)[-1] for r in org.requests()]
    assert paths == ["incidents", "incidents"]
    created = org.sent(0)["customerid_contact"]
    assert created["contactid"] == anonymous
    assert created["firstname"] == "Anonymous"
    assert created["lastname"] == "OpenCX customer"
    assert org.sent(0)["title"] == "Billing - Anonymous"
    assert org.sent(1)["customerid_contact@odata.bind"] == f"/contacts({anonymous})"
    stored = DynamicsConnection.objects.get(tenant=tenant).anonymous_contact_id
    assert str(stored) == anonymous
