"""The status document OpenCX reads back, also sent as the callback body."""

from __future__ import annotations

from typing import Any

from handoffs.livechat.status import live_chat_block
from handoffs.models import DynamicsConnection, HandoffSession


def _text(value: Any) -> str | None:
    return str(value) if value else None


def target_of(session: HandoffSession) -> str:
    """Where the session's record goes: the stored target, else where it will be written."""
    if session.target:
        return str(session.target)
    connection = (
        DynamicsConnection.objects.filter(tenant_id=session.tenant_id).only("chat_target").first()
    )
    # Without a connection yet, the defaults decide (chats become conversations).
    return str((connection or DynamicsConnection()).target_for(session.channel))


def status_document(session: HandoffSession) -> dict[str, Any]:
    """Describe a session and the Dynamics references stored on it."""
    error = None
    if session.last_error_code and session.status in (
        HandoffSession.Status.FAILED,
        HandoffSession.Status.RETRYING,
    ):
        error = {"code": session.last_error_code, "message": session.last_error_message}
    document = {
        "session_id": session.session_id,
        "channel": session.channel,
        "status": session.status,
        "target": target_of(session),
        "dynamics365_incident_id": _text(session.dynamics365_incident_id),
        "dynamics365_ticket_number": _text(session.dynamics365_ticket_number),
        "dynamics365_chat_id": _text(session.dynamics365_chat_id),
        "dynamics365_contact_id": _text(session.dynamics365_contact_id),
        "record_url": _text(session.record_url),
        "error": error,
        "updated_at": session.updated_at.isoformat(),
    }
    if document["target"] == HandoffSession.Target.LIVE_CHAT:
        document["live_chat"] = live_chat_block(session)
    return document
