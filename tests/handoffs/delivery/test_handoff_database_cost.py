"""What a returning customer's handoff costs our own database, counted (the counts do not vary).

Before Dynamics is called: the fair choice (one query), then one transaction that locks the
tenant, takes its oldest ready session with the tenant's handoffs in flight and connection, marks
it processing and moves its rollup cells, then the remembered contact. After: the call's audit
row, then one transaction for done, its rollups and its audit row.
"""

from __future__ import annotations

import pytest
from django.db import connections

from handoffs.lifecycle.attempt import process_next
from handoffs.models import HandoffSession
from tests.handoffs.delivery.conftest import echo_created, new_session
from tests.handoffs.dynamics.fakes import API

pytestmark = pytest.mark.django_db(transaction=True)

CONTACT = "0f8b3c2a-1111-4aaa-8bbb-000000000001"


def test_a_returning_customers_handoff_costs_six_statements_before_dynamics_and_three_commits(
    tenant, org, dynamics, statements
):
    org.contact_found(CONTACT)
    before_create: list[int] = []

    def created(request):
        before_create.append(len(statements.sql))
        return echo_created("incidentid", {"ticketnumber": "CAS-1"})(request)

    dynamics.mock.add_callback("POST", API + "incidents", callback=created)
    new_session(tenant, "phone", "first")
    process_next()  # looks the contact up, remembers it, caches the token
    session = new_session(tenant, "phone", "returning")
    with connections["default"].execute_wrapper(statements):
        statements.reset()
        before_create.clear()

        process_next()

    session.refresh_from_db()
    assert session.status == HandoffSession.Status.DONE
    assert before_create == [6], statements.sql
    assert statements.transactions == 3, statements.sql
