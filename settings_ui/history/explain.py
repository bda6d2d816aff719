"""Plain-language meaning of an error code, from the domain's error catalogue."""

from __future__ import annotations

from dataclasses import dataclass

from handoffs.errors import CATALOGUE


@dataclass(frozen=True)
class Explanation:
    message: str
    hint: str = ""
    retryable: bool = False

    @property
    def text(self) -> str:
        return f"{self.message} Fix: {self.hint}" if self.hint else self.message


def explain(code: str, stored_message: str = "", *, specific: bool = True) -> Explanation:
    """What `code` means and how to fix it, with the details stored with this failure.

    `specific` keeps what the stored message adds to the catalogue's wording (for example the
    privilege Dataverse named); a summary over many sessions passes False to stay generic.
    """
    # Stored messages read "<message> Fix: <hint>" (HandoffError.readable).
    stored, _, stored_hint = stored_message.partition(" Fix: ")
    stored = stored.strip()
    entry = CATALOGUE.get(code) if code else None
    if entry is None:
        return Explanation(stored, stored_hint)
    message = entry.message
    if specific and stored.startswith(message) and len(stored) > len(message):
        message = stored
    return Explanation(message, entry.fix, entry.retryable)
