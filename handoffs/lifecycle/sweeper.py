"""Resuming what a crashed worker or a lost task left behind, so nothing accepted is dropped.

Runs every minute. A worker killed mid-attempt leaves its session `processing`: its lease runs
out (or its process is found dead on this machine) and the session is taken again, never making
a second record (its ids are fixed). A worker process that starts (a killed worker's
replacement, or a cluster started after a crash) takes back at once what dead processes of its
machine held, without waiting for the sweep. A lost task leaves a session `queued` or
`retrying` with nothing to run it: a new token is queued. Running a session twice is safe:
claim() decides.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from handoffs.lifecycle import queueing
from handoffs.lifecycle.claim import HOST, abandoned_sessions, has_room, holder_died
from handoffs.models import HandoffEvent, HandoffSession, OutboundEvent, SentSignature

SWEEP_SCHEDULE_NAME = "handoffs: resume stalled sessions"
# A token normally runs within a second; one missing for this long was lost.
STALLED_AFTER = timedelta(minutes=1)


def stalled_sessions(limit: int = 500) -> list[HandoffSession]:
    """Ready sessions that should have started by now but have no task to start them.

    A session waiting behind its tenant's cap is not stalled: the tenant's next finishing
    handoff takes it.
    """
    cutoff = timezone.now() - STALLED_AFTER
    waiting = HandoffSession.objects.filter(
        Q(status=HandoffSession.Status.QUEUED, updated_at__lt=cutoff)
        | Q(status=HandoffSession.Status.RETRYING, next_attempt_at__lt=cutoff)
    )
    tenants = waiting.order_by().values_list("tenant_id", flat=True).distinct()
    with_room = [tenant_id for tenant_id in tenants if has_room(tenant_id)]
    return list(waiting.filter(tenant_id__in=with_room).order_by("updated_at")[:limit])


def _resume(session: HandoffSession, stalled_in: str) -> None:
    HandoffEvent.objects.create(
        session=session,
        kind=HandoffEvent.Kind.REPLAYED,
        detail={"actor": "sweeper", "stalled_in": stalled_in},
    )
    queueing.queue_handoff(session.pk)


def release(session: HandoffSession, actor: str) -> bool:
    """Put a session whose worker is gone back in the queue, once; False if it moved meanwhile.

    It becomes `queued` again (its rollup counts moved with it), so the next free worker takes
    it as the oldest ready session of its tenant, ahead of newer ones, instead of after every
    task queued since. Only one of several callers wins: the row is locked and re-checked.
    """
    with transaction.atomic():
        locked = (
            HandoffSession.objects.select_for_update(of=("self",))
            .filter(
                pk=session.pk,
                status=HandoffSession.Status.PROCESSING,
                claimed_by=session.claimed_by,
            )
            .first()
        )
        if locked is None:
            return False
        locked.status = HandoffSession.Status.QUEUED
        locked.claimed_by = ""
        locked.lease_until = None
        locked.save(update_fields=["status", "claimed_by", "lease_until", "updated_at"])
        HandoffEvent.objects.create(
            session=locked,
            kind=HandoffEvent.Kind.REPLAYED,
            detail={"actor": actor, "stalled_in": "processing"},
        )
    queueing.queue_next()  # after the commit, so the worker finds it queued
    return True


def take_back_from_dead_workers() -> int:
    """Queue again, once, the sessions that dead worker processes of this machine held."""
    held = HandoffSession.objects.filter(
        status=HandoffSession.Status.PROCESSING, claimed_by__startswith=f"{HOST}:"
    )
    dead = [session for session in held if holder_died(session.claimed_by)]
    return sum(release(session, "worker start") for session in dead)


def resume_stalled(limit: int = 500) -> int:
    """Queue abandoned and stalled sessions again and audit it; return how many."""
    resumed = 0
    for session in abandoned_sessions()[:limit]:
        resumed += release(session, "sweeper")
    for session in stalled_sessions(limit):
        _resume(session, session.status)
        resumed += 1
    return resumed + resume_stalled_events(limit) + _resume_live_chats(limit)


def _resume_live_chats(limit: int) -> int:
    # Imported here: the live-chat relay builds on the lifecycle.
    from handoffs.livechat.relay import sweep

    return sweep.resume_stalled(limit)


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
