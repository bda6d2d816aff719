"""Messages of a conversation: 13-digit epoch-millisecond ids, strictly increasing.

Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-create
A messageId is "a 13-digit string epoch timestamp used for message ordering"; the sandbox makes
each one unique in its conversation by taking the next millisecond when two would collide.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.db.models import Max

from dataverse_sandbox.messaging.models import Conversation, Message


def now_ms() -> int:
    return int(time.time() * 1000)


def timestamp(message_id: int) -> str:
    """The message's time, ISO 8601 with milliseconds, as the messages page shows it."""
    moment = datetime.fromtimestamp(message_id / 1000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{message_id % 1000:03d}+00:00"


def add(conversation: Conversation, kind: str, **fields: object) -> Message:
    """Append one item to the conversation under the next free millisecond id."""
    for _ in range(20):
        last = conversation.items.aggregate(last=Max("message_id"))["last"] or 0
        message_id = max(now_ms(), last + 1)
        try:
            with transaction.atomic():
                return Message.objects.create(
                    conversation=conversation, message_id=message_id, kind=kind, **fields
                )
        except IntegrityError:
            continue  # another writer took that millisecond
    raise RuntimeError("Could not allocate a message id.")


def messages(conversation: Conversation) -> list[Message]:
    """Everything a person would call the conversation's messages, oldest first."""
    kinds = (Message.START, Message.CUSTOMER, Message.REP)
    return list(conversation.items.filter(kind__in=kinds).order_by("message_id"))
