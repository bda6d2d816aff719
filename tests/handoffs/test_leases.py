"""A session held by a worker that died is taken again at once, never while its holder lives."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

from django.utils import timezone

from handoffs.channels import sample_handoff
from handoffs.inbound.intake import accept
from handoffs.lifecycle.claim import HOST, abandoned_sessions, claim, holder
from handoffs.models import HandoffSession


def processing(tenant, session_id: str, claimed_by: str, lease_minutes: float) -> HandoffSession:
    session, _ = accept(tenant, sample_handoff("phone", session_id))
    HandoffSession.objects.filter(pk=session.pk).update(
        status="processing",
        attempts=1,
        claimed_by=claimed_by,
        lease_until=timezone.now() + timedelta(minutes=lease_minutes),
    )
    return session


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603 - our interpreter
    child.wait()
    return child.pid


def test_it_frees_a_session_whose_holder_died_on_this_machine_before_its_lease_ends(tenant):
    session = processing(tenant, "killed", f"{HOST}:{dead_pid()}:1", lease_minutes=5)

    assert [s.pk for s in abandoned_sessions()] == [session.pk]
    taken = claim(session.pk)
    assert taken is not None
    assert taken.attempts == 2
    assert taken.claimed_by == holder()


def test_it_leaves_a_session_whose_holder_is_alive(tenant):
    session = processing(tenant, "alive", holder(), lease_minutes=5)

    assert abandoned_sessions() == []
    assert claim(session.pk) is None


def test_it_frees_a_session_of_another_machine_once_its_lease_ran_out(tenant):
    running = processing(tenant, "elsewhere", "other-host:123:1", lease_minutes=5)
    expired = processing(tenant, "expired", "other-host:456:1", lease_minutes=-1)

    assert [s.pk for s in abandoned_sessions()] == [expired.pk]
    assert claim(running.pk) is None
