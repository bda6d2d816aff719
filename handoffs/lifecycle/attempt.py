"""One attempt of a handoff: claim the session, deliver it, record the outcome.

See docs/architecture.md, "How a handoff flows". No transaction is open while Dynamics is
called: each HTTP exchange stands alone and each audit row commits at once.
"""

from __future__ import annotations

import logging

from django.conf import settings

from handoffs import delivery
from handoffs.delivery import Delivered
from handoffs.dynamics.client import client_for
from handoffs.dynamics.transport import ExchangeHook
from handoffs.errors import HandoffError
from handoffs.inbound.status import status_document
from handoffs.lifecycle import backoff, outbox, queueing
from handoffs.lifecycle.claim import claim
from handoffs.models import DynamicsConnection, HandoffEvent, HandoffSession, OutboundEvent

logger = logging.getLogger(__name__)


def record_event(session: HandoffSession, kind: str, **detail: object) -> None:
    HandoffEvent.objects.create(session=session, kind=kind, detail=detail)


def fail(session: HandoffSession, error: HandoffError) -> None:
    """Stop for good (until replayed) with a readable error, and report it."""
    session.mark_failed(error.code, error.readable)
    record_event(
        session,
        HandoffEvent.Kind.FAILED,
        code=error.code,
        message=error.message,
        http_status=error.http_status,
        attempts=session.attempts,
    )
    logger.warning("handoff %s failed: %s", session.pk, error.code)
    outbox.record(session, OutboundEvent.STATUS, status_document(session))


def succeed(session: HandoffSession, delivered: Delivered) -> None:
    """Store the Dynamics references, mark the session done and report back."""
    session.mark_done(delivered)
    record_event(
        session,
        HandoffEvent.Kind.SUCCEEDED,
        target=delivered.target,
        record_id=delivered.record_id,
        ticket_number=delivered.ticket_number,
        contact_id=delivered.contact_id,
        attempts=session.attempts,
    )
    outbox.record(session, OutboundEvent.STATUS, status_document(session))


def retry_later(session: HandoffSession, error: HandoffError) -> None:
    """Schedule another attempt, or fail once the attempts are used up."""
    if session.attempts >= settings.HANDOFF_MAX_ATTEMPTS:
        fail(session, exhausted(error, session.attempts))
        return
    when = backoff.next_run(session.attempts, error.retry_after)
    session.mark_retrying(error.code, error.readable, when)
    record_event(
        session,
        HandoffEvent.Kind.RETRY_SCHEDULED,
        code=error.code,
        message=error.message,
        http_status=error.http_status,
        retry_after=error.retry_after,
        attempt=session.attempts,
        next_attempt_at=when.isoformat(),
    )
    queueing.schedule_handoff(session.pk, when)


def exhausted(error: HandoffError, attempts: int) -> HandoffError:
    """The last retryable error, now final (its own "retried automatically" is no longer true)."""
    said = error.message.removeprefix(error.kind.message).strip()
    return HandoffError(
        error.code,
        detail=f"{said} Gave up after {attempts} attempts.".strip(),
        fix="Once Dynamics 365 answers again, retry the handoff (Retry on its page, or "
        "manage.py replay_handoffs): it reuses the same record id, so no second record is made.",
        http_status=error.http_status,
    )


def exchange_recorder(session: HandoffSession) -> ExchangeHook:
    """An on_exchange hook writing one dataverse_call event per HTTP exchange."""

    def record(
        method: str, path: str, status: int | None, duration_ms: int, error_code: str | None
    ) -> None:
        record_event(
            session,
            HandoffEvent.Kind.DATAVERSE_CALL,
            method=method,
            path=path,
            status=status,
            duration_ms=duration_ms,
            error_code=error_code,
        )

    return record


def connection_for(session: HandoffSession) -> DynamicsConnection | None:
    connection = DynamicsConnection.objects.filter(tenant_id=session.tenant_id).first()
    if connection is None or not connection.is_complete:
        return None
    return connection


def process(session_pk: int) -> None:
    """Run one attempt of a session's handoff; safe to call twice."""
    session = claim(session_pk)
    if session is None:
        return
    connection = connection_for(session)
    if connection is None:
        fail(session, HandoffError("integration_not_configured"))
        return
    api = client_for(connection).audited(exchange_recorder(session))
    try:
        delivered = delivery.deliver(api, session, connection)
    except HandoffError as error:
        if error.retryable:
            retry_later(session, error)
        else:
            fail(session, error)
        return
    except Exception:
        # A bug must not leave the session stuck in `processing`; it waits for a replay.
        logger.exception("handoff %s stopped by an unexpected error", session.pk)
        fail(session, HandoffError("unexpected_error"))
        return
    succeed(session, delivered)
