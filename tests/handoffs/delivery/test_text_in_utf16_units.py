"""Text limits are counted as Dataverse counts them (UTF-16 code units) and cuts split nothing."""

from __future__ import annotations

import pytest

from handoffs.channels import CHANNELS, sample_handoff
from handoffs.delivery import text
from handoffs.delivery.plan import note
from handoffs.dynamics.schema import OrgSchema
from handoffs.models import HandoffSession

EMOJI = "😀"  # outside the Basic Multilingual Plane: two UTF-16 code units
FAMILY = "👨\u200d👩\u200d👧"  # a ZWJ sequence: one picture, eight code units
SKIN = "👍🏽"  # base + skin tone modifier
ACCENT = "e\u0301"  # e + combining acute accent


def emoji_session(channel: str, messages: int = 5000) -> HandoffSession:
    body = sample_handoff(channel, "sess-emoji")
    body["transcript"] = [
        {"role": "customer", "text": f"{EMOJI * 3} ok {FAMILY}{SKIN}"} for _ in range(messages)
    ]
    return HandoffSession(session_id="sess-emoji", channel=channel, payload=body)


def test_it_counts_an_astral_character_as_two_units():
    assert text.utf16_length("a" + EMOJI) == 3
    assert text.utf16_length(FAMILY) == 8


@pytest.mark.parametrize("limit", range(1, 12))
def test_it_never_splits_a_character_or_a_sequence(limit):
    value = "ab" + EMOJI + FAMILY + SKIN + ACCENT + "z"

    clipped = text.clip(value, limit)

    assert text.utf16_length(clipped) <= limit
    assert value.startswith(clipped)
    rest = value[len(clipped) :]
    assert not rest or rest[0] not in ("\u200d", "\u0301", "🏽")
    assert not clipped.endswith("\u200d")


@pytest.mark.parametrize("channel", [c.code for c in CHANNELS])
def test_it_fits_a_5000_message_emoji_transcript_in_every_limit(channel):
    session = emoji_session(channel)
    subject = "OpenCX transcript sess-emoji"

    description = text.description(session, 2000, subject)
    title = text.title(session, 200)

    assert text.utf16_length(description) <= 2000
    assert len(description) < 2000  # Python's len() would have let it through too long
    assert description.startswith(f"Channel: {text.channels.label(channel)}\n")
    assert description.endswith(f"[Cut to fit. The full transcript is in the note “{subject}”.]")
    assert text.utf16_length(title) <= 200


def test_it_attaches_the_whole_emoji_transcript_when_it_exceeds_the_note_in_utf16_units():
    session = emoji_session("whatsapp", messages=3600)
    session.note_id = "b1a5c8d0-0000-4000-8000-000000000009"
    transcript = text.full_text(session)
    assert len(transcript) <= 100_000 < text.utf16_length(transcript)

    body = note(session, OrgSchema())

    assert "documentbody" in body
    assert body["notetext"] != transcript


@pytest.mark.parametrize("limit", range(1, 10))
def test_it_never_keeps_half_a_flag(limit):
    flags = "🇩🇪🇫🇷🇯🇵"  # three flags, each two regional indicators of two units

    clipped = text.clip(flags, limit)

    assert len(clipped) % 2 == 0
    assert flags.startswith(clipped)
