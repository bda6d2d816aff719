"""Notes (annotation): the full transcript, as text up to the note limit, else as a .txt file."""

from __future__ import annotations

import base64
import re
import uuid

# Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/annotation

NOTE_TEXT_LIMIT = 100_000


def transcript_file_name(session_id: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", session_id).strip("-") or "session"
    return f"opencx-transcript-{safe[:200]}.txt"


def note_body(note_id: uuid.UUID, subject: str, text: str, session_id: str) -> dict:
    """An annotation holding `text`; beyond the note limit the text becomes an attached file."""
    body = {"annotationid": str(note_id), "subject": subject}
    if len(text) <= NOTE_TEXT_LIMIT:
        body["notetext"] = text
        return body
    body["notetext"] = "The transcript is too long for a note; it is attached as a text file."
    body["filename"] = transcript_file_name(session_id)
    body["mimetype"] = "text/plain"
    body["documentbody"] = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return body
