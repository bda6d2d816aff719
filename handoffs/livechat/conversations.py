"""Messaging API operations on conversations, one function each, their answers checked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from handoffs.errors import HandoffError
from handoffs.livechat import facts
from handoffs.livechat.client import MessagingClient


@dataclass(frozen=True)
class Started:
    """What conversation/create answered."""

    conversation_id: str
    is_new: bool
    message_id: str  # the start message's id (13-digit epoch ms), only with a start message


def start(client: MessagingClient, body: Mapping[str, Any]) -> Started:
    """Start a conversation, or get the active one of the same customerid (isNew false).

    Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-create
    """
    answer = client.send("POST", facts.CREATE_PATH, body=body)
    conversation_id = answer.get("conversationId")
    if not isinstance(conversation_id, str) or not conversation_id.strip():
        raise HandoffError(
            "messaging_unexpected_response",
            detail="conversation/create answered without a conversationId.",
        )
    is_new = answer.get("isNew")
    return Started(
        conversation_id.strip(),
        is_new if isinstance(is_new, bool) else True,
        str(answer.get("messageId") or ""),
    )


def active(client: MessagingClient, page_size: int = 1) -> list[dict[str, Any]]:
    """This channel's active conversations, first page (side-effect free).

    Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation
    """
    answer = client.send("GET", facts.LIST_PATH, params={"PageSize": str(page_size)})
    rows = answer.get("conversations")
    if not isinstance(rows, list):
        raise HandoffError(
            "messaging_unexpected_response", detail="conversations answered without a list."
        )
    return rows


def send_activity(
    client: MessagingClient, conversation_id: str, activity: Mapping[str, Any]
) -> str:
    """Post one activity to a conversation; the messageId answered ('' when none).

    Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-endpoint
    The answer to a plain message is not documented; custom events answer {"messageId"}, so a
    messageId is kept when one comes (inferred).
    """
    path = facts.ACTIVITY_PATH.format(conversation_id=conversation_id)
    answer = client.send("POST", path, body=activity)
    message_id = answer.get("messageId")
    return str(message_id) if isinstance(message_id, str | int) else ""
