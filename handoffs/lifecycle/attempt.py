"""One attempt of a handoff: claim the session, deliver it, record the outcome.

See docs/architecture.md, "How a handoff flows". No transaction is open while Dynamics is
called: each HTTP exchange stands alone and each audit row commits at once.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db import connection as db_connection

from handoffs import delivery
from handoffs.delivery import Delivered
from handoffs.dynamics.client import client_for
from handoffs.dynamics.protocol import DataverseApi
from handoffs.dynamics.reply import Reply
from handoffs.dynamics.transport import ExchangeHook
from handoffs.errors import HandoffError
from handoffs.inbound.status import status_document
from handoffs.lifecycle import backoff, outage, outbox, queueing
from handoffs.lifecycle.claim import claim, claim_next, has_ready, renew
from handoffs.models import DynamicsConnection, HandoffEvent, HandoffSession, OutboundEvent

logger = logging.getLogger(__name__)

# How long one process_next task goes on taking the next handoff (a handoff already started is
# finished): short next to the task time-out (Q_CLUSTER["timeout"], 120 s).
KEEP_GOING_SECONDS = 5.0


def record_event(session: HandoffSession, kind: str, **detail: object) -> None:
    HandoffEvent.objects.create(session=session, kind=kind, detail=detail)


def fail(session: HandoffSession, error: HandoffError) -> None:
    """Stop for good (until replayed) with a readable error, and report it (one commit)."""
    with transaction.atomic():
        session.mark_failed(error.code, error.readable)
        record_event(
            session,
            HandoffEvent.Kind.FAILED,
            code=error.code,
            message=error.message,
            http_status=error.http_status,
            attempts=session.attempts,
        )
        outbox.record(session, OutboundEvent.STATUS, status_document(session))
    logger.warning("handoff %s failed: %s", session.pk, error.code)


def succeed(session: HandoffSession, delivered: Delivered, connection: DynamicsConnection) -> None:
    """Store the Dynamics references, mark the session done, end the tenant's run of failures
    and report back (one commit)."""
    with transaction.atomic():
        outage.note_success(connection)
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
    queueing.schedule_next(when)


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


class LeasedApi:
    """The Dataverse client, renewing the session's lease before each request."""

    def __init__(self, api: DataverseApi, session: HandoffSession) -> None:
        self.api = api
        self.session = session
        self.environment_url = api.environment_url

    def send(self, method: str, path: str, **kw: Any) -> Reply:
        renew(self.session)
        return self.api.send(method, path, **kw)

    def get(self, path: str, **kw: Any) -> dict:
        renew(self.session)
        return self.api.get(path, **kw)

    def post(self, path: str, body: Any, **kw: Any) -> dict:
        renew(self.session)
        return self.api.post(path, body, **kw)

    def patch(self, path: str, body: Any, **kw: Any) -> dict:
        renew(self.session)
        return self.api.patch(path, body, **kw)


def connection_for(session: HandoffSession) -> DynamicsConnection | None:
    """The tenant's complete connection (read with the session by the claim), or None."""
    try:
        connection = session.tenant.connection
    except DynamicsConnection.DoesNotExist:
        return None
    return connection if connection.is_complete else None


def attempt(session: HandoffSession) -> None:
    """Run one attempt of a claimed session and record its outcome."""
    connection = connection_for(session)
    if connection is None:
        fail(session, HandoffError("integration_not_configured"))
        return
    api = LeasedApi(client_for(connection).audited(exchange_recorder(session)), session)
    try:
        delivered = delivery.deliver(api, session, connection)
    except HandoffError as error:
        if not error.retryable:
            fail(session, error)
        elif outage.note_failure(connection, error):
            outage.wait(session, error)
        else:
            retry_later(session, error)
        return
    except (OperationalError, InterfaceError):
        # Our own database, not Dynamics: a deadlock or a dropped connection passes; the next
        # attempt reuses the record ids. (Dynamics' own errors are HandoffErrors; a programming
        # error in a query is a bug and falls through to unexpected_error.)
        logger.warning("handoff %s: the database refused a write; retrying", session.pk)
        if not db_connection.in_atomic_block:
            db_connection.close_if_unusable_or_obsolete()  # a broken one reconnects
        retry_later(session, HandoffError("database_busy"))
        return
    except Exception:
        # A bug must not leave the session stuck in `processing`; it waits for a replay.
        logger.exception("handoff %s stopped by an unexpected error", session.pk)
        fail(session, HandoffError("unexpected_error"))
        return
    succeed(session, delivered, connection)


def _next_for_tenant(session: HandoffSession) -> None:
    """A finished attempt frees a place under the tenant's cap: let a waiting session have it."""
    if has_ready(session.tenant_id):
        queueing.queue_next()


def process(session_pk: int) -> None:
    """Run one attempt of this session's handoff, when it may run now; safe to call twice."""
    session = claim(session_pk)
    if session is not None:
        attempt(session)
        _next_for_tenant(session)


def process_next() -> None:
    """Run the handoff that is fairest to run now, then the next fairest, while there is one.

    Taking the next one here, instead of queueing a task for it, saves a round through the
    queue (its write, its pickup, its acknowledgement) per handoff of a backlog. After
    KEEP_GOING_SECONDS no further one is started, so a task stays far inside its time-out. A
    place freed under a tenant's cap that this worker does not use itself gets a task of its own.
    """
    started = time.monotonic()
    session = claim_next()
    while session is not None:
        attempt(session)
        following = None
        try:
            if time.monotonic() - started < KEEP_GOING_SECONDS:
                following = claim_next()
        finally:
            if following is None or following.tenant_id != session.tenant_id:
                _next_for_tenant(session)
        session = following
