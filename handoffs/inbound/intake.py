"""Turning an accepted webhook body into a durable, queued session (docs/architecture.md)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from handoffs.inbound.payload import session_fields
from handoffs.lifecycle import queueing
from handoffs.models import HandoffEvent, HandoffSession, Tenant


def accept(tenant: Tenant, body: dict, remote_addr: str = "") -> tuple[HandoffSession, bool]:
    """Store a valid body as a queued session; return (session, created).

    The unique (tenant, session_id) constraint, not a prior read, decides whether this delivery
    is new, so concurrent duplicates converge on one row.
    """
    try:
        with transaction.atomic():
            session = HandoffSession.objects.create(
                tenant=tenant,
                session_id=body["session_id"],
                channel=body["channel"],
                payload=body,
                **session_fields(body),
            )
            HandoffEvent.objects.create(
                session=session,
                kind=HandoffEvent.Kind.RECEIVED,
                detail={"channel": session.channel, "remote_addr": remote_addr},
            )
            # In the same transaction as the session (one commit) when the queue is the database.
            queueing.queue_next(in_transaction=True)
    except IntegrityError:
        existing = HandoffSession.objects.filter(
            tenant=tenant, session_id=body["session_id"]
        ).first()
        if existing is None:
            raise
        return existing, False
    return session, True
