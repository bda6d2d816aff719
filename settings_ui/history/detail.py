"""What the session page shows: the header and transcript as sent, references, timeline."""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib import messages

from handoffs.delivery import text as record_text
from handoffs.livechat.relay.transcript import conversation
from handoffs.models import HandoffSession
from settings_ui.history.explain import Explanation, explain
from settings_ui.history.timeline import timeline

Status = HandoffSession.Status
GAVE_UP = (
    "It was tried {attempts} times and then given up. Once Dynamics 365 answers again, an admin "
    "retries it (Retry): the same record id is reused, so no second record is made."
)


@dataclass
class Reference:
    label: str
    value: str
    url: str = ""


def header_lines(session: HandoffSession) -> list[str]:
    """The three lines that open the record's description in Dynamics, exactly as written."""
    return record_text.header(session).splitlines()


def transcript(session: HandoffSession) -> list[dict]:
    """The transcript messages exactly as OpenCX sent them (already validated at intake)."""
    messages_sent = (session.payload or {}).get("transcript") or []
    return [m for m in messages_sent if isinstance(m, dict)]


def sibling_link(record_url: str, entity: str, record_id: object) -> str:
    """The same Dynamics page for another record, when record_url names entity and id."""
    parts = urlsplit(record_url)
    query = dict(parse_qsl(parts.query))
    if not record_id or "etn" not in query or "id" not in query:
        return ""
    query.update({"etn": entity, "id": str(record_id)})
    return urlunsplit(parts._replace(query=urlencode(query)))


def references(session: HandoffSession) -> list[Reference]:
    """The Dynamics identifiers stored on the session, with deep links where we have them."""
    url = session.record_url
    rows = [Reference("Target", session.get_target_display() if session.target else "")]
    if session.dynamics365_incident_id:
        rows.append(Reference("Case id", str(session.dynamics365_incident_id), url))
        rows.append(Reference("Ticket number", session.dynamics365_ticket_number, url))
    if session.dynamics365_chat_id:
        # A live chat's link opens its contact: no documented link opens the conversation.
        live = session.target == HandoffSession.Target.LIVE_CHAT
        rows.append(
            Reference("Conversation id", str(session.dynamics365_chat_id), "" if live else url)
        )
    if session.live_chat_state:
        agent = f" ({session.live_chat_agent})" if session.live_chat_agent else ""
        rows.append(Reference("Live chat", session.get_live_chat_state_display() + agent))
    contact = session.dynamics365_contact_id
    rows.append(Reference("Contact id", str(contact or ""), sibling_link(url, "contact", contact)))
    rows.append(Reference("Record id (kept for retries)", str(session.record_id or "")))
    return [row for row in rows if row.value]


def case_now(session: HandoffSession) -> list[tuple[str, str]]:
    """The case as Dynamics last showed it (state, status reason, owner, resolution, when)."""
    if not session.case_state:
        return []
    rows = [
        ("Status", session.case_state.capitalize()),
        ("Status reason", session.case_status_reason),
        ("Owner", session.case_owner),
        ("Resolution", session.case_resolution),
    ]
    if session.case_updated_at:
        rows.append(("Seen", f"{session.case_updated_at:%Y-%m-%d %H:%M:%S} UTC"))
    return [(label, value) for label, value in rows if value]


def context(session: HandoffSession) -> dict:
    """Template context for the detail page."""
    payload = session.payload or {}
    return {
        "header_lines": header_lines(session),
        "summary_text": payload.get("summary") or "",
        "language": payload.get("language") or "",
        "metadata": sorted((payload.get("metadata") or {}).items()),
        "transcript": transcript(session),
        "references": references(session),
        "case_now": case_now(session),
        "live_chat": (chat := conversation(session)),
        # A live chat, or messages OpenCX sent while the handoff was still opening it.
        "live_chat_shown": bool(session.live_chat_state or chat),
        "timeline": timeline(session),
        "error": error_for(session),
    }


def error_for(session: HandoffSession) -> Explanation | None:
    """The session's last error in plain words, with a fix that fits where the session is."""
    if not session.last_error_code:
        return None
    error = explain(session.last_error_code, session.last_error_message)
    # "Retried automatically" stops being true once the attempts are used up.
    if session.status == Status.FAILED and error.retryable:
        error = replace(error, hint=GAVE_UP.format(attempts=session.attempts))
    return error


def retry_outcome(session: HandoffSession) -> tuple[int, str]:
    """The message level and text telling an admin what their retry did."""
    if session.status == Status.DONE:
        reference = session.dynamics365_ticket_number or session.dynamics365_chat_id
        return messages.SUCCESS, (
            f"Retried: the handoff is done, Dynamics record {reference or session.record_id} "
            f"(the same record id {session.record_id}, no second record)."
        )
    if session.status == Status.FAILED:
        error = error_for(session)
        meaning = error.text if error else session.last_error_message
        return (
            messages.ERROR,
            f"Retried, and it failed again ({session.last_error_code}): {meaning}",
        )
    if session.status == Status.RETRYING:
        when = f" at {session.next_attempt_at:%H:%M:%S} UTC" if session.next_attempt_at else ""
        return messages.WARNING, (
            f"Retried: Dynamics asked us to wait, so it tries again automatically{when}."
        )
    return messages.INFO, (
        "Retry queued: the task worker is delivering it now; this page refreshes itself until "
        "the result is in."
    )
