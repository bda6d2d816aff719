"""The words a handoff leaves in Dynamics: title, the three-line header, description, transcript.

Pure functions of the session payload, so what a rep reads is decided in one place. Dataverse
counts a text column's MaxLength in UTF-16 code units (an emoji outside the Basic Multilingual
Plane costs two), so every limit here is measured that way, and a cut never splits a character,
a combining sequence or an emoji sequence.
Reference: https://learn.microsoft.com/en-us/dotnet/api/system.string.length (what .NET's string
length, and so Dataverse's MaxLength check, counts)
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from handoffs import channels
from handoffs.dynamics.schema import utf16_length
from handoffs.models import HandoffSession

# Header values are clipped so the three lines always fit whole in a description.
HEADER_VALUE_LIMIT = 200
UNSPECIFIED_CLASSIFICATION = "Unspecified"
UNKNOWN_SENTIMENT = "Unknown"
ROLE_LABELS = {
    "customer": "Customer",
    "assistant": "AI agent",
    "agent": "Agent",
    "system": "System",
}
ZERO_WIDTH_JOINER = "\u200d"


def _extends(ch: str) -> bool:
    """True for a character that belongs to the one before it (never cut between them)."""
    code = ord(ch)
    return (
        unicodedata.category(ch) in ("Mn", "Mc", "Me")
        or ch == ZERO_WIDTH_JOINER
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0x1F3FB <= code <= 0x1F3FF  # emoji skin tones
        or 0xE0020 <= code <= 0xE007F  # emoji tag sequences
    )


def clip(text: str, limit: int) -> str:
    """The longest prefix of `text` within `limit` UTF-16 units that ends between characters."""
    if utf16_length(text) <= limit:
        return text
    used, end = 0, 0
    for index, ch in enumerate(text):
        cost = 2 if ord(ch) > 0xFFFF else 1
        if used + cost > limit:
            break
        used, end = used + cost, index + 1
    # Step back out of a combining or emoji sequence the cut would split.
    while 0 < end < len(text) and (_extends(text[end]) or text[end - 1] == ZERO_WIDTH_JOINER):
        end -= 1
    # A flag is a pair of regional indicators: never keep half of one.
    run = 0
    while run < end and _regional_indicator(text[end - 1 - run]):
        run += 1
    if run % 2 and end < len(text) and _regional_indicator(text[end]):
        end -= 1
    return text[:end]


def _regional_indicator(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def one_line(value: Any) -> str:
    """Collapse whitespace so a value can never add lines to the header."""
    return " ".join(str(value or "").split())


def customer_given(session: HandoffSession) -> dict[str, str]:
    """The customer's name, email and phone as the AI agent passed them, on one line each."""
    raw = session.payload.get("customer") or {}
    return {key: one_line(raw.get(key)) for key in ("name", "email", "phone")}


def title(session: HandoffSession, limit: int) -> str:
    """'<classification> - <name, else email, else phone>', else 'Support - Anonymous'."""
    customer = customer_given(session)
    who = customer["name"] or customer["email"] or customer["phone"] or "Anonymous"
    classification = one_line(session.payload.get("classification")) or "Support"
    return clip(f"{classification} - {who}", limit)


def header(session: HandoffSession, value_limit: int = HEADER_VALUE_LIMIT) -> str:
    """Exactly three lines: Channel, Classification, Sentiment."""
    payload = session.payload
    channel = channels.label(session.channel)
    classification = one_line(payload.get("classification")) or UNSPECIFIED_CLASSIFICATION
    sentiment = one_line(payload.get("sentiment")) or UNKNOWN_SENTIMENT
    classification = clip(classification, value_limit)
    sentiment = clip(sentiment, value_limit)
    return f"Channel: {channel}\nClassification: {classification}\nSentiment: {sentiment}"


def note_subject(session: HandoffSession, limit: int) -> str:
    return clip(f"OpenCX transcript {session.session_id}", limit)


def _details(session: HandoffSession) -> list[str]:
    payload = session.payload
    customer = customer_given(session)
    lines = []
    summary = one_line(payload.get("summary"))
    if summary:
        lines += ["", f"Summary: {summary}"]
    lines.append("")
    lines.append(f"Customer: {customer['name'] or 'not given'}")
    lines.append(f"Email: {customer['email'] or 'not given'}")
    lines.append(f"Phone: {customer['phone'] or 'not given'}")
    language = one_line(payload.get("language"))
    if language:
        lines.append(f"Language: {language}")
    lines.append(f"OpenCX session: {session.session_id}")
    return lines


def transcript_lines(session: HandoffSession) -> list[str]:
    """One line per message: '[timestamp] Role: text' (newlines inside a message kept)."""
    lines = []
    for message in session.payload.get("transcript") or []:
        role = ROLE_LABELS.get(message.get("role"), one_line(message.get("role")) or "Unknown")
        stamp = one_line(message.get("timestamp"))
        prefix = f"[{stamp}] " if stamp else ""
        lines.append(f"{prefix}{role}: {message.get('text') or ''}")
    return lines


def body_lines(session: HandoffSession) -> list[str]:
    """Summary, customer details and the whole transcript (everything after the header)."""
    lines = [*_details(session), "", "Transcript:"]
    return lines + (transcript_lines(session) or ["(no messages)"])


def full_text(session: HandoffSession) -> str:
    """Header, summary, customer details and the whole transcript."""
    return "\n".join([header(session), *body_lines(session)])


def cut_at_line(
    head: str,
    lines: list[str],
    limit: int,
    pointer: str,
    measure: Callable[[str], int] = utf16_length,
) -> str:
    """`head` and as many whole lines as fit in `limit`, then `pointer` if cut.

    Lengths are UTF-16 units (Dataverse's) unless `measure` counts otherwise.
    """
    whole = "\n".join([head, *lines])
    if measure(whole) <= limit:
        return whole
    kept, used = [head], measure(head)
    budget = limit - measure(pointer) - 1
    for line in "\n".join(lines).split("\n"):
        cost = measure(line) + 1
        if used + cost > budget:
            break
        kept.append(line)
        used += cost
    return "\n".join([*kept, pointer])


def pointer(note_subject_text: str) -> str:
    return f"[Cut to fit. The full transcript is in the note “{note_subject_text}”.]"


def description(session: HandoffSession, limit: int, note_subject_text: str) -> str:
    """The record's description: the header always whole, then whole lines, then a pointer."""
    cut = pointer(note_subject_text)
    # The three header lines survive any limit that can hold them with the pointer.
    room = (limit - utf16_length(cut) - 40) // 2
    head = header(session, max(1, min(HEADER_VALUE_LIMIT, room)))
    return clip(cut_at_line(head, body_lines(session), limit, cut), limit)
