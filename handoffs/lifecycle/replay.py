"""Running a failed session again: the stored record id guarantees no second record."""

from __future__ import annotations

from django.db import transaction

from handoffs.lifecycle import queueing
from handoffs.models import HandoffEvent, HandoffSession


def replay(session: HandoffSession, *, actor: str) -> bool:
    """Queue a failed session again; False (and nothing changed) when it is not failed."""
    with transaction.atomic():
        locked = HandoffSession.objects.select_for_update().filter(pk=session.pk).first()
        if locked is None or locked.status != HandoffSession.Status.FAILED:
            return False
        locked.status = HandoffSession.Status.QUEUED
        locked.next_attempt_at = None
        locked.save()
        HandoffEvent.objects.create(
            session=locked, kind=HandoffEvent.Kind.REPLAYED, detail={"actor": actor}
        )
        queueing.queue_handoff(locked.pk, after_commit=True)
    return True
