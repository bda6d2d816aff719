"""Sessions whose task was lost are queued again; busy tenants are held back, not dropped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Schedule

from handoffs.channels import sample_handoff
from handoffs.inbound.intake import accept
from handoffs.lifecycle.sweeper import SWEEP_SCHEDULE_NAME, resume_stalled
from handoffs.models import HandoffSession, Tenant
from handoffs.tasks import process_handoff


def make_session(tenant: Tenant, session_id: str) -> HandoffSession:
    session, _ = accept(tenant, sample_handoff("phone", session_id))
    return session


@pytest.fixture
def long_ago():
    return timezone.now() - timedelta(minutes=30)


def test_it_schedules_the_sweep_every_minute(db):
    schedule = Schedule.objects.get(name=SWEEP_SCHEDULE_NAME)

    assert schedule.func == "handoffs.tasks.resume_stalled_sessions"
    assert schedule.minutes == 1
    assert schedule.repeats == -1


def test_it_resumes_a_session_whose_lease_ran_out(tenant, long_ago):
    session = make_session(tenant, "crashed")
    HandoffSession.objects.filter(pk=session.pk).update(
        status="processing", attempts=1, lease_until=long_ago, claimed_by="elsewhere:1:1"
    )

    assert resume_stalled() == 1

    session.refresh_from_db()
    # Sync queue in tests: the resumed run happened; without a connection it fails clearly.
    assert session.status == "failed"
    assert session.attempts == 2
    assert session.events.filter(kind="replayed", detail__actor="sweeper").count() == 1


def test_it_resumes_a_retry_whose_schedule_was_lost(tenant, long_ago):
    session = make_session(tenant, "lost-retry")
    HandoffSession.objects.filter(pk=session.pk).update(
        status="retrying", attempts=1, next_attempt_at=long_ago, updated_at=long_ago
    )

    assert resume_stalled() == 1
    assert HandoffSession.objects.get(pk=session.pk).attempts == 2


def test_it_leaves_recent_and_finished_sessions_alone(tenant, long_ago):
    make_session(tenant, "just-queued")
    done = make_session(tenant, "done")
    HandoffSession.objects.filter(pk=done.pk).update(status="done", updated_at=long_ago)
    soon = make_session(tenant, "retry-soon")
    HandoffSession.objects.filter(pk=soon.pk).update(
        status="retrying", next_attempt_at=timezone.now() + timedelta(minutes=1)
    )

    assert resume_stalled() == 0


def test_it_holds_back_a_session_while_its_tenant_is_at_capacity(tenant, settings):
    settings.TENANT_MAX_CONCURRENT_HANDOFFS = 2
    lease = timezone.now() + timedelta(minutes=1)
    for index in range(2):
        busy = make_session(tenant, f"busy-{index}")
        HandoffSession.objects.filter(pk=busy.pk).update(
            status="processing", attempts=1, lease_until=lease
        )
    waiting = make_session(tenant, "waiting")

    process_handoff(waiting.pk)

    waiting.refresh_from_db()
    assert waiting.status == "queued"
    assert waiting.attempts == 0


def test_it_runs_a_session_when_another_tenant_is_busy(tenant, settings):
    from handoffs.tenancy.tenants import create_tenant

    settings.TENANT_MAX_CONCURRENT_HANDOFFS = 1
    other = make_session(create_tenant("globex"), "busy")
    HandoffSession.objects.filter(pk=other.pk).update(
        status="processing", lease_until=timezone.now() + timedelta(minutes=1)
    )
    session = make_session(tenant, "free")

    process_handoff(session.pk)

    assert HandoffSession.objects.get(pk=session.pk).attempts == 1


def test_it_leaves_a_session_waiting_behind_its_tenants_cap_to_the_finishing_handoffs(
    tenant, settings, long_ago
):
    settings.TENANT_MAX_CONCURRENT_HANDOFFS = 1
    busy = make_session(tenant, "busy")
    HandoffSession.objects.filter(pk=busy.pk).update(
        status="processing", attempts=1, lease_until=timezone.now() + timedelta(minutes=1)
    )
    waiting = make_session(tenant, "waiting")
    HandoffSession.objects.filter(pk=waiting.pk).update(updated_at=long_ago)

    assert resume_stalled() == 0  # not stalled: the busy handoff takes it when it finishes
    assert not waiting.events.filter(kind="replayed").exists()

    HandoffSession.objects.filter(pk=busy.pk).update(status="done")

    assert resume_stalled() == 1  # room again and still no task: now it is stalled
