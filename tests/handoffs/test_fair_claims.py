"""A free worker takes the handoff fairest to run: one tenant's flood never starves another."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from handoffs.channels import sample_handoff
from handoffs.inbound.intake import accept
from handoffs.lifecycle.claim import claim_next
from handoffs.models import HandoffSession, Tenant
from handoffs.tenancy.tenants import create_tenant


def queue(tenant: Tenant, count: int, prefix: str) -> list[HandoffSession]:
    return [accept(tenant, sample_handoff("phone", f"{prefix}-{i}"))[0] for i in range(count)]


def hold(sessions: list[HandoffSession]) -> None:
    """These sessions are being delivered right now by live workers."""
    HandoffSession.objects.filter(pk__in=[s.pk for s in sessions]).update(
        status="processing", lease_until=timezone.now() + timedelta(minutes=1)
    )


def test_it_takes_a_quiet_tenants_handoff_before_a_flooding_tenants_backlog(tenant):
    flood = queue(tenant, 40, "flood")
    hold(flood[:3])
    quiet = queue(create_tenant("quiet"), 1, "quiet")[0]

    taken = claim_next()

    assert taken.pk == quiet.pk
    assert taken.status == "processing"


def test_it_takes_each_tenants_oldest_handoff_first(tenant):
    first, second = queue(tenant, 2, "order")

    assert claim_next().pk == first.pk
    assert claim_next().pk == second.pk


def test_it_leaves_a_tenant_at_its_cap_waiting(tenant, settings):
    settings.TENANT_MAX_CONCURRENT_HANDOFFS = 2
    sessions = queue(tenant, 3, "capped")
    hold(sessions[:2])

    assert claim_next() is None
    assert HandoffSession.objects.get(pk=sessions[2].pk).status == "queued"


def test_it_takes_a_retry_only_once_it_is_due(tenant):
    (session,) = queue(tenant, 1, "later")
    HandoffSession.objects.filter(pk=session.pk).update(
        status="retrying", next_attempt_at=timezone.now() + timedelta(minutes=5)
    )

    assert claim_next() is None
    HandoffSession.objects.filter(pk=session.pk).update(next_attempt_at=timezone.now())
    assert claim_next().pk == session.pk


def test_workers_choosing_at_the_same_moment_each_get_a_session(tenant):
    from handoffs.lifecycle.claim import _claim_oldest, _fairest

    first, second = queue(tenant, 2, "race")
    # Two free workers look at the queue at the same moment: both pick this tenant.
    chosen_by_a = _fairest(timezone.now())
    chosen_by_b = _fairest(timezone.now())

    taken_by_a = _claim_oldest(chosen_by_a)
    taken_by_b = _claim_oldest(chosen_by_b)  # A committed first: B gets the next one, not nothing

    assert (taken_by_a.pk, taken_by_b.pk) == (first.pk, second.pk)
