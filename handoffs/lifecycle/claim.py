"""Claiming a session for one attempt: fairly across tenants, within each tenant's cap, leased.

Work reaches the worker as tokens ("deliver the next handoff"): one per session that becomes
ready while its tenant has room under its cap, one per place a finishing handoff frees and does
not take itself (lifecycle.attempt). A token claims the session that is fairest to run now:
among the oldest ready session of each tenant, the one whose tenant has the fewest handoffs in
flight. A tenant flooding the queue therefore never delays another tenant's handoff by more than
a free worker. A tenant at its cap (TENANT_MAX_CONCURRENT_HANDOFFS, kept below Dataverse's 52
concurrent requests per user) or in an outage waits. A claimed session carries a lease, renewed
before a call whenever what is left of it would not cover that call; a lease that runs out, or a
holder process that died on this machine, frees the session for another worker.
See docs/architecture.md, "How a handoff flows", step 2.
Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/api-limits
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import BigIntegerField, Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from handoffs.lifecycle.compiled import SENTINEL_NOW, CompiledQuery, columns, instance
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


# An id no row has: where the tenant or the session goes in a compiled claim query.
SENTINEL_ID = -7_654_321

# Larger than any session id (a 64-bit key): "no such session" inside a comparison, where a
# NULL would not do (SQLite's MIN() of values with a NULL among them is NULL).
NONE_READY = 2**63 - 1


def _oldest_ready(now: datetime, tenant: OuterRef | int) -> Least:
    """The id of the tenant's oldest ready session (NONE_READY for none), as an expression.

    Two ordered reads of the (status, tenant, id) index, one per waiting status, each stopping
    at its first row: a claim reads a few index entries, however long the tenant's backlog and
    however many finished sessions the history holds. (One filter with OR between the statuses
    leads the database to walk the primary key from the oldest session ever received, or to
    sort the whole backlog.)
    """
    sessions = HandoffSession.objects.filter(tenant_id=tenant).order_by("id").values("id")
    queued = sessions.filter(status=HandoffSession.Status.QUEUED)
    due = sessions.filter(status=HandoffSession.Status.RETRYING, next_attempt_at__lte=now)
    none = Value(NONE_READY, output_field=BigIntegerField())
    return Least(Coalesce(Subquery(queued[:1]), none), Coalesce(Subquery(due[:1]), none))


def has_ready(tenant_id: int) -> bool:
    """True when the tenant has a session that may start an attempt now (cap and health aside)."""
    oldest = _oldest_ready(timezone.now(), tenant_id)
    return HandoffSession.objects.filter(pk=oldest).exists()


def abandoned(now: datetime) -> Q:
    """`processing` sessions whose lease ran out."""
    return Q(status=HandoffSession.Status.PROCESSING) & (
        Q(lease_until__lt=now)
        | Q(lease_until__isnull=True, updated_at__lt=now - timedelta(seconds=lease_seconds()))
    )


def live(now: datetime) -> Q:
    """`processing` sessions holding a live lease: the handoffs a tenant has in flight."""
    return Q(status=HandoffSession.Status.PROCESSING, lease_until__gte=now)


def has_room(tenant_id: int) -> bool:
    """True while the tenant has fewer handoffs in flight than its cap."""
    cap = settings.TENANT_MAX_CONCURRENT_HANDOFFS
    live_now = HandoffSession.objects.filter(live(timezone.now()), tenant_id=tenant_id)
    return room_for(live_now[:cap].count())


def room_for(in_flight: int) -> bool:
    """True when a tenant with this many handoffs in flight is under its cap."""
    return in_flight < settings.TENANT_MAX_CONCURRENT_HANDOFFS


def in_flight(now: datetime, tenant: OuterRef) -> Subquery:
    """How many handoffs the tenant has in flight, as a subquery (0 for none)."""
    busy = (
        HandoffSession.objects.filter(live(now), tenant_id=tenant)
        .order_by()
        .values("tenant_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(busy), 0)


def _tenants_by_fairness(now: datetime) -> QuerySet:
    """Reachable tenants with a ready session and room under their cap, fairest first."""
    return (
        Tenant.objects.exclude(connection__unavailable_since__isnull=False)
        .annotate(first=_oldest_ready(now, OuterRef("pk")), busy=in_flight(now, OuterRef("pk")))
        .filter(first__lt=NONE_READY, busy__lt=settings.TENANT_MAX_CONCURRENT_HANDOFFS)
        .order_by("busy", "first")
        .values_list("pk")[:1]
    )


_FAIREST = CompiledQuery(_tenants_by_fairness, now=SENTINEL_NOW)


def _fairest(now: datetime) -> int | None:
    """The tenant whose handoff a free worker should take now, or None.

    One query over the tenants: for each reachable one, its oldest ready session and its
    handoffs in flight, each read from an index. Its cost follows the number of tenants, not
    the length of any backlog nor the size of the history.
    """
    rows = _FAIREST.rows(now=now)
    return rows[0][0] if rows else None


def _claim_oldest(tenant_id: int) -> HandoffSession | None:
    """Take the tenant's oldest ready session, if it is under its cap and reachable.

    Under the tenant's lock the previous claim has committed, so workers arriving together
    each get the next session instead of all contending for the same one.
    """
    with transaction.atomic():
        if not _lock_tenant(tenant_id):
            return None
        now = timezone.now()
        rows = _OLDEST_READY.rows(now=now, tenant=tenant_id)
        session = _loaded(rows[0]) if rows else None
        return session if session is not None and _take(session, now) else None


_SESSION = columns(HandoffSession)
_TENANT = columns(Tenant, "tenant__")
_CONNECTION = columns(DynamicsConnection, "tenant__connection__")


def _locked_row(sessions: QuerySet, now: datetime) -> QuerySet:
    """The first of these sessions, locked, with its tenant, the tenant's connection and its
    handoffs in flight, as one row.

    Counted in the same statement, taken once the tenant's lock is held: every earlier claim of
    the tenant has committed by then, so the count includes it.
    """
    return (
        sessions.select_for_update(of=("self",))
        .annotate(busy=in_flight(now, OuterRef("tenant_id")))
        .values_list(*_SESSION, *_TENANT, *_CONNECTION, "busy")
    )


_OLDEST_READY = CompiledQuery(
    lambda now, tenant: _locked_row(
        HandoffSession.objects.filter(pk=_oldest_ready(now, tenant)), now
    ),
    now=SENTINEL_NOW,
    tenant=SENTINEL_ID,
)
_BY_ID = CompiledQuery(
    lambda now, session: _locked_row(HandoffSession.objects.filter(pk=session), now),
    now=SENTINEL_NOW,
    session=SENTINEL_ID,
)


def _loaded(row: tuple) -> HandoffSession:
    """The session of a _locked_row row, its tenant and connection attached as select_related
    would attach them."""
    ends = [len(_SESSION), len(_SESSION) + len(_TENANT), len(row) - 1]
    session = instance(HandoffSession, row[: ends[0]])
    tenant = instance(Tenant, row[ends[0] : ends[1]])
    values = row[ends[1] : ends[2]]
    found = instance(DynamicsConnection, values) if values[0] is not None else None
    HandoffSession.tenant.field.set_cached_value(session, tenant)
    Tenant.connection.related.set_cached_value(tenant, found)
    if found is not None:
        DynamicsConnection.tenant.field.set_cached_value(found, tenant)
    session.tenant_busy = row[-1]
    return session


def _lock_tenant(tenant_id: int) -> bool:
    """Serialise one tenant's claims, so its cap holds across workers; False when it is down.

    NO KEY UPDATE (PostgreSQL), and sessions locked OF themselves only: rows referencing the
    tenant (sessions, contact links, rollups) take a KEY SHARE lock on it when their transaction
    commits (Django's foreign keys are deferred), which a FOR UPDATE on the tenant would block,
    closing a cycle with the rollup rows that transaction holds.
    """
    rows = _TENANT_LOCK.rows(tenant=tenant_id)
    return bool(rows) and rows[0][1] is None


def _tenant_locked(tenant: int) -> QuerySet:
    """The tenant's row, locked, with when its Dynamics became unavailable (None: reachable)."""
    return (
        Tenant.objects.select_for_update(no_key=True, of=("self",))
        .filter(pk=tenant)
        .values_list("pk", "connection__unavailable_since")  # the pk names the table locked
    )


_TENANT_LOCK = CompiledQuery(_tenant_locked, tenant=SENTINEL_ID)


def _take(session: HandoffSession, now: datetime) -> bool:
    """Move a locked session to `processing` if it may run now; False when it may not."""
    eligible = session.status == HandoffSession.Status.QUEUED or (
        session.status == HandoffSession.Status.RETRYING
        and (session.next_attempt_at is None or session.next_attempt_at <= now)
    )
    if not eligible and not _reclaimable(session, now):
        return False
    if session.tenant_busy >= settings.TENANT_MAX_CONCURRENT_HANDOFFS:
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
        if not _lock_tenant(tenant_id):
            return None
        now = timezone.now()
        rows = _BY_ID.rows(now=now, session=session_pk)
        session = _loaded(rows[0]) if rows else None
        return session if session is not None and _take(session, now) else None


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
