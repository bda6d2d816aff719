"""Rep → customer: a session's new activities become OpenCX events, in the order received.

One transaction under the session's row lock: the state change, the outbox events and the
"relayed" mark of each activity commit together, so a task run twice (or two tasks at once)
relays every activity exactly once and in order. No HTTP inside it; once it commits, the events
are sent to OpenCX right away by the outbox.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from handoffs.lifecycle import outbox
from handoffs.livechat.relay import events, mapping
from handoffs.livechat.relay.models import RepActivity
from handoffs.models import HandoffSession


def occurred_at(item: RepActivity) -> datetime:
    """The activity's own timestamp when it has a readable one, else when it arrived."""
    stamp = item.activity.get("timestamp")
    try:
        moment = parse_datetime(stamp) if isinstance(stamp, str) else None
    except ValueError:
        moment = None
    return moment if moment is not None and moment.tzinfo else item.received_at


def _apply(session: HandoffSession, item: RepActivity) -> bool:
    chat = mapping.Chat(session.live_chat_state, session.live_chat_agent)
    decision = mapping.decide(chat, item.activity)
    if decision.chat != chat:
        HandoffSession.objects.filter(pk=session.pk).update(
            live_chat_state=decision.chat.state,
            live_chat_agent=decision.chat.agent[:200],
            updated_at=timezone.now(),
        )
        session.live_chat_state = decision.chat.state
        session.live_chat_agent = decision.chat.agent[:200]
    event_id = None
    for said in decision.announcements:
        event_id = events.announce(
            session,
            said.name,
            occurred_at(item),
            agent=said.agent,
            text=said.text,
            attachments=said.attachments,
            dynamics_event=said.dynamics_event,
        )
    item.relayed_at = timezone.now()
    item.outcome = decision.outcome[:80]
    item.event_id = event_id
    item.save(update_fields=["relayed_at", "outcome", "event_id"])
    return event_id is not None


def relay_pending(session_pk: int) -> int:
    """Relay the session's activities not relayed yet, oldest first; return how many."""
    with transaction.atomic():
        session = (
            HandoffSession.objects.select_for_update(of=("self",))
            .select_related("tenant")
            .filter(pk=session_pk)
            .first()
        )
        if session is None:
            return 0
        pending = list(session.rep_activities.filter(relayed_at__isnull=True).order_by("id"))
        announced = [_apply(session, item) for item in pending]
    if any(announced):
        # Sent from here rather than by the task the outbox queued: a chat should not wait for
        # the queue twice. Whichever sender comes second finds nothing left (leases decide).
        outbox.send_pending(session_pk)
    return len(pending)
