"""CSV export of the filtered history, streamed so a large export never sits in memory."""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from handoffs.models import HandoffSession

HEADER = [
    "received_at_utc",
    "session_id",
    "channel",
    "customer_name",
    "customer_email",
    "customer_phone",
    "classification",
    "sentiment",
    "status",
    "target",
    "ticket_number",
    "incident_id",
    "conversation_id",
    "contact_id",
    "record_url",
    "duration_seconds",
    "error_code",
    "error_message",
]
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection, OWASP); "|"
# starts a DDE call in some of them. Fullwidth and small forms (＝, ＋, ﹣, ＠, ｜…) are compared
# after NFKC, which maps them to these: some spreadsheets accept them as formula starts too.
FORMULA_STARTS = frozenset("=+-@|")
# Leading control characters (tab, CR, LF) are refused outright, as OWASP advises.
CONTROL_STARTS = ("\t", "\r", "\n")
# Characters a spreadsheet may skip or trim before it looks for a formula: whitespace, and
# invisible format and separator characters such as U+200B ZERO WIDTH SPACE or U+FEFF.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


def first_visible(text: str) -> str:
    """The first character a reader would see, NFKC-normalised; "" for blank text."""
    for char in text:
        if char.isspace() or unicodedata.category(char) in INVISIBLE_CATEGORIES:
            continue
        return unicodedata.normalize("NFKC", char)[:1]
    return ""


def safe_cell(value: object) -> str:
    """The value as text; text a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if text.startswith(CONTROL_STARTS) or first_visible(text) in FORMULA_STARTS:
        return "'" + text
    return text


def row_for(session: HandoffSession) -> list[str]:
    """One CSV line's cells for a session."""
    duration = session.duration_seconds
    cells: list[object] = [
        session.received_at.isoformat(),
        session.session_id,
        session.channel,
        session.customer_name,
        session.customer_email,
        session.customer_phone,
        session.classification,
        session.sentiment,
        session.status,
        session.target,
        session.dynamics365_ticket_number,
        session.dynamics365_incident_id,
        session.dynamics365_chat_id,
        session.dynamics365_contact_id,
        session.record_url,
        None if duration is None else round(duration, 3),
        session.last_error_code,
        session.last_error_message,
    ]
    return [safe_cell(cell) for cell in cells]


class Echo:
    """A file-like object whose write() hands the line back, for csv.writer streaming."""

    def write(self, value: str) -> str:
        return value


def csv_lines(sessions: QuerySet[HandoffSession]) -> Iterator[str]:
    """The header, then one line per session, newest first, read from the database in chunks."""
    writer = csv.writer(Echo())
    yield writer.writerow(HEADER)
    rows: Iterable[HandoffSession] = sessions.order_by("-received_at", "-id").iterator(
        chunk_size=2000
    )
    for session in rows:
        yield writer.writerow(row_for(session))
