"""Returning customers are linked to their contact; new ones get exactly one new contact."""

from __future__ import annotations

import uuid

import pytest

from dataverse_sandbox import provisioning
from dataverse_sandbox.models import Record
from handoffs.channels import sample_handoff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def existing_contact(org, email: str) -> Record:
    return Record.objects.create(
        org=org,
        entity="contact",
        record_id=uuid.UUID("7d2f6a3e-1b4c-4d5e-8f90-a1b2c3d4e5f6"),
        data={"firstname": "Tom", "lastname": "Baker", "emailaddress1": email, "statecode": 0,
              "createdon": "2025-01-01T00:00:00Z"},
    )  # fmt: skip


def test_it_links_a_returning_customer_to_their_contact(qcluster, sandbox_tenant):
    known = existing_contact(sandbox_tenant.org, "Tom.Baker@Example.ORG")

    sandbox_tenant.send(sample_handoff("email", "e2e-returning"))
    session = sandbox_tenant.wait("e2e-returning")

    assert session.status == "done"
    assert session.dynamics365_contact_id == known.record_id
    assert len(sandbox_tenant.rows("contact")) == 1
    case = sandbox_tenant.rows("incident")[0]
    assert case.data["customerid"] == {"id": str(known.record_id), "entity": "contact"}


def test_it_creates_a_contact_for_a_new_customer(qcluster, sandbox_tenant):
    sandbox_tenant.send(sample_handoff("phone", "e2e-new"))
    session = sandbox_tenant.wait("e2e-new")

    contacts = sandbox_tenant.rows("contact")
    assert session.status == "done"
    assert [str(c.record_id) for c in contacts] == [str(session.dynamics365_contact_id)]
    assert contacts[0].data["emailaddress1"] == "maria.keller@example.com"
    assert contacts[0].data["fullname"] == "Maria Keller"
    assert contacts[0].data["mobilephone"] == "+4915123456789"
    # The contact is created inside the case's own request: one lookup, one create.
    assert provisioning.request_count(sandbox_tenant.org, method="POST") == 1
    assert provisioning.request_count(sandbox_tenant.org, method="GET") == 1
