"""An outage is a state of the tenant, not of each session.

After OUTAGE_THRESHOLD transient failures in a row (Dataverse or Entra ID unreachable, 5xx,
timeouts; never a refusal, and not throttling, which Retry-After handles), the tenant's
connection is marked unavailable: its sessions wait without calling Dynamics and without using
up their attempts, and one probe a minute (WhoAmI) checks for recovery. When the probe succeeds
the outage ends and the waiting sessions go out, oldest first, at the tenant's concurrency cap.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from handoffs.dynamics.client import client_for
from handoffs.dynamics.whoami import whoami
from handoffs.errors import HandoffError
from handoffs.lifecycle import queueing
from handoffs.models import DynamicsConnection, HandoffEvent, HandoffSession

logger = logging.getLogger(__name__)
PROBE_INTERVAL = timedelta(seconds=60)
# Transient, but about one request, not the service: they never count towards an outage.
NOT_AN_OUTAGE = frozenset({"rate_limited", "database_busy"})


def counts_as_outage(error: HandoffError) -> bool:
    return error.retryable and error.code not in NOT_AN_OUTAGE


def note_failure(connection: DynamicsConnection, error: HandoffError) -> bool:
    """Count a transient failure; True when the tenant is (now) in an outage."""
    if not counts_as_outage(error):
        return False
    DynamicsConnection.objects.filter(pk=connection.pk).update(
        transient_failures=F("transient_failures") + 1
    )
    started = DynamicsConnection.objects.filter(
        pk=connection.pk,
        unavailable_since__isnull=True,
        transient_failures__gte=settings.OUTAGE_THRESHOLD,
    ).update(unavailable_since=timezone.now(), next_probe_at=timezone.now() + PROBE_INTERVAL)
    if started:
        logger.warning(
            "tenant %s: Dynamics unavailable (%s); handoffs wait", connection.tenant_id, error.code
        )
    return DynamicsConnection.objects.filter(
        pk=connection.pk, unavailable_since__isnull=False
    ).exists()


def note_success(connection: DynamicsConnection) -> None:
    """A call went through: the run of failures is over.

    Asked of the row, not of the copy read when the handoff started: other handoffs of the
    tenant may have failed since, and a success between failures must end their run.
    """
    DynamicsConnection.objects.filter(pk=connection.pk, transient_failures__gt=0).update(
        transient_failures=0
    )


def end(connection: DynamicsConnection) -> int:
    """Close the outage and send the waiting sessions; return how many were waiting."""
    DynamicsConnection.objects.filter(pk=connection.pk).update(
        unavailable_since=None, next_probe_at=None, transient_failures=0
    )
    waiting = HandoffSession.objects.filter(
        tenant_id=connection.tenant_id,
        status__in=(HandoffSession.Status.QUEUED, HandoffSession.Status.RETRYING),
    )
    waiting.filter(status=HandoffSession.Status.RETRYING).update(next_attempt_at=timezone.now())
    count = waiting.count()
    for _ in range(count):
        queueing.queue_next()
    logger.info(
        "tenant %s: Dynamics answers again; %s handoffs go out", connection.tenant_id, count
    )
    return count


def probe(connection: DynamicsConnection) -> bool:
    """One WhoAmI; True (and the outage over) when Dynamics answers."""
    DynamicsConnection.objects.filter(pk=connection.pk).update(
        next_probe_at=timezone.now() + PROBE_INTERVAL
    )
    try:
        whoami(client_for(connection))
    except HandoffError as error:
        if counts_as_outage(error):
            return False
        logger.warning("tenant %s: probe refused (%s)", connection.tenant_id, error.code)
    end(connection)
    return True


def probe_due() -> int:
    """Probe every tenant in an outage whose minute has passed; return how many recovered."""
    due = DynamicsConnection.objects.filter(
        unavailable_since__isnull=False, next_probe_at__lte=timezone.now()
    )
    return sum(probe(connection) for connection in due)


def wait(session: HandoffSession, error: HandoffError) -> None:
    """Park a session of a tenant in an outage: no attempt used, no retry of its own."""
    session.attempts = max(0, session.attempts - 1)
    session.mark_retrying(
        "dynamics_unavailable", HandoffError("dynamics_unavailable").readable, None
    )
    HandoffEvent.objects.create(
        session=session,
        kind=HandoffEvent.Kind.RETRY_SCHEDULED,
        detail={"code": "dynamics_unavailable", "cause": error.code, "waits_for": "recovery"},
    )
