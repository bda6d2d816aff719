"""django-q2 task entry points. Arguments are primary keys; every task is safe to run twice.

Queue them with handoffs.lifecycle.queueing, which refers to these functions, never to strings.
The imports are inside the functions: the lifecycle imports this module to name its tasks.
"""

from __future__ import annotations


def process_handoff(session_pk: int) -> None:
    """Deliver one handoff session to Dynamics 365."""
    from handoffs.lifecycle import attempt

    attempt.process(session_pk)


def send_callback(session_pk: int, attempt: int = 1) -> None:
    """POST a finished session's status document to the tenant's callback URL."""
    from handoffs.lifecycle import callbacks

    callbacks.send(session_pk, attempt)


def resume_stalled_sessions() -> int:
    """Queue again the sessions whose task was lost (runs every few minutes)."""
    from handoffs.lifecycle import sweeper

    return sweeper.resume_stalled()
