"""Turning an accepted webhook body into a durable, queued session (docs/architecture.md).

The session gets a task to run it while its tenant has room under its cap. A tenant at its cap
has handoffs in flight, and each of them, as it finishes, takes the next waiting session
(lifecycle.attempt): a flood costs no task per webhook that would only find the tenant full.
The room is counted again after the commit, so a handoff that finished in between, before this
session was visible to it, cannot leave it without a task.
"""

from __future__ import annotations

import random
import time

from django.db import IntegrityError, OperationalError, transaction

from handoffs.inbound.payload import session_fields
from handoffs.lifecycle import claim, queueing
from handoffs.models import HandoffEvent, HandoffSession, Tenant

# A write the database refused for a moment (a deadlock, SQLite busy) is tried again this often
# before the webhook answers 503 with Retry-After (nothing stored: the whole transaction rolled
# back).
TRIES = 3


def accept(
    tenant: Tenant, body: dict, remote_addr: str = "", room: bool | None = None
) -> tuple[HandoffSession, bool]:
    """Store a valid body as a queued session; return (session, created).

    `room`: whether the tenant was under its cap when the caller read it (the webhook reads it
    with the tenant's row); None counts it in the transaction.

    The unique (tenant, session_id) constraint, not a prior read, decides whether this delivery
    is new, so concurrent duplicates converge on one row. Raises OperationalError when the
    database kept refusing the write.
    """
    for attempt in range(1, TRIES + 1):
        try:
            return _accept_once(tenant, body, remote_addr, room)
        except OperationalError:
            if attempt == TRIES or transaction.get_connection().in_atomic_block:
                raise
            time.sleep(random.uniform(0.01, 0.05) * attempt)  # noqa: S311 - spread, not secrecy
    raise AssertionError("unreachable")


def _accept_once(
    tenant: Tenant, body: dict, remote_addr: str, room: bool | None
) -> tuple[HandoffSession, bool]:
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
            woken = claim.has_room(tenant.pk) if room is None else room
            if woken:
                # In the same transaction as the session (one commit) when the queue is the
                # database.
                queueing.queue_next(in_transaction=True)
    except IntegrityError:
        existing = HandoffSession.objects.filter(
            tenant=tenant, session_id=body["session_id"]
        ).first()
        if existing is None:
            raise
        return existing, False
    if not woken and claim.has_room(tenant.pk):
        # A handoff of the tenant finished between the count and the commit, and may have
        # looked for waiting sessions before this one was visible: this one takes its place.
        queueing.queue_next()
    return session, True
