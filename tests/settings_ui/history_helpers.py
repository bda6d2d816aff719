"""Building handoff sessions in a given state for the history page tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handoffs.channels import sample_handoff
from handoffs.inbound.payload import session_fields
from handoffs.models import HandoffEvent, HandoffSession, Tenant

NOON = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def make_session(
    tenant: Tenant,
    session_id: str,
    *,
    channel: str = "phone",
    received_at: datetime = NOON,
    took: float | None = None,
    customer: dict | None = None,
    **fields: object,
) -> HandoffSession:
    """A session as intake stores it, then moved to the given fields (status, references…)."""
    body = sample_handoff(channel, session_id)
    if customer is not None:
        body["customer"] = customer
    completed_at = received_at + timedelta(seconds=took) if took is not None else None
    session = HandoffSession.objects.create(
        tenant=tenant,
        session_id=session_id,
        channel=channel,
        payload=body,
        received_at=received_at,
        completed_at=completed_at,
        **{**session_fields(body), **fields},
    )
    HandoffEvent.objects.create(
        session=session, kind=HandoffEvent.Kind.RECEIVED, created_at=received_at
    )
    return session


def at(day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A moment in November 2026, UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)
