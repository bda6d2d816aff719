"""Claiming a session for one attempt: fairly across tenants, within each tenant's cap, leased.

Work reaches the worker as tokens ("deliver the next handoff"), one per session that becomes
ready. A token claims the session that is fairest to run now: among the oldest ready session of
each tenant, the one whose tenant has the fewest handoffs in flight. A tenant flooding the queue
therefore never delays another tenant's handoff by more than a free worker. A tenant at its cap
(TENANT_MAX_CONCURRENT_HANDOFFS, kept below Dataverse's 52 concurrent requests per user) or in
an outage waits. A claimed session carries a lease, renewed before a call whenever what is left
of it would not cover that call; a lease that runs out, or a holder process that died on this
machine, frees the session for another worker.
See docs/architecture.md, "How a handoff flows", step 2.
Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/api-limits
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from handoffs.models import DynamicsConnection, HandoffSession, Tenant

HOST = socket.gethostname()


def _stat(pid: int) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (Linux); empty elsewhere."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def _process_started(pid: int) -> str:
    """The process's start time on Linux (so a reused pid is not mistaken for the holder)."""
    fields = _stat(pid)
    return fields[19] if len(fields) > 19 else ""


def holder() -> str:
    """This worker process, as written on the sessions it holds."""
    return f"{HOST}:{os.getpid()}:{_process_started(os.getpid())}"


def holder_died(claimed_by: str) -> bool:
    """True when the holder was a process of this machine that no longer runs."""
    host, _, rest = claimed_by.partition(":")
    pid_text, _, started = rest.partition(":")
    if host != HOST or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    fields = _stat(pid)
    # A killed process whose parent died too stays a zombie until something reaps it (in a
    # container without an init that reaps, that is never): it holds nothing any more.
    if fields and fields[0] in ("Z", "X"):
        return True
    return bool(started) and len(fields) > 19 and fields[19] != started


def lease_seconds() -> float:
    """Long enough to cover one outbound request, with room to spare."""
    return settings.OUTBOUND_CONNECT_TIMEOUT + settings.OUTBOUND_READ_TIMEOUT + 10


def lease_from_now() -> datetime:
    return timezone.now() + timedelta(seconds=lease_seconds())


def ready(now: datetime) -> Q:
    """Sessions that may start an attempt now (their tenant's cap and health aside)."""
    return Q(status=HandoffSession.Status.QUEUED) | Q(
        status=HandoffSession.Status.RETRYING, next_attempt_at__lte=now
    )


def abandoned(now: datetime) -> Q:
    """`processing` sessions whose lease ran out."""
    return Q(status=HandoffSession.Status.PROCESSING) & (
        Q(lease_until__lt=now)
        | Q(lease_until__isnull=True, updated_at__lt=now - timedelta(seconds=lease_seconds()))
    )


def in_flight(tenant_ids: list[int], now: datetime) -> dict[int, int]:
    """Handoffs each tenant has running right now (holding a live lease)."""
    rows = (
        HandoffSession.objects.filter(
            tenant_id__in=tenant_ids, status=HandoffSession.Status.PROCESSING, lease_until__gte=now
        )
        .values("tenant_id")
        .annotate(n=Count("id"))
    )
    return {row["tenant_id"]: row["n"] for row in rows}


def unavailable_tenants() -> set[int]:
    """Tenants whose Dynamics is down: their sessions wait for the probe (lifecycle.outage)."""
    return set(
        DynamicsConnection.objects.filter(unavailable_since__isnull=False).values_list(
            "tenant_id", flat=True
        )
    )


def _fairest(now: datetime) -> int | None:
    """The tenant whose handoff a free worker should take now, or None."""
    heads = (
        HandoffSession.objects.filter(ready(now))
        .exclude(tenant__connection__unavailable_since__isnull=False)
        .values("tenant_id")
        .annotate(first=Min("id"))
    )
    heads = {row["tenant_id"]: row["first"] for row in heads}
    if not heads:
        return None
    busy = in_flight(list(heads), now)
    cap = settings.TENANT_MAX_CONCURRENT_HANDOFFS
    open_tenants = [t for t in heads if busy.get(t, 0) < cap]
    if not open_tenants:
        return None
    return min(open_tenants, key=lambda t: (busy.get(t, 0), heads[t]))


