"""Notes (annotation): the full transcript, as text up to the note limit, else as a .txt file."""

from __future__ import annotations

import base64
import re

# Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/annotation

TOO_LONG_TEXT = "The transcript is too long for a note; it is attached as a text file."


def transcript_file_name(session_id: str, limit: int) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", session_id).strip("-") or "session"
    prefix, suffix = "opencx-transcript-", ".txt"
    return f"{prefix}{safe[: max(1, limit - len(prefix) - len(suffix))]}{suffix}"


def attachment_fields(text: str, file_name: str) -> dict[str, str]:
    """The columns that make a note carry `text` as an attached UTF-8 text file."""
    return {
        "notetext": TOO_LONG_TEXT,
        "filename": file_name,
        "mimetype": "text/plain",
        "documentbody": base64.b64encode(text.encode("utf-8")).decode("ascii"),
    }
