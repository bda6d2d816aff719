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

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from handoffs.inbound.payload import session_fields
from handoffs.lifecycle import claim, queueing
from handoffs.models import HandoffEvent, HandoffSession, Tenant
from handoffs.models.rollups import bump_from, rollup_day

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
    if connection.vendor == "postgresql":
        return _accept_in_one_statement(tenant, body, remote_addr, room)
    try:
        with transaction.atomic():
            session = _new_session(tenant, body)
            session.save(force_insert=True)
            HandoffEvent.objects.create(
                session=session,
                kind=HandoffEvent.Kind.RECEIVED,
                detail=_received(session, remote_addr),
            )
            woken = claim.has_room(tenant.pk) if room is None else room
            if woken:
                # In the same transaction as the session (one commit) when the queue is the
                # database.
                queueing.queue_next(in_transaction=True)
    except IntegrityError:
        existing = _existing(tenant, body)
        if existing is None:
            raise
        return existing, False
    _after_commit(tenant, woken)
    return session, True


def _accept_in_one_statement(
    tenant: Tenant, body: dict, remote_addr: str, room: bool | None
) -> tuple[HandoffSession, bool]:
    """PostgreSQL: the session, its rollup cell, its `received` row and its task written by one
    statement, committed on its own (one round trip, where a transaction of four inserts takes
    six). A delivery of a session the tenant already has writes nothing: the session's insert
    yields no row (ON CONFLICT on the unique (tenant, session_id)), and every other insert
    selects from it."""
    session = _new_session(tenant, body)
    woken = claim.has_room(tenant.pk) if room is None else room
    task = queueing.next_in_statement() if woken else None
    statement, params = _insert_statement(session, remote_addr, task)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        row = cursor.fetchone()
    if row is None:
        existing = _existing(tenant, body)
        if existing is None:  # removed since the insert met it: this delivery is new again
            return _accept_in_one_statement(tenant, body, remote_addr, room)
        return existing, False
    session.pk = row[0]
    session._state.adding = False
    session._state.db = connection.alias
    session._counted = session.rollup_cells()
    if woken and task is None:
        queueing.queue_next(in_transaction=True)  # after the commit: at once outside a transaction
    _after_commit(tenant, woken)
    return session, True


def _insert_statement(
    session: HandoffSession, remote_addr: str, task: tuple[str, str] | None
) -> tuple[str, list]:
    """One statement of data-modifying WITH queries (PostgreSQL), answering the new session's id,
    or no row when the tenant has the session already."""
    meta = HandoffSession._meta
    # Every column but the id, with the value save() would insert: each field's pre_save (the
    # defaults are set as the instance is made; auto_now here) prepared by the field (JSON).
    fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field]
    params = [f.get_db_prep_save(f.pre_save(session, True), connection) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(meta.db_table)
    insert = f"INSERT INTO {table} ({columns}) VALUES ({values})"  # noqa: S608
    parts = [f"s AS ({insert} ON CONFLICT (tenant_id, session_id) DO NOTHING RETURNING id)"]
    # What HandoffSession.save adds to the rollups for a new session (its status cell).
    day = rollup_day(session.received_at)
    counted = dict.fromkeys(session.rollup_cells(), 1)
    rollup, rollup_params = bump_from("s", session.tenant_id, day, session.channel, counted)
    if rollup:
        parts.append(f"r AS ({rollup})")
        params += rollup_params
    event = HandoffEvent._meta
    parts.append(
        f"e AS (INSERT INTO {connection.ops.quote_name(event.db_table)} "  # noqa: S608
        "(session_id, created_at, kind, detail) "
        "SELECT id, %s, %s, %s FROM s)"
    )
    params += [
        event.get_field("created_at").get_db_prep_save(timezone.now(), connection),
        HandoffEvent.Kind.RECEIVED.value,
        event.get_field("detail").get_db_prep_save(_received(session, remote_addr), connection),
    ]
    if task is not None:
        from django_q.models import OrmQ

        parts.append(
            f"q AS (INSERT INTO {connection.ops.quote_name(OrmQ._meta.db_table)} "  # noqa: S608
            "(key, payload, lock) "
            "SELECT %s, %s, %s FROM s)"
        )
        params += [*task, OrmQ._meta.get_field("lock").get_db_prep_save(timezone.now(), connection)]
    return f"WITH {', '.join(parts)} SELECT id FROM s", params  # noqa: S608 - our own SQL


def _new_session(tenant: Tenant, body: dict) -> HandoffSession:
    return HandoffSession(
        tenant=tenant,
        session_id=body["session_id"],
        channel=body["channel"],
        payload=body,
        **session_fields(body),
    )


def _received(session: HandoffSession, remote_addr: str) -> dict:
    """The detail of a session's `received` audit row."""
    return {"channel": session.channel, "remote_addr": remote_addr}


def _existing(tenant: Tenant, body: dict) -> HandoffSession | None:
    return HandoffSession.objects.filter(tenant=tenant, session_id=body["session_id"]).first()


def _after_commit(tenant: Tenant, woken: bool) -> None:
    if not woken and claim.has_room(tenant.pk):
        # A handoff of the tenant finished between the count and the commit, and may have
        # looked for waiting sessions before this one was visible: this one takes its place.
        queueing.queue_next()
