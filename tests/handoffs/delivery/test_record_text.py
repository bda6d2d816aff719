"""Title, the exact three-line header, and a description cut at a line boundary."""

from __future__ import annotations

import base64

from handoffs.channels import sample_handoff
from handoffs.delivery import text as record_text
from handoffs.delivery.writer import transcript_note
from handoffs.models import HandoffSession


def session_of(channel: str = "phone", **changes) -> HandoffSession:
    body = sample_handoff(channel, "sess-1")
    body.update(changes)
    return HandoffSession(session_id="sess-1", channel=channel, payload=body)


def test_it_starts_the_description_with_exactly_three_header_lines():
    text = record_text.description(session_of(), 2000)

    assert text.split("\n")[:4] == [
        "Channel: Phone",
        "Classification: Billing",
        "Sentiment: Negative",
        "",
    ]


def test_it_says_unspecified_and_unknown_when_the_agent_did_not_classify():
    session = session_of("email", classification=None, sentiment="  ")

    assert record_text.header(session) == (
        "Channel: Email\nClassification: Unspecified\nSentiment: Unknown"
    )


def test_it_keeps_the_header_three_lines_when_values_contain_newlines():
    session = session_of(classification="Billing\nSentiment: Positive", sentiment="Very\nbad")

    assert record_text.header(session).count("\n") == 2


def test_it_cuts_a_long_description_at_a_line_boundary_with_a_pointer():
    transcript = [
        {"role": "customer", "text": f"message number {i} " + "x" * 40} for i in range(80)
    ]
    text = record_text.description(session_of(transcript=transcript), 2000)

    assert len(text) <= 2000
    *kept, pointer = text.split("\n")
    assert pointer == "[Cut to fit. The full transcript is in the note “OpenCX transcript sess-1”.]"
    assert kept[-1].startswith("Customer: message number ")
    assert kept[-1].endswith("x" * 40)


def test_it_leaves_a_short_description_whole():
    session = session_of()

    text = record_text.description(session, 2000)

    assert text == record_text.full_text(session)
    assert text.endswith("Refunds need a specialist, so I'm connecting you now.")


def test_it_titles_by_classification_and_the_best_known_name():
    assert record_text.title(session_of()) == "Billing - Maria Keller"
    assert record_text.title(session_of(customer={"email": "a@b.co"})) == "Billing - a@b.co"
    assert record_text.title(session_of(customer={"phone": "+1555"})) == "Billing - +1555"
    assert record_text.title(session_of(customer=None, classification="")) == "Support - Anonymous"
    assert len(record_text.title(session_of(classification="c" * 300))) == 200


def test_it_attaches_a_transcript_beyond_the_note_limit_as_a_text_file():
    transcript = [{"role": "customer", "text": "é" * 1000} for _ in range(120)]
    session = session_of(transcript=transcript)
    session.note_id = "b1a5c8d0-0000-4000-8000-000000000009"

    note = transcript_note(session)

    assert note["filename"] == "opencx-transcript-sess-1.txt"
    assert note["mimetype"] == "text/plain"
    decoded = base64.b64decode(note["documentbody"]).decode("utf-8")
    assert decoded == record_text.full_text(session)
    assert "é" * 1000 in decoded
    assert len(note["notetext"]) < 200
