"""django-q2 tasks. Arguments are primary keys; every task is safe to run twice."""

from __future__ import annotations

from handoffs.lifecycle import attempt as handoff
from handoffs.lifecycle import callbacks, sweeper


def process_handoff(session_pk: int) -> None:
    """Deliver one handoff session to Dynamics 365."""
    handoff.process(session_pk)


def send_callback(session_pk: int, attempt: int = 1) -> None:
    """POST a finished session's status document to the tenant's callback URL."""
    callbacks.send(session_pk, attempt)


def resume_stalled_sessions() -> int:
    """Queue again the sessions whose task was lost (runs every few minutes)."""
    return sweeper.resume_stalled()
