"""Resuming relay work whose task was lost (a worker killed mid-send, a broker restart).

Called by the sweeper (handoffs.lifecycle.sweeper) every few minutes. Queuing a sender or a
relay twice is safe: leases and the relayed mark decide who does what.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from handoffs.lifecycle import queueing
from handoffs.livechat.relay.models import CustomerMessage, RepActivity

STALLED_AFTER = timedelta(minutes=1)


def _stalled_messages(limit: int) -> list[int]:
    now = timezone.now()
    cutoff = now - STALLED_AFTER
    overdue = CustomerMessage.objects.filter(
        Q(next_attempt_at__lt=cutoff) | Q(next_attempt_at__isnull=True, received_at__lt=cutoff),
        delivered_at__isnull=True,
        given_up_at__isnull=True,
        session__dynamics365_chat_id__isnull=False,
    ).filter(Q(sending_until__isnull=True) | Q(sending_until__lt=now))
    return list(overdue.values_list("session_id", flat=True).distinct()[:limit])


def _stalled_activities(limit: int) -> list[int]:
    cutoff = timezone.now() - STALLED_AFTER
    waiting = RepActivity.objects.filter(
        session__isnull=False, relayed_at__isnull=True, received_at__lt=cutoff
    )
    return list(waiting.values_list("session_id", flat=True).distinct()[:limit])


def resume_stalled(limit: int = 500) -> int:
    """Queue the senders and relays that should have run by now; return how many."""
    senders = _stalled_messages(limit)
    for session_pk in senders:
        queueing.queue_customer_messages(session_pk)
    relays = _stalled_activities(limit)
    for session_pk in relays:
        queueing.queue_rep_activities(session_pk)
    return len(senders) + len(relays)
