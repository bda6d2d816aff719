"""Keeping a customer message: once per message_id, in order per session, sender queued.

Decided under the session's row lock, so two deliveries of one message_id store it once and a
message after the end is refused even when both arrive together. A duplicate is recognised
before the end is checked: OpenCX retrying its own `end` hears 200, not 409.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from handoffs.inbound.status import target_of
from handoffs.lifecycle import queueing
from handoffs.livechat.relay.models import CustomerMessage
from handoffs.livechat.relay.payload import Incoming
from handoffs.models import HandoffEvent, HandoffSession

NOT_LIVE_CHAT = "not_live_chat"
ENDED = "conversation_ended"


class Refused(Exception):
    """The session cannot take messages; `code` is the public error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def refusal(session: HandoffSession) -> Refused | None:
    """Why this session takes no customer messages at all (not a live chat), else None."""
    if target_of(session) != HandoffSession.Target.LIVE_CHAT:
        return Refused(
            NOT_LIVE_CHAT,
            f"Session {session.session_id!r} was not handed off as a live chat (its target is "
            f"{target_of(session)}): a rep reads it in Dynamics and answers another way.",
        )
    return None


def _ended(session: HandoffSession) -> Refused:
    return Refused(
        ENDED,
        f"The live chat of session {session.session_id!r} has ended: nothing more reaches the "
        "rep. Hand the customer off again (a new session_id) to reach a rep.",
    )


def _create(session: HandoffSession, incoming: Incoming) -> CustomerMessage:
    last = session.customer_messages.aggregate(last=Max("sequence"))["last"] or 0
    message = CustomerMessage.objects.create(
        session=session,
        sequence=last + 1,
        message_id=incoming.message_id,
        kind=incoming.kind,
        text=incoming.text,
        attachments=incoming.attachments,
        sent_at=incoming.sent_at,
    )
    HandoffEvent.objects.create(
        session=session,
        kind=HandoffEvent.Kind.CUSTOMER_MESSAGE,
        detail={
            "message_id": incoming.message_id,
            "type": incoming.kind,
            "characters": len(incoming.text),
            "attachments": len(incoming.attachments),
        },
    )
    return message


def accept(session: HandoffSession, incoming: Incoming) -> tuple[CustomerMessage, bool]:
    """Store the message once; (message, created). Raises Refused after the chat ended."""
    try:
        with transaction.atomic():
            locked = HandoffSession.objects.select_for_update().get(pk=session.pk)
            found = locked.customer_messages.filter(message_id=incoming.message_id).first()
            if found is not None:
                return found, False
            if locked.live_chat_state == HandoffSession.LiveChatState.ENDED:
                raise _ended(locked)
            message = _create(locked, incoming)
            if incoming.kind == CustomerMessage.Kind.END:
                HandoffSession.objects.filter(pk=locked.pk).update(
                    live_chat_state=HandoffSession.LiveChatState.ENDED, updated_at=timezone.now()
                )
            # Without a conversation yet, the handoff queues the sender once it has one.
            if locked.dynamics365_chat_id:
                queueing.queue_customer_messages(locked.pk, after_commit=True)
    except IntegrityError:
        # A concurrent delivery of the same message_id won (databases without row locks).
        found = session.customer_messages.filter(message_id=incoming.message_id).first()
        if found is None:
            raise
        return found, False
    return message, True


def delivery_state(message: CustomerMessage) -> str:
    """queued, delivered or failed: what OpenCX reads back about one message."""
    if message.delivered_at:
        return "delivered"
    return "failed" if message.given_up_at else "queued"
