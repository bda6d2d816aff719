"""A worker with a backlog goes on to the next fairest handoff itself, without a round through
the queue; no ready session is ever left without a task."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import OrmQ

from handoffs.lifecycle import attempt
from handoffs.models import DynamicsConnection, HandoffSession
from handoffs.tenancy.tenants import create_tenant
from tests.handoffs.delivery.conftest import new_session

pytestmark = pytest.mark.django_db(transaction=True)

CONTACT = "0f8b3c2a-1111-4aaa-8bbb-000000000001"


@pytest.fixture
def org(org):
    org.contact_found(CONTACT)
    org.case_created()
    return org


def statuses(*sessions: HandoffSession) -> list[str]:
    return [HandoffSession.objects.get(pk=s.pk).status for s in sessions]


def test_one_task_delivers_a_tenants_backlog_without_queueing_more(tenant, org, statements):
    backlog = [new_session(tenant, "phone", f"backlog-{i}") for i in range(3)]
    tasks = OrmQ.objects.count()  # one per accepted webhook

    attempt.process_next()

    assert statuses(*backlog) == ["done", "done", "done"]
    assert OrmQ.objects.count() == tasks


def test_a_task_stops_taking_more_after_its_time_and_queues_the_rest(
    tenant, org, statements, monkeypatch
):
    monkeypatch.setattr(attempt, "KEEP_GOING_SECONDS", 0)
    backlog = [new_session(tenant, "phone", f"backlog-{i}") for i in range(3)]
    tasks = OrmQ.objects.count()

    attempt.process_next()

    assert statuses(*backlog) == ["done", "queued", "queued"]
    assert OrmQ.objects.count() == tasks + 1  # the place it freed gets a task


def test_a_place_freed_for_another_tenants_turn_still_gets_a_task(
    tenant, connection, org, statements, settings
):
    settings.TENANT_MAX_CONCURRENT_HANDOFFS = 1
    other = create_tenant("globex", "Globex")
    DynamicsConnection.objects.create(
        tenant=other,
        azure_tenant_id=connection.azure_tenant_id,
        client_id=connection.client_id,
        client_secret=connection.client_secret,
        environment_url=connection.environment_url,
        secret_expires_on=timezone.localdate() + timedelta(days=200),
    )
    first = new_session(tenant, "phone", "acme-1")
    theirs = new_session(other, "phone", "globex-1")
    second = new_session(tenant, "phone", "acme-2")
    tasks = OrmQ.objects.count()

    attempt.process_next()

    # Oldest first across tenants: acme-1, then globex-1 (older than acme-2), then acme-2.
    assert statuses(first, theirs, second) == ["done", "done", "done"]
    # acme's freed place went to globex's turn, so acme-2 was given a task of its own meanwhile.
    assert OrmQ.objects.count() == tasks + 1
