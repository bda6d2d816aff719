"""One history-list row per session: the columns a lead scans."""

from __future__ import annotations

from dataclasses import dataclass

from handoffs.models import HandoffSession
from settings_ui.history.formatting import human_duration


@dataclass
class HistoryRow:
    session: HandoffSession
    customer: str
    reference: str
    duration: str
    case_state: str = ""
    live_chat: str = ""


def customer_text(session: HandoffSession) -> str:
    """Name, else email, else phone, as Dynamics titles the record."""
    return session.customer_name or session.customer_email or session.customer_phone or ""


def reference_text(session: HandoffSession) -> str:
    """Ticket number for a case, conversation id for a live work item."""
    if session.dynamics365_ticket_number:
        return session.dynamics365_ticket_number
    if session.dynamics365_chat_id:
        return str(session.dynamics365_chat_id)
    return ""


def case_state_label(session: HandoffSession) -> str:
    """The case's state as Dynamics last showed it ("Resolved"), blank until first seen."""
    return session.case_state.capitalize()


def live_chat_label(session: HandoffSession) -> str:
    """waiting, active (with the rep's name) or ended; blank for anything but a live chat."""
    if not session.live_chat_state:
        return ""
    agent = session.live_chat_agent
    if session.live_chat_state == HandoffSession.LiveChatState.ACTIVE and agent:
        return f"active, {agent}"
    return session.live_chat_state


def history_rows(sessions: list[HandoffSession]) -> list[HistoryRow]:
    """Rows for the list template."""
    return [
        HistoryRow(
            session=session,
            customer=customer_text(session),
            reference=reference_text(session),
            duration=human_duration(session.duration_seconds),
            case_state=case_state_label(session),
            live_chat=live_chat_label(session),
        )
        for session in sessions
    ]
