"""A handoff's life cycle: claim the session, deliver it, record the outcome (DESIGN §5)."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from handoffs.delivery import writer as delivery
from handoffs.delivery.writer import Delivered
from handoffs.dynamics.client import ExchangeHook, client_for
from handoffs.errors import HandoffError
from handoffs.lifecycle import backoff, callbacks
from handoffs.models import DynamicsConnection, HandoffEvent, HandoffSession

logger = logging.getLogger(__name__)

# A session left in `processing` longer than this was abandoned by a crashed worker.
STALE_PROCESSING = timedelta(seconds=settings.Q_CLUSTER["timeout"] + 30)
TENANT_BUSY_DELAY = timedelta(seconds=5)


def claim(session_pk: int) -> HandoffSession | None:
    """Move a session to `processing` and return it, or None when there is nothing to do."""
    with transaction.atomic():
        session = (
            HandoffSession.objects.select_for_update()
            .select_related("tenant")
            .filter(pk=session_pk)
            .first()
        )
        if session is None or session.status == HandoffSession.Status.DONE:
            return None
        busy_since = timezone.now() - STALE_PROCESSING
        if session.status == HandoffSession.Status.PROCESSING and session.updated_at > busy_since:
            return None
        if defer_when_tenant_busy(session, busy_since):
            return None
        session.status = HandoffSession.Status.PROCESSING
        session.attempts += 1
        session.next_attempt_at = None
        # The record id is fixed before any call, so a retry can never make a second record.
        if session.record_id is None:
            session.record_id = uuid.uuid4()
        if session.note_id is None:
            session.note_id = uuid.uuid4()
        session.save()
    return session


def defer_when_tenant_busy(session: HandoffSession, busy_since: datetime) -> bool:
    """Hold a session back while its tenant already has the maximum number in flight.

    Dataverse refuses more than 52 concurrent requests per application user; keeping each
    tenant's concurrent handoffs well below that spares everyone 429 answers.
    """
    in_flight = HandoffSession.objects.filter(
        tenant_id=session.tenant_id,
        status=HandoffSession.Status.PROCESSING,
        updated_at__gt=busy_since,
    ).count()
    if in_flight < settings.TENANT_MAX_CONCURRENT_HANDOFFS:
        return False
    when = timezone.now() + TENANT_BUSY_DELAY
    backoff.schedule_once("handoffs.tasks.process_handoff", when, session.pk)
    return True


def record_event(session: HandoffSession, kind: str, **detail: object) -> None:
    HandoffEvent.objects.create(session=session, kind=kind, detail=detail)


def fail(session: HandoffSession, error: HandoffError) -> None:
    """Stop for good (until replayed) with a readable error."""
    session.status = HandoffSession.Status.FAILED
    session.last_error_code = error.code
    session.last_error_message = error.readable
    session.completed_at = timezone.now()
    session.save()
    record_event(
        session,
        HandoffEvent.Kind.FAILED,
        code=error.code,
        message=error.message,
        http_status=error.http_status,
        attempts=session.attempts,
    )
    logger.warning("handoff %s failed: %s", session, error.code)
    callbacks.queue_callback(session)


def succeed(session: HandoffSession, delivered: Delivered) -> None:
    """Store the Dynamics references, mark the session done and report back."""
    session.status = HandoffSession.Status.DONE
    session.target = delivered.target
    if delivered.target == HandoffSession.Target.INCIDENT:
        session.dynamics365_incident_id = delivered.record_id
        session.dynamics365_ticket_number = delivered.ticket_number
    else:
        session.dynamics365_chat_id = delivered.record_id
    session.dynamics365_contact_id = delivered.contact_id
    session.record_url = delivered.record_url
    session.last_error_code = ""
    session.last_error_message = ""
    session.completed_at = timezone.now()
    session.save()
    record_event(
        session,
        HandoffEvent.Kind.SUCCEEDED,
        target=delivered.target,
        record_id=delivered.record_id,
        ticket_number=delivered.ticket_number,
        contact_id=delivered.contact_id,
        attempts=session.attempts,
    )
    callbacks.queue_callback(session)


def retry_later(session: HandoffSession, error: HandoffError) -> None:
    """Schedule another attempt, or fail once the attempts are used up."""
    if session.attempts >= settings.HANDOFF_MAX_ATTEMPTS:
        fail(session, exhausted(error, session.attempts))
        return
    when = backoff.next_run(session.attempts, error.retry_after)
    session.status = HandoffSession.Status.RETRYING
    session.next_attempt_at = when
    session.last_error_code = error.code
    session.last_error_message = error.readable
    session.save()
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
    backoff.schedule_once("handoffs.tasks.process_handoff", when, session.pk)


def exhausted(error: HandoffError, attempts: int) -> HandoffError:
    """The last retryable error, now final."""
    # The error's own hint ("retried automatically") is no longer true.
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
    # No transaction is open here: each HTTP call stands alone and each event commits at once.
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
        logger.exception("handoff %s stopped by an unexpected error", session)
        fail(session, HandoffError("unexpected_error"))
        return
    succeed(session, delivered)


def replay(session: HandoffSession, *, actor: str) -> bool:
    """Queue a failed session again; the stored record id guarantees no second record.

    Returns False (and changes nothing) when the session is not failed.
    """
    from handoffs.inbound.intake import enqueue

    with transaction.atomic():
        updated = HandoffSession.objects.filter(
            pk=session.pk, status=HandoffSession.Status.FAILED
        ).update(
            status=HandoffSession.Status.QUEUED, next_attempt_at=None, updated_at=timezone.now()
        )
        if not updated:
            return False
        record_event(session, HandoffEvent.Kind.REPLAYED, actor=actor)
        enqueue(session.pk)
    return True
