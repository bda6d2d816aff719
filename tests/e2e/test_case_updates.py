"""A rep changes a case in the sandbox; the real worker tells OpenCX's receiver, once.

The worker's own schedule runs the poll every minute; to keep the test short it is run at once
by moving the schedule's next run to now (the scheduler looks every 30 seconds) or by queueing
the same task the schedule queues.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable

import pytest
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task

from dataverse_sandbox import cases, provisioning
from dataverse_sandbox.models import Record, RequestLog
from handoffs.caseupdates.schedule import SCHEDULE_NAME
from handoffs.channels import sample_handoff
from handoffs.models import CaseTracking, HandoffSession
from tests.dataverse_sandbox.messaging_helpers import Receiver
from tests.e2e.conftest import BASE_DIR, stop, worker_environment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def wait_until(done: Callable[[], object], what: str, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = done()
        if found:
            return found
        time.sleep(0.25)
    pytest.fail(f"still waiting after {timeout} s for {what}")


@pytest.fixture
def receiver():
    running = Receiver().start()
    yield running
    running.stop()


@pytest.fixture
def opencx(sandbox_tenant, receiver):
    """The sandbox tenant with OpenCX's callback URL pointing at the receiver."""
    sandbox_tenant.tenant.callback_url = receiver.url
    sandbox_tenant.tenant.save()
    return sandbox_tenant


def case_updates(receiver: Receiver) -> list[dict]:
    return [b for b in receiver.bodies() if b.get("event") == "case.updated"]


def handed_off(opencx, session_id: str) -> tuple[HandoffSession, Record]:
    assert opencx.send(sample_handoff("phone", session_id)) == 202
    session = opencx.wait(session_id)
    return session, Record.objects.get(record_id=session.dynamics365_incident_id)


def poll(opencx) -> CaseTracking:
    """Queue the schedule's task, as the schedule does, and wait for the tenant's poll."""
    before = CaseTracking.objects.filter(tenant=opencx.tenant).first()
    last = before.last_polled_at if before else None
    async_task("handoffs.tasks.follow_case_changes")

    def polled():
        tracking = CaseTracking.objects.filter(tenant=opencx.tenant).first()
        finished = tracking and tracking.last_polled_at and tracking.polling_until is None
        return tracking if finished and tracking.last_polled_at != last else None

    return wait_until(polled, "the tenant's case poll")


def test_it_tells_opencx_once_when_a_rep_resolves_a_case(qcluster, opencx, receiver):
    session, case = handed_off(opencx, "e2e-resolve")
    # The migrations' schedule, due now (an earlier transactional test may have flushed it).
    Schedule.objects.update_or_create(
        name=SCHEDULE_NAME,
        defaults={
            "func": "handoffs.tasks.follow_case_changes",
            "schedule_type": Schedule.MINUTES,
            "minutes": 1,
            "repeats": -1,
            "next_run": timezone.now(),
        },
    )
    wait_until(
        lambda: CaseTracking.objects.filter(tenant=opencx.tenant, delta_link__gt="").first(),
        "the schedule's first poll",
        timeout=75,
    )

    cases.resolve(cases.rep_caller(opencx.org), case, "Refund of 49.90 EUR issued")
    poll(opencx)
    [update] = wait_until(lambda: case_updates(receiver), "case.updated at the receiver")
    poll(opencx)

    assert update["session_id"] == "e2e-resolve"
    assert update["dynamics365_ticket_number"] == session.dynamics365_ticket_number
    assert (update["state"], update["status_reason"]) == ("resolved", "Problem Solved")
    assert update["owner"] == {"name": "# OpenCX integration"}
    assert update["resolution"] == "Refund of 49.90 EUR issued"
    assert len(case_updates(receiver)) == 1
    session.refresh_from_db()
    assert (session.case_state, session.case_resolution) == ("resolved", update["resolution"])


def test_it_reports_a_change_made_while_the_worker_was_down_once_after_a_restart(
    qcluster, opencx, receiver, live_server, tmp_path
):
    _, case = handed_off(opencx, "e2e-restart")
    poll(opencx)
    stop(qcluster)
    cases.cancel(cases.rep_caller(opencx.org), case)

    log = (tmp_path / "second-worker.log").open("wb")
    restarted = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "qcluster"],
        cwd=BASE_DIR,
        env=worker_environment(live_server.url),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        poll(opencx)
        [update] = wait_until(lambda: case_updates(receiver), "case.updated after the restart")
        poll(opencx)
    finally:
        stop(restarted)
        log.close()

    assert (update["state"], update["status_reason"]) == ("cancelled", "Cancelled")
    assert len(case_updates(receiver)) == 1


def test_it_reads_every_case_again_after_an_expired_delta_link_without_repeating_itself(
    qcluster, opencx, receiver
):
    (_, first), (_, second) = handed_off(opencx, "e2e-one"), handed_off(opencx, "e2e-two")
    poll(opencx)
    cases.resolve(cases.rep_caller(opencx.org), first, "Fixed the router")
    poll(opencx)
    wait_until(lambda: case_updates(receiver), "the first case.updated")

    provisioning.expire_delta_tokens(opencx.org)
    avery = cases.find_user(opencx.org, "Avery Agent")
    cases.assign(cases.rep_caller(opencx.org), second, avery)
    tracking = poll(opencx)
    wait_until(lambda: len(case_updates(receiver)) == 2, "the second case.updated")
    poll(opencx)

    assert [(u["session_id"], u["state"]) for u in case_updates(receiver)] == [
        ("e2e-one", "resolved"),
        ("e2e-two", "active"),
    ]
    assert case_updates(receiver)[1]["owner"] == {"name": "Avery Agent"}
    assert tracking.full_syncs == 1
    expired = RequestLog.objects.filter(org=opencx.org, status=400, path__contains="incidents")
    assert expired.count() == 1
