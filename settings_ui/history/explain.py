"""Plain-language meaning of an error code, from the Dataverse client's catalogue if present."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any


@dataclass(frozen=True)
class Explanation:
    message: str
    hint: str = ""
    retryable: bool = False

    @property
    def text(self) -> str:
        return f"{self.message} Fix: {self.hint}" if self.hint else self.message


@cache
def catalogue() -> Mapping[str, Any]:
    """ERROR_CODES of the Dataverse client (entries with .message and .hint), else empty."""
    try:
        module = importlib.import_module("handoffs.dynamics.errors")
    except ImportError:
        return {}
    return getattr(module, "ERROR_CODES", {})


def explain(code: str, stored_message: str = "", *, specific: bool = True) -> Explanation:
    """What `code` means and how to fix it, with the details stored with this failure.

    `specific` keeps what the stored message adds to the catalogue's wording (for example the
    privilege Dataverse named); a summary over many sessions passes False to stay generic.
    """
    # Stored messages read "<message> Fix: <hint>" (HandoffError.readable).
    stored, _, stored_hint = stored_message.partition(" Fix: ")
    stored = stored.strip()
    entry = catalogue().get(code) if code else None
    if entry is None:
        return Explanation(stored, stored_hint)
    message = getattr(entry, "message", "")
    if specific and stored.startswith(message) and len(stored) > len(message):
        message = stored
    return Explanation(
        message, getattr(entry, "hint", ""), bool(getattr(entry, "retryable", False))
    )
