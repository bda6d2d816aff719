"""django-q2 tasks. Arguments are primary keys; every task is safe to run twice."""

from __future__ import annotations

from handoffs import handoff


def process_handoff(session_pk: int) -> None:
    """Deliver one handoff session to Dynamics 365."""
    handoff.process(session_pk)