def _claim_oldest(tenant_id: int) -> HandoffSession | None:
    """Take the tenant's oldest ready session, if it is under its cap and reachable.

    Under the tenant's lock the previous claim has committed, so workers arriving together
    each get the next session instead of all contending for the same one.
    """
    with transaction.atomic():
        _lock_tenant(tenant_id)
        if tenant_id in unavailable_tenants():
            return None
        now = timezone.now()
        if in_flight([tenant_id], now).get(tenant_id, 0) >= settings.TENANT_MAX_CONCURRENT_HANDOFFS:
            return None
        session = (
            HandoffSession.objects.select_for_update(of=("self",))
            .select_related("tenant")
            .filter(ready(now), tenant_id=tenant_id)
            .order_by("id")
            .first()
        )
        if session is None:
            return None
        session.mark_processing(holder(), lease_from_now())
        return session


def _lock_tenant(tenant_id: int) -> None:
    """Serialise one tenant's claims, so its cap holds across workers.

    NO KEY UPDATE (PostgreSQL), and sessions locked OF themselves only: rows referencing the
    tenant (sessions, contact links, rollups) take a KEY SHARE lock on it when their transaction
    commits (Django's foreign keys are deferred), which a FOR UPDATE on the tenant would block,
    closing a cycle with the rollup rows that transaction holds.
    """
    Tenant.objects.select_for_update(no_key=True).filter(pk=tenant_id).values("pk").first()


def _take(session: HandoffSession, now: datetime) -> bool:
    """Move a locked session to `processing` if it may run now; False when it may not."""
    eligible = session.status == HandoffSession.Status.QUEUED or (
        session.status == HandoffSession.Status.RETRYING
        and (session.next_attempt_at is None or session.next_attempt_at <= now)
    )
    if not eligible and not _reclaimable(session, now):
        return False
    busy = in_flight([session.tenant_id], now).get(session.tenant_id, 0)
    if busy >= settings.TENANT_MAX_CONCURRENT_HANDOFFS:
        return False
    session.mark_processing(holder(), lease_from_now())
    return True


def _reclaimable(session: HandoffSession, now: datetime) -> bool:
    if session.status != HandoffSession.Status.PROCESSING:
        return False
    held_until = session.lease_until or session.updated_at + timedelta(seconds=lease_seconds())
    return held_until < now or holder_died(session.claimed_by)


def claim(session_pk: int) -> HandoffSession | None:
    """Take this session for an attempt, or None when it is done, held, or must wait."""
    tenant_id = (
        HandoffSession.objects.filter(pk=session_pk).values_list("tenant_id", flat=True).first()
    )
    if tenant_id is None:
        return None
    with transaction.atomic():
        _lock_tenant(tenant_id)
        session = (
            HandoffSession.objects.select_for_update(of=("self",))
            .select_related("tenant")
            .filter(pk=session_pk)
            .first()
        )
        if session is None or session.tenant_id in unavailable_tenants():
            return None
        return session if _take(session, timezone.now()) else None


def claim_next() -> HandoffSession | None:
    """Take the fairest ready session for an attempt, or None when nothing may run now."""
    for _ in range(3):  # the chosen tenant may reach its cap first
        tenant_id = _fairest(timezone.now())
        if tenant_id is None:
            return None
        session = _claim_oldest(tenant_id)
        if session is not None:
            return session
    return None


def renew(session: HandoffSession) -> None:
    """Make the lease cover the next outbound request (a live holder is never pre-empted).

    A lease that still outlasts a whole request (connect and read time-outs) is left alone: the
    first request after a claim, and quick ones after it, cost no write.
    """
    one_request = settings.OUTBOUND_CONNECT_TIMEOUT + settings.OUTBOUND_READ_TIMEOUT + 1
    now = timezone.now()
    if session.lease_until and session.lease_until - now >= timedelta(seconds=one_request):
        return
    lease = lease_from_now()
    HandoffSession.objects.filter(pk=session.pk, claimed_by=session.claimed_by).update(
        lease_until=lease
    )
    session.lease_until = lease


def abandoned_sessions(now: datetime | None = None) -> list[HandoffSession]:
    """`processing` sessions whose worker is gone: lease run out, or holder dead on this host."""
    now = now or timezone.now()
    held = HandoffSession.objects.filter(status=HandoffSession.Status.PROCESSING)
    found = list(held.filter(abandoned(now)))
    mine = held.exclude(pk__in=[s.pk for s in found]).filter(claimed_by__startswith=f"{HOST}:")
    return found + [s for s in mine if holder_died(s.claimed_by)]
