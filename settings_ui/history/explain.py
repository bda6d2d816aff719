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


def explain(code: str, stored_message: str = "") -> Explanation:
    """What `code` means and how to fix it; the message stored with the failure otherwise."""
    entry = catalogue().get(code) if code else None
    if entry is not None:
        return Explanation(
            getattr(entry, "message", ""),
            getattr(entry, "hint", ""),
            bool(getattr(entry, "retryable", False)),
        )
    # Stored messages read "<message> Fix: <hint>" (HandoffError.readable).
    message, _, hint = stored_message.partition(" Fix: ")
    return Explanation(message, hint)
