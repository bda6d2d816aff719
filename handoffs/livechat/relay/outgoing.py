"""The Bot Framework activity a stored customer message becomes (pure: no database, no HTTP).

Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-endpoint
message: from (the customer), text, attachments {contentType, contentUrl, name}; typing: from
with the display name; end: endOfConversation. channelId must equal the channel-id header and
conversation.id the conversation of the URL. The optional `id` carries OpenCX's message_id, so
the activity names the message it delivers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handoffs.livechat import facts
from handoffs.livechat.relay.models import CustomerMessage

ACTIVITY_TYPES = {
    CustomerMessage.Kind.MESSAGE: "message",
    CustomerMessage.Kind.TYPING: "typing",
    CustomerMessage.Kind.END: "endOfConversation",
}
DEFAULT_NAME = "Customer"


@dataclass(frozen=True)
class Sender:
    """Who the customer is to Dynamics: the same id as the conversation's customerid."""

    customer_id: str
    name: str


def sender_of(session_id: str, name: str, email: str, phone: str) -> Sender:
    """The customer as the rep sees them: name, else email, else phone, else 'Customer'."""
    shown = (name or email or phone or DEFAULT_NAME)[: facts.SHORT_MAX]
    return Sender(session_id[: facts.SHORT_MAX], shown)


def activity(
    message: CustomerMessage, sender: Sender, channel_id: str, conversation_id: str
) -> dict[str, Any]:
    """The body of POST conversation/{conversation_id} for one customer message."""
    body: dict[str, Any] = {
        "type": ACTIVITY_TYPES[CustomerMessage.Kind(message.kind)],
        "channelId": channel_id,
        "conversation": {"id": conversation_id},
    }
    if message.kind == CustomerMessage.Kind.END:
        return body
    body["from"] = {"id": sender.customer_id, "name": sender.name}
    if message.kind == CustomerMessage.Kind.TYPING:
        return body
    body["id"] = message.message_id
    if message.text:
        body["text"] = message.text
    if message.attachments:
        body["attachments"] = [
            {"contentType": a["content_type"], "contentUrl": a["url"], "name": a["name"]}
            for a in message.attachments
        ]
    return body
