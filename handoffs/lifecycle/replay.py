"""Running a failed session again: the stored record id guarantees no second record."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from handoffs.lifecycle import queueing
from handoffs.models import HandoffEvent, HandoffSession


def replay(session: HandoffSession, *, actor: str) -> bool:
    """Queue a failed session again; False (and nothing changed) when it is not failed."""
    with transaction.atomic():
        updated = HandoffSession.objects.filter(
            pk=session.pk, status=HandoffSession.Status.FAILED
        ).update(
            status=HandoffSession.Status.QUEUED, next_attempt_at=None, updated_at=timezone.now()
        )
        if not updated:
            return False
        HandoffEvent.objects.create(
            session=session, kind=HandoffEvent.Kind.REPLAYED, detail={"actor": actor}
        )
        queueing.queue_handoff(session.pk, after_commit=True)
    return True
