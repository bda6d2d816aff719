"""Realistic sample handoffs, one per channel (used by send_test_handoff and the settings page)."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from handoffs.models import CHANNEL_LABELS

SAMPLES_DIR = Path(__file__).resolve().parent / "samples"


def sample_handoff(channel: str, session_id: str | None = None) -> dict:
    """A sample body for `channel` with a fresh session_id (so each test is a new handoff)."""
    if channel not in CHANNEL_LABELS:
        raise ValueError(f"Unknown channel {channel!r}: use one of {', '.join(CHANNEL_LABELS)}.")
    body = json.loads((SAMPLES_DIR / f"handoff-{channel}.json").read_text())
    body["session_id"] = session_id or f"test-{channel}-{secrets.token_hex(4)}"
    return body
