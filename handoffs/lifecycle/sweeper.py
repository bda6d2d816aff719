"""Resuming sessions whose task was lost, so an accepted handoff is never dropped.

A worker killed mid-task leaves its session in `processing`; a database broker restored from a
backup, or a schedule deleted by hand, can leave a session `queued` or `retrying` with no task
that will ever run it. A periodic sweep queues such sessions again; running a session twice is
safe (claim() decides), so the sweep only needs to be generous with the delay it allows.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from handoffs.lifecycle import queueing
from handoffs.models import HandoffEvent, HandoffSession, OutboundEvent, SentSignature

SWEEP_SCHEDULE_NAME = "handoffs: resume stalled sessions"
# Well beyond the task timeout and the scheduler's 30-second tick.
STALLED_AFTER = timedelta(minutes=10)


def stalled_sessions():
    """Sessions that should have moved on by now but have no task to move them."""
    cutoff = timezone.now() - STALLED_AFTER
    return HandoffSession.objects.filter(
        Q(status=HandoffSession.Status.PROCESSING, updated_at__lt=cutoff)
        | Q(status=HandoffSession.Status.QUEUED, updated_at__lt=cutoff)
        | Q(status=HandoffSession.Status.RETRYING, next_attempt_at__lt=cutoff)
    )


def resume_stalled(limit: int = 500) -> int:
    """Queue stalled sessions again and audit it; return how many were queued."""
    resumed = 0
    for session in stalled_sessions().order_by("updated_at")[:limit]:
        HandoffEvent.objects.create(
            session=session,
            kind=HandoffEvent.Kind.REPLAYED,
            detail={"actor": "sweeper", "stalled_in": session.status},
        )
        queueing.queue_handoff(session.pk)
        resumed += 1
    return resumed + resume_stalled_events(limit)


def resume_stalled_events(limit: int = 500) -> int:
    """Queue again the senders of events whose retry never ran; forget expired signatures."""
    now = timezone.now()
    SentSignature.objects.filter(expires_at__lt=now).delete()
    cutoff = now - STALLED_AFTER
    overdue = OutboundEvent.objects.filter(
        Q(next_attempt_at__lt=cutoff) | Q(next_attempt_at__isnull=True, created_at__lt=cutoff),
        delivered_at__isnull=True,
        given_up_at__isnull=True,
    ).filter(Q(sending_until__isnull=True) | Q(sending_until__lt=now))
    sessions = list(overdue.values_list("session_id", flat=True).distinct()[:limit])
    for session_pk in sessions:
        queueing.queue_events(session_pk)
    return len(sessions)
