"""Title, the exact three-line header, and a description cut at a line boundary."""

from __future__ import annotations

import base64

from handoffs.channels import sample_handoff
from handoffs.delivery import text as record_text
from handoffs.delivery.plan import note
from handoffs.dynamics.schema import OrgSchema
from handoffs.models import HandoffSession

SUBJECT = "OpenCX transcript sess-1"
POINTER = f"[Cut to fit. The full transcript is in the note “{SUBJECT}”.]"


def session_of(channel: str = "phone", **changes) -> HandoffSession:
    body = sample_handoff(channel, "sess-1")
    body.update(changes)
    return HandoffSession(session_id="sess-1", channel=channel, payload=body)


def describe(session: HandoffSession, limit: int = 2000) -> str:
    return record_text.description(session, limit, SUBJECT)


def test_it_starts_the_description_with_exactly_three_header_lines():
    assert describe(session_of()).split("\n")[:4] == [
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
    text = describe(session_of(transcript=transcript))

    assert len(text) <= 2000
    *kept, pointer = text.split("\n")
    assert pointer == POINTER
    assert kept[-1].startswith("Customer: message number ")
    assert kept[-1].endswith("x" * 40)


def test_it_leaves_a_short_description_whole():
    session = session_of()

    text = describe(session)

    assert text == record_text.full_text(session)
    assert text.endswith("Refunds need a specialist, so I'm connecting you now.")


def test_it_keeps_all_three_header_lines_when_values_are_huge():
    session = session_of(classification="B" * 5000, sentiment="N" * 5000)

    lines = describe(session).split("\n")

    assert lines[0] == "Channel: Phone"
    assert lines[1] == "Classification: " + "B" * record_text.HEADER_VALUE_LIMIT
    assert lines[2] == "Sentiment: " + "N" * record_text.HEADER_VALUE_LIMIT


def test_it_keeps_the_header_even_in_a_column_narrowed_far_below_the_default():
    session = session_of(classification="B" * 5000, sentiment="N" * 5000)

    text = describe(session, 300)

    assert record_text.utf16_length(text) <= 300
    assert text.split("\n")[0] == "Channel: Phone"
    assert text.split("\n")[1].startswith("Classification: B")
    assert text.split("\n")[2].startswith("Sentiment: N")


def test_it_titles_by_classification_and_the_best_known_name():
    def title(session: HandoffSession) -> str:
        return record_text.title(session, 200)

    assert title(session_of()) == "Billing - Maria Keller"
    assert title(session_of(customer={"email": "a@b.co"})) == "Billing - a@b.co"
    assert title(session_of(customer={"phone": "+1555"})) == "Billing - +1555"
    assert title(session_of(customer=None, classification="")) == "Support - Anonymous"
    assert len(title(session_of(classification="c" * 300))) == 200


def test_it_attaches_a_transcript_beyond_the_note_limit_as_a_text_file():
    transcript = [{"role": "customer", "text": "é" * 1000} for _ in range(120)]
    session = session_of(transcript=transcript)
    session.note_id = "b1a5c8d0-0000-4000-8000-000000000009"

    body = note(session, OrgSchema())

    assert body["filename"] == "opencx-transcript-sess-1.txt"
    assert body["mimetype"] == "text/plain"
    decoded = base64.b64decode(body["documentbody"]).decode("utf-8")
    assert decoded == record_text.full_text(session)
    assert "é" * 1000 in decoded
    assert len(body["notetext"]) < 200
