"""A webhook for a tenant at its cap queues no task of its own: the tenant's finishing handoffs
take its session. None is left without one when a handoff finishes at the same moment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_q.models import OrmQ

from handoffs.channels import sample_handoff
from handoffs.models import HandoffSession

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def at_cap(tenant, webhook, settings, statements):
    """The tenant has its cap (2) of handoffs in flight; the tasks that took them are gone."""
    settings.TENANT_MAX_CONCURRENT_HANDOFFS = 2
    for index in range(2):
        assert webhook.post(sample_handoff("phone", f"busy-{index}")).status_code == 202
    HandoffSession.objects.update(
        status="processing", attempts=1, lease_until=timezone.now() + timedelta(minutes=1)
    )
    OrmQ.objects.all().delete()
    return HandoffSession.objects.all()


def test_it_queues_no_task_for_a_session_that_would_find_its_tenant_full(at_cap, webhook):
    response = webhook.post(sample_handoff("phone", "waiting"))

    assert response.status_code == 202
    assert HandoffSession.objects.get(session_id="waiting").status == "queued"
    assert OrmQ.objects.count() == 0


def test_it_queues_one_when_a_handoff_finishes_while_the_session_is_stored(at_cap, webhook):
    def finish_one_at_the_commit(execute, sql, params, many, context):
        # A worker finishes one of the tenant's handoffs right as the new session commits, and
        # looked for waiting sessions before the new one was visible.
        result = execute(sql, params, many, context)
        stores = sql.startswith(("INSERT", "WITH")) and '"handoffs_handoffsession"' in sql
        if stores and params and "waiting" in params:
            transaction.on_commit(lambda: at_cap.filter(session_id="busy-0").update(status="done"))
        return result

    with connection.execute_wrapper(finish_one_at_the_commit):
        response = webhook.post(sample_handoff("phone", "waiting"))

    assert response.status_code == 202
    assert OrmQ.objects.count() == 1
