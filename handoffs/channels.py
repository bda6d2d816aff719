"""The channel registry: everything the product knows about each OpenCX channel, declared once.

Every list, form, chart, message and Dynamics value per channel is derived from CHANNELS. Adding
a channel is one entry here, one sample body in handoffs/samples/ and one row in the docs table
(docs/architecture.md, "Where to add …"); tests loop over the registry.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
# HandoffSession.channel holds a code; a longer code is refused by a test, not by the database.
CODE_MAX_LENGTH = 32

# Option values Microsoft defines for the two choice columns a channel decides.
# incident.caseorigincode (Origin):
# Reference: https://learn.microsoft.com/en-us/dynamics365/developer/reference/entities/incident
ORIGIN_PHONE, ORIGIN_EMAIL, ORIGIN_WEB = 1, 2, 3
# msdyn_ocliveworkitem.msdyn_channel (global choice msdyn_streamsource):
# Reference: https://learn.microsoft.com/en-us/dynamics365/customer-service/develop/reference/entities/msdyn_ocliveworkitem
STREAM_LIVE_CHAT, STREAM_SMS, STREAM_WHATSAPP = 192360000, 192340000, 192300000


@dataclass(frozen=True)
class Channel:
    """One channel: how OpenCX names it, how reps read it, where it goes in Dynamics."""

    code: str  # the webhook's "channel" value
    label: str  # written in the record's header and shown on every page
    chat: bool  # a conversation someone types in: may become a live chat, not only a case
    case_origin: int  # incident.caseorigincode when written as a case
    stream_source: int | None  # msdyn_ocliveworkitem.msdyn_channel when written as a conversation
    colour: str  # the history chart's colour

    @property
    def sample_path(self) -> Path:
        return SAMPLES_DIR / f"handoff-{self.code}.json"


CHANNELS: tuple[Channel, ...] = (
    Channel("web", "Web chat", True, ORIGIN_WEB, STREAM_LIVE_CHAT, "#0f62fe"),
    Channel("whatsapp", "WhatsApp", True, ORIGIN_WEB, STREAM_WHATSAPP, "#198038"),
    Channel("sms", "SMS", True, ORIGIN_WEB, STREAM_SMS, "#8a3ffc"),
    Channel("phone", "Phone", False, ORIGIN_PHONE, None, "#eb6200"),
    Channel("email", "Email", False, ORIGIN_EMAIL, None, "#007d79"),
)
BY_CODE: dict[str, Channel] = {channel.code: channel for channel in CHANNELS}
CODES: tuple[str, ...] = tuple(BY_CODE)


def get(code: object) -> Channel | None:
    """The channel named `code`, or None (any value, even a list or an object, is safe to ask)."""
    return BY_CODE.get(code) if isinstance(code, str) else None


def label(code: str) -> str:
    """The channel's label, or the code itself for a channel no longer in the registry."""
    channel = get(code)
    return channel.label if channel else code


def choices() -> list[tuple[str, str]]:
    """(code, label) pairs for forms and filters."""
    return [(channel.code, channel.label) for channel in CHANNELS]


def listed(codes: tuple[str, ...] = CODES) -> str:
    """The codes as a sentence fragment for messages: 'web, whatsapp, sms, phone, email'."""
    return ", ".join(codes)


def chat_labels() -> str:
    """The chat channels' labels for sentences: 'Web chat, WhatsApp and SMS'."""
    labels = [channel.label for channel in CHANNELS if channel.chat]
    return ", ".join(labels[:-1]) + f" and {labels[-1]}" if len(labels) > 1 else "".join(labels)


def sample_handoff(code: str, session_id: str | None = None) -> dict:
    """A realistic sample body for the channel with a fresh session_id (a new handoff each time)."""
    channel = get(code)
    if channel is None:
        raise ValueError(f"Unknown channel {code!r}: use one of {listed()}.")
    body = json.loads(channel.sample_path.read_text())
    body["session_id"] = session_id or f"test-{code}-{secrets.token_hex(4)}"
    return body
