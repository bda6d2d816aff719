"""The words a handoff leaves in Dynamics: title, the three-line header, description, transcript.

Pure functions of the session payload, so what a rep reads is decided in one place.
"""

from __future__ import annotations

from typing import Any

from handoffs import channels
from handoffs.models import HandoffSession

TITLE_LIMIT = 200
CASE_DESCRIPTION_LIMIT = 2000
CONVERSATION_DESCRIPTION_LIMIT = 100_000
NOTE_TEXT_LIMIT = 100_000
NOTE_SUBJECT_LIMIT = 500
# Header values are clipped so the three lines always fit whole in the shortest description.
HEADER_VALUE_LIMIT = 200
UNSPECIFIED_CLASSIFICATION = "Unspecified"
UNKNOWN_SENTIMENT = "Unknown"
ROLE_LABELS = {
    "customer": "Customer",
    "assistant": "AI agent",
    "agent": "Agent",
    "system": "System",
}


def _one_line(value: Any) -> str:
    """Collapse whitespace so a value can never add lines to the header."""
    return " ".join(str(value or "").split())


def _customer(session: HandoffSession) -> dict[str, str]:
    raw = session.payload.get("customer") or {}
    return {key: _one_line(raw.get(key)) for key in ("name", "email", "phone")}


def title(session: HandoffSession) -> str:
    """'<classification> - <name, else email, else phone>', else 'Support - Anonymous'."""
    customer = _customer(session)
    who = customer["name"] or customer["email"] or customer["phone"] or "Anonymous"
    classification = _one_line(session.payload.get("classification")) or "Support"
    return f"{classification} - {who}"[:TITLE_LIMIT]


def header(session: HandoffSession) -> str:
    """Exactly three lines: Channel, Classification, Sentiment."""
    payload = session.payload
    channel = channels.label(session.channel)
    classification = _one_line(payload.get("classification")) or UNSPECIFIED_CLASSIFICATION
    sentiment = _one_line(payload.get("sentiment")) or UNKNOWN_SENTIMENT
    classification = classification[:HEADER_VALUE_LIMIT]
    sentiment = sentiment[:HEADER_VALUE_LIMIT]
    return f"Channel: {channel}\nClassification: {classification}\nSentiment: {sentiment}"


def note_subject(session: HandoffSession) -> str:
    return f"OpenCX transcript {session.session_id}"[:NOTE_SUBJECT_LIMIT]


def _details(session: HandoffSession) -> list[str]:
    payload = session.payload
    customer = _customer(session)
    lines = []
    summary = " ".join(str(payload.get("summary") or "").split())
    if summary:
        lines += ["", f"Summary: {summary}"]
    lines.append("")
    lines.append(f"Customer: {customer['name'] or 'not given'}")
    lines.append(f"Email: {customer['email'] or 'not given'}")
    lines.append(f"Phone: {customer['phone'] or 'not given'}")
    language = _one_line(payload.get("language"))
    if language:
        lines.append(f"Language: {language}")
    lines.append(f"OpenCX session: {session.session_id}")
    return lines


def transcript_lines(session: HandoffSession) -> list[str]:
    """One line per message: '[timestamp] Role: text' (newlines inside a message kept)."""
    lines = []
    for message in session.payload.get("transcript") or []:
        role = ROLE_LABELS.get(message.get("role"), _one_line(message.get("role")) or "Unknown")
        stamp = _one_line(message.get("timestamp"))
        prefix = f"[{stamp}] " if stamp else ""
        lines.append(f"{prefix}{role}: {message.get('text') or ''}")
    return lines


def full_text(session: HandoffSession) -> str:
    """Header, summary, customer details and the whole transcript."""
    lines = [header(session), *_details(session), "", "Transcript:"]
    lines += transcript_lines(session) or ["(no messages)"]
    return "\n".join(lines)


def cut_at_line(text: str, limit: int, pointer: str) -> str:
    """`text` if it fits, else whole lines up to `limit` followed by `pointer`."""
    if len(text) <= limit:
        return text
    budget = limit - len(pointer) - 1
    kept: list[str] = []
    used = 0
    for line in text.split("\n"):
        cost = len(line) + (1 if kept else 0)
        if used + cost > budget:
            break
        kept.append(line)
        used += cost
    return "\n".join([*kept, pointer])[:limit]


def description(session: HandoffSession, limit: int) -> str:
    """The record's description, cut at a line boundary with a pointer to the transcript note."""
    pointer = f"[Cut to fit. The full transcript is in the note “{note_subject(session)}”.]"
    return cut_at_line(full_text(session), limit, pointer)
