"""Live-chat events for OpenCX, recorded in the outbox in the caller's transaction.

Body: {"event", "event_id", "session_id", "occurred_at", "agent": {"name"} | null, "text",
"attachments", "dynamics_event"}; the event_id is also the X-OpenCX-Event-Id header. Delivery,
order and retries are the outbox's (handoffs.lifecycle.outbox).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from handoffs.lifecycle import outbox
from handoffs.models import HandoffSession

JOINED, MESSAGE, TYPING = "agent.joined", "agent.message", "agent.typing"
TRANSFERRED, ENDED = "conversation.transferred", "conversation.ended"
NAMES = (JOINED, MESSAGE, TYPING, TRANSFERRED, ENDED)


def body(
    session: HandoffSession,
    name: str,
    event_id: uuid.UUID,
    occurred_at: datetime,
    *,
    agent: str = "",
    text: str = "",
    attachments: Sequence[dict[str, str]] = (),
    dynamics_event: str = "",
) -> dict:
    """The event's JSON body, as documented in docs/openapi.yaml (AgentEvent)."""
    return {
        "event": name,
        "event_id": str(event_id),
        "session_id": session.session_id,
        "occurred_at": occurred_at.isoformat(),
        "agent": {"name": agent} if agent else None,
        "text": text,
        "attachments": list(attachments),
        "dynamics_event": dynamics_event or None,
    }


def announce(
    session: HandoffSession, name: str, occurred_at: datetime, **fields
) -> uuid.UUID | None:
    """Record one event for OpenCX; its event_id, or None when the tenant has no callback URL."""
    event_id = uuid.uuid4()
    event = outbox.record(
        session, name, body(session, name, event_id, occurred_at, **fields), event_id=event_id
    )
    return event_id if event is not None else None


def end_chat(session_pk: int, *, dynamics_event: str = "") -> bool:
    """Mark the chat ended (Dynamics closed it) and tell OpenCX once; False if it had ended."""
    with transaction.atomic():
        session = (
            HandoffSession.objects.select_for_update(of=("self",))
            .select_related("tenant")
            .filter(pk=session_pk)
            .first()
        )
        if session is None or session.live_chat_state == HandoffSession.LiveChatState.ENDED:
            return False
        HandoffSession.objects.filter(pk=session.pk).update(
            live_chat_state=HandoffSession.LiveChatState.ENDED, updated_at=timezone.now()
        )
        announce(
            session,
            ENDED,
            timezone.now(),
            agent=session.live_chat_agent,
            dynamics_event=dynamics_event,
        )
    return True
