"""The Bot Framework activities the webhook receives, shaped as the org's switches say.

Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-webhook
Defaults follow that page's samples: events travel as `type: message` with `name` and a text
"EventName: **_<name>_**", typing carries channelId "MessagingApi" and a recipient, keys are
camelCase. Switches: events as `type: event` (the page's field table), PascalCase keys plus
`ServiceUrl` (a custom-events page withdrawn in September 2025). `id` (13-digit epoch ms, as
that withdrawn sample) and `timestamp` are Bot Framework fields the page does not list
(inferred).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from dataverse_sandbox.messaging.facts import TYPING_CHANNEL_ID
from dataverse_sandbox.messaging.models import Message, MessagingSettings


@dataclass
class Target:
    """Where and to whom: the channel, conversation, customer and rep of an activity."""

    channel_id: str
    conversation_id: str
    customer_id: str
    rep_id: str
    rep_name: str


def _stamp(activity_id: int) -> str:
    moment = datetime.fromtimestamp(activity_id / 1000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{activity_id % 1000:03d}Z"


def _base(kind: str, activity_id: int, target: Target, channel_id: str | None = None) -> dict:
    return {
        "type": kind,
        "id": str(activity_id),
        "timestamp": _stamp(activity_id),
        "channelId": channel_id or target.channel_id,
        "conversation": {"id": target.conversation_id},
    }


def rep_message(target: Target, message: Message) -> dict:
    """The rep's message (text and/or attachments), markdown as the samples say."""
    body = _base("message", message.message_id, target)
    body["from"] = {"id": target.rep_id, "name": target.rep_name}
    body["textFormat"] = "markdown"
    if message.text:
        body["text"] = message.text
    if message.attachments:
        body["attachments"] = [
            {
                "contentType": a.get("contentType", ""),
                "contentUrl": a.get("contentUrl", ""),
                "content": None,
                "name": a.get("name", ""),
                "thumbnailUrl": None,
            }
            for a in message.attachments
        ]
    return body


def typing(target: Target, activity_id: int) -> dict:
    body = _base("typing", activity_id, target, channel_id=TYPING_CHANNEL_ID)
    body["recipient"] = {"id": target.customer_id or target.conversation_id}
    return body


def event(target: Target, activity_id: int, name: str, event_type: str) -> dict:
    """An event; the accepted sample has no `from`, the closing samples name the rep."""
    body = _base(event_type, activity_id, target)
    if name != "AgentAccepted" and target.rep_id:
        body["from"] = {"id": target.rep_id}
    if event_type == "message":
        body["text"] = f"EventName: **_{name}_**"
    body["name"] = name
    return body


def _pascal(value: object) -> object:
    if isinstance(value, list):
        return [_pascal(v) for v in value]
    if not isinstance(value, dict):
        return value
    # channelData's own keys stay as sent, as in the withdrawn sample.
    return {
        key[:1].upper() + key[1:]: inner if key == "channelData" else _pascal(inner)
        for key, inner in value.items()
    }


def styled(body: dict, chosen: MessagingSettings, webhook_url: str) -> dict:
    """The activity in the org's key case."""
    if chosen.key_case != "pascal":
        return body
    pascal = _pascal(body)
    pascal["ServiceUrl"] = webhook_url.rstrip("/") + "/"
    return pascal
