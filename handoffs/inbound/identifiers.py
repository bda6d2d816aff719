"""Identifiers OpenCX sends (session ids, and any id that ends up in a log line or a page).

An identifier is printed as-is in logs, pages and audit rows: a line feed, a carriage return or an
ANSI escape sequence inside one would forge log lines or repaint a terminal. Such characters are
never part of a real id, so they are refused by name rather than silently stripped.
"""

from __future__ import annotations

import unicodedata

# Line and paragraph separators are not C0/C1 controls, but log viewers and editors break lines
# at them all the same.
SEPARATORS = ("\u2028", "\u2029")


def control_character(text: str) -> str | None:
    """The first control character in `text` (C0, DEL, C1, U+2028/U+2029), or None."""
    for char in text:
        if char in SEPARATORS or unicodedata.category(char) == "Cc":
            return char
    return None


def problem(text: str, what: str = "session_id") -> str | None:
    """A message saying why `text` cannot be an identifier, or None when it can."""
    char = control_character(text)
    if char is None:
        return None
    return (
        f"Contains the control character U+{ord(char):04X}: a {what} is written in logs and "
        "pages, so it cannot hold line breaks, tabs, escape codes or other control characters. "
        "Send the id without them."
    )
