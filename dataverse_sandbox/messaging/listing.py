"""The GET endpoints: active conversations, a conversation's messages, its context.

References (pages under …/dynamics365/contact-center/extend/api/):
https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation
https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-messages
https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-context
Continuation tokens: the conversations page calls its token a GUID, so the sandbox uses the id
of the last conversation returned; the messages page calls its token a DateTimeOffset and its
sample repeats the last message's timestamp, which the sandbox does too (both inferred). The
last page answers a null token.
"""

from __future__ import annotations

from datetime import datetime

from django.http import QueryDict

from dataverse_sandbox.messaging import facts, thread
from dataverse_sandbox.messaging.auth import Channel
from dataverse_sandbox.messaging.models import Conversation, Message, MessagingFaults
from dataverse_sandbox.messaging.problems import coded
from dataverse_sandbox.validation import parse_guid


def _param(query: QueryDict, name: str) -> str | None:
    # Parameter names compare case-insensitively, as ASP.NET binds them (inferred).
    for key, value in query.items():
        if key.lower() == name.lower():
            return value
    return None


def _page_size(query: QueryDict, default: int, largest: int, code: int) -> int:
    raw = _param(query, "PageSize")
    if raw in (None, ""):
        return default
    try:
        size = int(raw)
    except ValueError:
        raise coded(code, f"PageSize {raw!r} is not a whole number.") from None
    if not 1 <= size <= largest:
        raise coded(code, f"PageSize {size} is outside 1–{largest}.")
    return size


def _moment(raw: str | None, code: int, what: str) -> datetime | None:
    if raw in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(raw.strip().replace(" ", "+").replace("Z", "+00:00"))
    except ValueError:
        raise coded(code, f"{what} {raw!r} is not an ISO 8601 date and time.") from None
    if moment.tzinfo is None:
        raise coded(code, f"{what} {raw!r} needs an offset such as Z or +00:00.")
    return moment


def _conversation_stamp(conversation: Conversation) -> str:
    # The page's sample shows seven fractional digits and Z.
    return conversation.created_at.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


def conversations(channel: Channel, query: QueryDict) -> dict:
    """This channel's Open and Active conversations (never Wrap-up or Closed), oldest first."""
    size = _page_size(query, facts.CONVERSATIONS_PAGE_DEFAULT, facts.CONVERSATIONS_PAGE_MAX, 30007)
    since = _moment(_param(query, "StartTimeStamp"), 30006, "StartTimeStamp")
    rows = Conversation.objects.filter(
        org=channel.org, channel_id=channel.id, state__in=(Conversation.OPEN, Conversation.ACTIVE)
    ).order_by("created_at", "id")
    if since is not None:
        rows = rows.filter(created_at__gt=since)
    token = _param(query, "ContinuationToken")
    if token:
        after = Conversation.objects.filter(org=channel.org, id=parse_guid(token) or None).first()
        if after is None:
            raise coded(30009, f"{token!r} is not a token this API returned.")
        rows = rows.filter(created_at__gte=after.created_at).exclude(
            created_at=after.created_at, id__lte=after.id
        )
    page = list(rows[: size + 1])
    more = len(page) > size
    page = page[:size]
    return {
        "conversations": [
            {"conversationid": str(c.id), "timestamp": _conversation_stamp(c)} for c in page
        ],
        "continuationtoken": str(page[-1].id) if more else None,
    }


def message_body(message: Message) -> dict:
    """A message as the messages endpoint lists it."""
    sender = {"id": message.from_id, "name": message.from_name}
    return {
        "type": "message",
        "attachments": message.attachments,
        "text": message.text,
        "messageId": str(message.message_id),
        "timestamp": thread.timestamp(message.message_id),
        "from": {k: v for k, v in sender.items() if v},
        "channelData": message.channel_data,
    }


def messages(conversation: Conversation, query: QueryDict) -> dict:
    """The conversation's messages both ways, oldest first; custom events are not listed."""
    size = _page_size(query, facts.MESSAGES_PAGE_DEFAULT, facts.MESSAGES_PAGE_MAX, 30008)
    since = _moment(_param(query, "StartTimeStamp"), 30006, "StartTimeStamp")
    after = _moment(_param(query, "ContinuationToken"), 30009, "ContinuationToken")
    rows = conversation.items.filter(
        kind__in=(Message.START, Message.CUSTOMER, Message.REP)
    ).order_by("message_id")
    for moment in (since, after):
        if moment is not None:
            rows = rows.filter(message_id__gt=int(moment.timestamp() * 1000))
    page = list(rows[: size + 1])
    more = len(page) > size
    page = page[:size]
    return {
        "messages": [message_body(m) for m in page],
        "continuationToken": thread.timestamp(page[-1].message_id) if more else None,
    }


def context(conversation: Conversation, faults: MessagingFaults) -> dict:
    """The context variables; empty for the first reads when lag is injected (eventual)."""
    Conversation.objects.filter(pk=conversation.pk).update(
        context_reads=conversation.context_reads + 1
    )
    if conversation.context_reads < faults.context_lag_reads:
        return {"context": []}
    return {"context": [{"name": name, "value": value} for name, value in conversation.context]}
