"""A Dynamics outage is a state of the tenant: handoffs wait together, one probe a minute."""

from __future__ import annotations

import pytest
from django.utils import timezone

from handoffs.lifecycle import outage
from handoffs.models import DynamicsConnection, HandoffSession
from handoffs.tasks import probe_outages, process_handoff
from tests.handoffs.delivery.conftest import API, new_session
from tests.handoffs.dynamics.fakes import dataverse_error

CONTACT = "0f8b3c2a-1111-4aaa-8bbb-000000000001"
DOWN = dataverse_error("", "Service unavailable")


@pytest.fixture
def down(org, dynamics, settings):
    settings.OUTAGE_THRESHOLD = 2
    org.contact_found(CONTACT)
    dynamics.add("POST", "incidents", 503, DOWN)
    dynamics.add("GET", "WhoAmI", 503, DOWN)
    return dynamics


def start_outage(tenant) -> list[HandoffSession]:
    sessions = [new_session(tenant, "phone", f"during-{i}") for i in range(2)]
    for session in sessions:
        process_handoff(session.pk)
    return [HandoffSession.objects.get(pk=s.pk) for s in sessions]


def whoami_calls(dynamics) -> int:
    return sum(1 for c in dynamics.dataverse_calls() if c.request.url.startswith(API + "WhoAmI"))


def test_it_marks_the_tenant_down_and_parks_its_handoffs_without_using_attempts(
    tenant, connection, down
):
    first, second = start_outage(tenant)

    connection.refresh_from_db()
    assert connection.unavailable_since is not None
    assert (first.status, first.attempts) == ("retrying", 1)
    assert (second.status, second.attempts, second.last_error_code) == (
        "retrying",
        0,
        "dynamics_unavailable",
    )
    assert second.next_attempt_at is None


def test_it_sends_nothing_to_dynamics_for_new_handoffs_during_the_outage(tenant, connection, down):
    start_outage(tenant)
    calls = len(down.dataverse_calls())
    arriving = new_session(tenant, "phone", "arriving")

    process_handoff(arriving.pk)

    assert len(down.dataverse_calls()) == calls
    assert HandoffSession.objects.get(pk=arriving.pk).status == "queued"


def test_it_probes_at_most_once_a_minute(tenant, connection, down):
    start_outage(tenant)

    probe_outages()  # the minute has not passed
    assert whoami_calls(down) == 0
    DynamicsConnection.objects.update(next_probe_at=timezone.now())
    probe_outages()
    probe_outages()

    assert whoami_calls(down) == 1
    connection.refresh_from_db()
    assert connection.unavailable_since is not None
    assert connection.next_probe_at > timezone.now()


def test_it_sends_every_waiting_handoff_once_dynamics_answers(tenant, connection, down, org):
    waiting = start_outage(tenant)
    arriving = new_session(tenant, "phone", "arriving")
    process_handoff(arriving.pk)
    down.mock.replace("GET", API + "WhoAmI", json={"UserId": "u", "BusinessUnitId": "b",
                                                  "OrganizationId": "o"})  # fmt: skip
    down.mock.remove("POST", API + "incidents")
    org.case_created()
    DynamicsConnection.objects.update(next_probe_at=timezone.now())

    assert outage.probe_due() == 1

    sessions = HandoffSession.objects.filter(pk__in=[s.pk for s in [*waiting, arriving]])
    assert {s.status for s in sessions} == {"done"}
    connection.refresh_from_db()
    assert connection.unavailable_since is None
    assert connection.transient_failures == 0


def test_a_success_ends_the_run_of_failures_other_handoffs_had_since_it_started(
    connection, settings
):
    from handoffs.errors import HandoffError

    settings.OUTAGE_THRESHOLD = 2
    unavailable = HandoffError("dataverse_unavailable")
    read_when_it_started = DynamicsConnection.objects.get(pk=connection.pk)  # no failures then
    outage.note_failure(connection, unavailable)  # another handoff of the tenant fails

    outage.note_success(read_when_it_started)  # its own call went through

    assert not outage.note_failure(connection, unavailable)  # one failure in a row, not two
    assert DynamicsConnection.objects.get(pk=connection.pk).unavailable_since is None
