"""Claiming a session for one attempt, within the tenant's cap on handoffs in flight."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from handoffs.lifecycle import queueing
from handoffs.models import HandoffSession

# A session left in `processing` longer than this was abandoned by a crashed worker.
STALE_PROCESSING = timedelta(seconds=settings.Q_CLUSTER["timeout"] + 30)
TENANT_BUSY_DELAY = timedelta(seconds=5)


def claim(session_pk: int) -> HandoffSession | None:
    """Move a session to `processing` and return it, or None when there is nothing to do."""
    with transaction.atomic():
        session = (
            HandoffSession.objects.select_for_update()
            .select_related("tenant")
            .filter(pk=session_pk)
            .first()
        )
        if session is None or session.status == HandoffSession.Status.DONE:
            return None
        busy_since = timezone.now() - STALE_PROCESSING
        if session.status == HandoffSession.Status.PROCESSING and session.updated_at > busy_since:
            return None
        if defer_when_tenant_busy(session, busy_since):
            return None
        session.mark_processing()
    return session


def defer_when_tenant_busy(session: HandoffSession, busy_since: datetime) -> bool:
    """Hold a session back while its tenant already has the maximum number in flight.

    Dataverse refuses more than 52 concurrent requests per application user; keeping each
    tenant's concurrent handoffs well below that spares everyone 429 answers.
    Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/api-limits
    """
    in_flight = HandoffSession.objects.filter(
        tenant_id=session.tenant_id,
        status=HandoffSession.Status.PROCESSING,
        updated_at__gt=busy_since,
    ).count()
    if in_flight < settings.TENANT_MAX_CONCURRENT_HANDOFFS:
        return False
    queueing.schedule_handoff(session.pk, timezone.now() + TENANT_BUSY_DELAY)
    return True
