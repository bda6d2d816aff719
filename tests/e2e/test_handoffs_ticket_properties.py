"""A tenant's ticket_properties are written onto every case."""

from __future__ import annotations

import pytest

from handoffs.channels import sample_handoff
from handoffs.models import DynamicsConnection

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_writes_ticket_properties_on_the_case(qcluster, sandbox_tenant):
    DynamicsConnection.objects.filter(tenant=sandbox_tenant.tenant).update(
        ticket_properties={"new_productcode": "SKU-42", "new_region": 100000001, "casetypecode": 2},
        default_priority=1,
    )

    sandbox_tenant.send(sample_handoff("email", "e2e-props"))
    session = sandbox_tenant.wait("e2e-props")

    assert session.status == "done", session.last_error_message
    case = sandbox_tenant.rows("incident")[0].data
    assert case["new_productcode"] == "SKU-42"
    assert case["new_region"] == 100000001
    assert case["casetypecode"] == 2
    assert case["prioritycode"] == 1
    assert case["caseorigincode"] == 2
