"""The live_chat block of a session's status document (sessions whose target is live_chat)."""

from __future__ import annotations

from typing import Any

from handoffs.models import HandoffSession


def live_chat_block(session: HandoffSession) -> dict[str, Any]:
    """{"conversation_id", "state", "agent"}: nulls until the conversation exists."""
    conversation = session.dynamics365_chat_id
    agent = session.live_chat_agent
    return {
        "conversation_id": str(conversation) if conversation else None,
        "state": session.live_chat_state or None,
        "agent": {"name": agent} if agent else None,
    }
