"""A live chat read back as one conversation: who said what when, and whether it arrived.

Merges the customer's messages (and whether Dynamics took them) with the rep's activities (and
whether OpenCX got the event), oldest first. Typing signals are left out. Pure reading: for
the session page, never a token or a secret (none is stored with either side's words).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from handoffs.livechat.relay import events
from handoffs.livechat.relay.models import CustomerMessage, RepActivity
from handoffs.models import HandoffSession, OutboundEvent

CUSTOMER, REP, SYSTEM = "customer", "rep", "system"


@dataclass(frozen=True)
class Line:
    """One line of the conversation as a support lead reads it."""

    at: datetime
    side: str
    who: str
    text: str
    attachments: tuple[dict, ...] = ()
    delivery: str = ""
    problem: bool = False


def _openable(files: object) -> tuple[dict, ...]:
    """Attachments with a link only where it is a web address (a page must not run a script)."""
    found = []
    for file in files if isinstance(files, list | tuple) else ():
        url = str(file.get("url", ""))
        safe = urlsplit(url).scheme in ("http", "https")
        found.append({**file, "url": url if safe else ""})
    return tuple(found)


def _to_dynamics(message: CustomerMessage) -> tuple[str, bool]:
    if message.delivered_at:
        return "Delivered to Dynamics", False
    if message.given_up_at:
        return f"Not delivered: {message.last_error_message}", True
    if message.last_error_code:
        when = f" at {message.next_attempt_at:%H:%M:%S} UTC" if message.next_attempt_at else ""
        return f"Waiting ({message.last_error_code}): retried automatically{when}", True
    return "Queued for Dynamics", False


def _customer_line(session: HandoffSession, message: CustomerMessage) -> Line:
    delivery, problem = _to_dynamics(message)
    if message.kind == CustomerMessage.Kind.END:
        return Line(message.received_at, SYSTEM, "Customer", "The customer ended the chat.",
                    delivery=delivery, problem=problem)  # fmt: skip
    who = session.customer_name or session.customer_email or "Customer"
    return Line(message.received_at, CUSTOMER, who, message.text,
                _openable(message.attachments), delivery, problem)  # fmt: skip


def _to_opencx(item: RepActivity, sent: dict) -> tuple[str, bool]:
    if item.relayed_at is None:
        return "Being relayed to OpenCX", False
    if item.event_id is None:
        told = item.outcome.startswith(events.NAMES)
        return ("Not sent: the tenant has no callback URL", False) if told else ("", False)
    event = sent.get(item.event_id)
    if event is None:
        return "", False
    if event.delivered_at:
        return "Sent to OpenCX", False
    if event.given_up_at:
        return "Not delivered to OpenCX (given up)", True
    return f"Waiting to reach OpenCX ({event.last_error or 'queued'})", bool(event.last_error)


def _event_text(item: RepActivity, who: str) -> str:
    name = item.activity.get("name", "")
    if item.outcome.startswith(events.JOINED):
        return f"{who or 'A rep'} joined the chat ({name or 'first message'})."
    if item.outcome.startswith(events.TRANSFERRED):
        return f"The chat was transferred ({name})."
    if item.outcome.startswith(events.ENDED):
        return f"The chat was ended in Dynamics ({name})."
    return f"Dynamics: {name} ({item.outcome})."


def _rep_lines(item: RepActivity, sent: dict) -> list[Line]:
    activity = item.activity
    kind = activity.get("type")
    if kind == "typing":
        return []
    delivery, problem = _to_opencx(item, sent)
    who = activity.get("from_name", "")  # as Dynamics named the sender at the time
    if kind == "message":
        lines = []
        if item.outcome.startswith(events.JOINED):  # announced with this first message
            lines.append(Line(item.received_at, SYSTEM, "Dynamics", f"{who} joined the chat."))
        text, files = activity.get("text", ""), _openable(activity.get("attachments", ()))
        lines.append(Line(item.received_at, REP, who or "Rep", text, files, delivery, problem))
        return lines
    text = _event_text(item, who)
    return [Line(item.received_at, SYSTEM, "Dynamics", text, (), delivery, problem)]


def conversation(session: HandoffSession) -> list[Line]:
    """Every message both ways and every step of the chat, oldest first."""
    lines = [
        _customer_line(session, m)
        for m in session.customer_messages.exclude(kind=CustomerMessage.Kind.TYPING)
    ]
    activities = list(session.rep_activities.order_by("id"))
    ids = [a.event_id for a in activities if a.event_id]
    sent = {e.event_id: e for e in OutboundEvent.objects.filter(event_id__in=ids)}
    for item in activities:
        lines.extend(_rep_lines(item, sent))
    return sorted(lines, key=lambda line: line.at)
