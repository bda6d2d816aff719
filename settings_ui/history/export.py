"""CSV export of the filtered history, streamed so a large export never sits in memory."""

from __future__ import annotations

import csv
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
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> str:
    """The value as text; text a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


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
