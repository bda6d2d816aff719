"""django-q2 task entry points. Arguments are primary keys; every task is safe to run twice.

Queue them with handoffs.lifecycle.queueing, which refers to these functions, never to strings.
The imports are inside the functions: the lifecycle imports this module to name its tasks.
"""

from __future__ import annotations


def process_handoff(session_pk: int) -> None:
    """Deliver one handoff session to Dynamics 365."""
    from handoffs.lifecycle import attempt

    attempt.process(session_pk)


def process_next() -> None:
    """Deliver the fairest handoff to run now, then the next (one task per ready session)."""
    from handoffs.lifecycle import attempt

    attempt.process_next()


def probe_outages() -> int:
    """Probe the Dynamics of every tenant in an outage, once a minute."""
    from handoffs.lifecycle import outage

    return outage.probe_due()


def send_events(session_pk: int) -> int:
    """POST a session's pending callbacks and events to the tenant's callback URL, in order."""
    from handoffs.lifecycle import outbox

    return outbox.send_pending(session_pk)


def resume_stalled_sessions() -> int:
    """Queue again the sessions whose task was lost (runs every few minutes)."""
    from handoffs.lifecycle import sweeper

    return sweeper.resume_stalled()


def follow_case_changes(half_minute: bool = False) -> int:
    """Queue one case-change poll per tenant that sends case updates (every 30 or 60 s)."""
    from handoffs.caseupdates import schedule

    return schedule.fan_out(half_minute=half_minute)


def poll_case_changes(tenant_pk: int) -> int:
    """Read one tenant's case changes from Dynamics and report them to OpenCX."""
    from handoffs.caseupdates import poll

    return poll.poll_tenant(tenant_pk)


def send_customer_messages(session_pk: int) -> int:
    """Send a live chat's pending customer messages to the Messaging API, in order."""
    from handoffs.livechat.relay import sender

    return sender.send_pending(session_pk)


def relay_rep_activities(session_pk: int) -> int:
    """Turn a live chat's new rep activities into OpenCX events, in order."""
    from handoffs.livechat.relay import relay

    return relay.relay_pending(session_pk)
