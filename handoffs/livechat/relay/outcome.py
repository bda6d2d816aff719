"""What becomes of a customer message the Messaging API did not take.

Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/error-handling
- 404 / 30013 (the conversation does not exist or is closed): nothing can reach it any more.
  This message and every later one are given up, the chat is ended and OpenCX told once.
- 400 (the API refused this very message): it is given up and the next one goes.
- Anything else (429 after Retry-After, 5xx, timeouts, tokens, channel settings an admin can
  fix): the message is retried with growing delays, the later ones waiting behind it, until it
  is older than LIVE_CHAT_MESSAGE_MAX_AGE_HOURS.
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from handoffs.errors import HandoffError
from handoffs.lifecycle import backoff, queueing
from handoffs.livechat.relay import events
from handoffs.livechat.relay.models import CustomerMessage
from handoffs.models import HandoffEvent, HandoffSession

logger = logging.getLogger(__name__)
CLOSED = "messaging_conversation_not_found"
REFUSED = frozenset({"messaging_bad_request", "messaging_context_too_large"})
EXPIRED = "live_chat_message_expired"
# A chat waits for seconds, not the handoff's minutes: first retry after about a second.
FIRST_DELAY_SECONDS, MAX_DELAY_SECONDS = 1.0, 60.0
# A typing signal this old when its turn comes shows nothing true any more.
TYPING_STALE = timedelta(seconds=30)


def delay_seconds(attempt: int, retry_after: float | None) -> float:
    """Seconds before attempt `attempt` + 1: Retry-After when given, else doubling and capped."""
    if retry_after is not None:
        return backoff.delay_seconds(attempt, retry_after)
    longest = min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** max(0, attempt - 1))
    return random.uniform(longest / 2, longest)  # noqa: S311


def skip_reason(message: CustomerMessage) -> tuple[str, str] | None:
    """(code, why) when the message should not be sent any more, else None."""
    age = timezone.now() - message.received_at
    if age > timedelta(hours=settings.LIVE_CHAT_MESSAGE_MAX_AGE_HOURS):
        return EXPIRED, HandoffError(EXPIRED).message
    if message.kind == CustomerMessage.Kind.TYPING and age > TYPING_STALE:
        return "", "Skipped: the customer was typing over 30 seconds ago; it no longer holds."
    return None


def _audit(session: HandoffSession, item: CustomerMessage, result: str, **detail) -> None:
    HandoffEvent.objects.create(
        session=session,
        kind=HandoffEvent.Kind.MESSAGE_DELIVERY,
        detail={
            "message_id": item.message_id,
            "type": item.kind,
            "outcome": result,
            "attempt": item.attempts,
            **detail,
        },
    )


def give_up(session: HandoffSession, message: CustomerMessage, code: str, why: str) -> None:
    """Stop sending this message for good, audited; the next one may go."""
    CustomerMessage.objects.filter(pk=message.pk).update(
        given_up_at=timezone.now(),
        sending_until=None,
        next_attempt_at=None,
        last_error_code=code,
        last_error_message=why[:500],
    )
    _audit(session, message, "given up", code=code, message=why)


def _closed(session: HandoffSession, message: CustomerMessage, error: HandoffError) -> None:
    give_up(session, message, error.code, error.message)
    for later in session.customer_messages.filter(
        sequence__gt=message.sequence, delivered_at__isnull=True, given_up_at__isnull=True
    ):
        give_up(session, later, error.code, error.message)
    events.end_chat(session.pk)


def _retry(session: HandoffSession, message: CustomerMessage, error: HandoffError) -> None:
    when = timezone.now() + timedelta(seconds=delay_seconds(message.attempts, error.retry_after))
    CustomerMessage.objects.filter(pk=message.pk).update(
        sending_until=None,
        next_attempt_at=when,
        last_error_code=error.code,
        last_error_message=error.message[:500],
    )
    _audit(
        session,
        message,
        "retry scheduled",
        code=error.code,
        message=error.message,
        http_status=error.http_status,
        retry_after=error.retry_after,
        next_attempt_at=when.isoformat(),
    )
    logger.info("live chat message of session %s waits: %s", session.pk, error.code)
    queueing.schedule_customer_messages(session.pk, when)


def failed(session: HandoffSession, message: CustomerMessage, error: HandoffError) -> bool:
    """Handle a refused attempt; True when the next message may go now."""
    if error.code == CLOSED:
        _closed(session, message, error)
        return True
    if error.code in REFUSED:
        give_up(session, message, error.code, error.message)
        return True
    _retry(session, message, error)
    return False
