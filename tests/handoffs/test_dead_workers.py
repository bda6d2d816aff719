"""A task worker that starts takes back at once what dead worker processes of its machine held."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta

from django.utils import timezone
from django_q.signals import post_spawn

from handoffs.channels import sample_handoff
from handoffs.inbound.intake import accept
from handoffs.lifecycle.claim import HOST, holder
from handoffs.models import HandoffSession


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603
    process.wait()
    return process.pid


def held_by(tenant, session_id: str, claimed_by: str) -> HandoffSession:
    session, _ = accept(tenant, sample_handoff("phone", session_id))
    HandoffSession.objects.filter(pk=session.pk).update(
        status="processing",
        attempts=1,
        claimed_by=claimed_by,
        lease_until=timezone.now() + timedelta(minutes=1),
    )
    return session


def test_a_starting_worker_resumes_a_dead_workers_session_once(tenant):
    session = held_by(tenant, "killed-mid-call", f"{HOST}:{dead_pid()}:")

    # Two workers of a restarted cluster start together.
    post_spawn.send(sender="django_q", proc_name="Process-1")
    post_spawn.send(sender="django_q", proc_name="Process-2")

    session.refresh_from_db()
    resumed = session.events.filter(kind="replayed", detail__actor="worker start")
    assert resumed.count() == 1
    # Sync queue in tests: the resumed attempt ran at once (it fails: no Dynamics connected).
    assert session.attempts == 2
    assert session.status != "processing"


def test_it_leaves_live_holders_and_other_machines_alone(tenant):
    live = held_by(tenant, "still-running", holder())
    elsewhere = held_by(tenant, "other-machine", f"other-host:{dead_pid()}:")

    post_spawn.send(sender="django_q", proc_name="Process-1")

    for session in (live, elsewhere):
        session.refresh_from_db()
        assert session.status == "processing"
        assert session.attempts == 1
        assert not session.events.filter(kind="replayed").exists()


def test_a_killed_worker_left_as_a_zombie_counts_as_dead(tenant):
    # Killed with its parent in a container whose init reaps nothing: the pid stays, a zombie.
    zombie = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _state(zombie.pid) != "Z":
            time.sleep(0.02)
        assert _state(zombie.pid) == "Z"
        session = held_by(tenant, "zombie-holder", f"{HOST}:{zombie.pid}:")

        post_spawn.send(sender="django_q", proc_name="Process-1")

        session.refresh_from_db()
        assert session.events.filter(kind="replayed", detail__actor="worker start").count() == 1
    finally:
        zombie.wait()


def _state(pid: int) -> str:
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0]


def test_a_resumed_session_goes_before_newer_handoffs_of_its_tenant(tenant, monkeypatch):
    from django_q.conf import Conf

    from handoffs.lifecycle.claim import claim_next

    monkeypatch.setattr(Conf, "SYNC", False)  # nothing runs by itself: we take the next one
    orphan = held_by(tenant, "held-when-killed", f"{HOST}:{dead_pid()}:")
    accept(tenant, sample_handoff("phone", "arrived-later"))

    post_spawn.send(sender="django_q", proc_name="Process-1")

    assert HandoffSession.objects.get(pk=orphan.pk).status == "queued"
    assert claim_next().session_id == "held-when-killed"
