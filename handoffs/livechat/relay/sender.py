"""Customer → rep: a session's stored messages sent to its conversation, oldest first.

One sender per session at a time: a message is taken with a lease (`sending_until`) and a later
one never leaves before it is delivered or given up, so the rep reads them in the order OpenCX
sent them, each once. No transaction is open during the HTTP call. What happens after a failure
is decided in outcome.py.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone

from handoffs.errors import HandoffError
from handoffs.lifecycle import queueing
from handoffs.livechat import conversations
from handoffs.livechat.client import MessagingClient, client_for
from handoffs.livechat.handoff import configured_channel, messaging_recorder
from handoffs.livechat.relay import outcome, outgoing
from handoffs.livechat.relay.models import CustomerMessage
from handoffs.models import DynamicsConnection, HandoffEvent, HandoffSession

logger = logging.getLogger(__name__)
# Longer than one send can take (a token, the request, a new token and the request again, each
# bounded by the outbound timeouts), so a live sender never loses its message to another.
LEASE = timedelta(minutes=5)
# A task hands over to a fresh one after this long, well inside the queue's task timeout.
BATCH_SECONDS = 60.0


def _messaging(session: HandoffSession) -> tuple[MessagingClient, str]:
    """The audited client of the session's channel, and the channel id for the body."""
    channel = configured_channel(session)
    connection = DynamicsConnection.objects.filter(tenant_id=session.tenant_id).first()
    if connection is None:
        raise HandoffError("integration_not_configured")
    client = client_for(channel, connection).audited(messaging_recorder(session))
    return client, str(channel.channel_id)


def _send(session: HandoffSession, message: CustomerMessage) -> str:
    """POST the message's activity; the Messaging API's messageId."""
    client, channel_id = _messaging(session)
    sender = outgoing.sender_of(
        session.session_id, session.customer_name, session.customer_email, session.customer_phone
    )
    conversation_id = str(session.dynamics365_chat_id)
    body = outgoing.activity(message, sender, channel_id, conversation_id)
    return conversations.send_activity(client, conversation_id, body)


def _claim(message: CustomerMessage) -> bool:
    """Take the message for one send; False when another sender holds it."""
    now = timezone.now()
    free = Q(sending_until__isnull=True) | Q(sending_until__lt=now)
    taken = CustomerMessage.objects.filter(
        free, pk=message.pk, delivered_at__isnull=True, given_up_at__isnull=True
    ).update(sending_until=now + LEASE, attempts=F("attempts") + 1)
    if taken:
        message.refresh_from_db(fields=["attempts"])
    return bool(taken)


def _delivered(session: HandoffSession, message: CustomerMessage, dynamics_id: str) -> None:
    CustomerMessage.objects.filter(pk=message.pk).update(
        delivered_at=timezone.now(),
        sending_until=None,
        next_attempt_at=None,
        last_error_code="",
        last_error_message="",
        dynamics_message_id=dynamics_id[:32],
    )
    if message.kind != CustomerMessage.Kind.TYPING:  # the Messaging API call row says enough
        HandoffEvent.objects.create(
            session=session,
            kind=HandoffEvent.Kind.MESSAGE_DELIVERY,
            detail={
                "message_id": message.message_id,
                "type": message.kind,
                "outcome": "delivered",
                "attempt": message.attempts,
                "dynamics_message_id": dynamics_id,
            },
        )


def _deliver(session: HandoffSession, message: CustomerMessage) -> bool:
    """One attempt at one message; True when the next message may go now."""
    skipped = outcome.skip_reason(message)
    if skipped is not None:
        outcome.give_up(session, message, *skipped)
        return True
    try:
        dynamics_id = _send(session, message)
    except HandoffError as error:
        return outcome.failed(session, message, error)
    except Exception:  # a bug must not strand the message: it is retried like an outage
        logger.exception("live chat message %s of session %s", message.pk, session.pk)
        return outcome.failed(session, message, HandoffError("unexpected_error"))
    _delivered(session, message, dynamics_id)
    return True


def next_pending(session: HandoffSession) -> CustomerMessage | None:
    """The session's oldest message not yet delivered or given up (later ones wait behind it)."""
    pending = Q(delivered_at__isnull=True, given_up_at__isnull=True)
    return session.customer_messages.filter(pending).order_by("sequence").first()


def send_pending(session_pk: int) -> int:
    """Send the session's messages in order until one must wait or none is left; how many."""
    session = HandoffSession.objects.select_related("tenant").filter(pk=session_pk).first()
    if session is None or not session.dynamics365_chat_id:
        return 0  # the handoff queues this again once its conversation exists
    deadline = time.monotonic() + BATCH_SECONDS
    sent = 0
    while (message := next_pending(session)) is not None:
        if message.next_attempt_at and message.next_attempt_at > timezone.now():
            break  # its retry is scheduled; later messages wait behind it
        if time.monotonic() > deadline:
            queueing.queue_customer_messages(session.pk)
            break
        if not _claim(message) or not _deliver(session, message):
            break
        sent += 1
    return sent
