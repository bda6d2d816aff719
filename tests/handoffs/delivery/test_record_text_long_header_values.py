"""Overlong classification or sentiment never push the three header lines out of the description."""

from __future__ import annotations

from handoffs.channels import sample_handoff
from handoffs.delivery import text as record_text
from handoffs.models import HandoffSession


def test_it_keeps_all_three_header_lines_when_values_are_huge():
    body = {
        **sample_handoff("phone", "sess-1"),
        "classification": "B" * 5000,
        "sentiment": "N" * 5000,
    }
    session = HandoffSession(session_id="sess-1", channel="phone", payload=body)

    text = record_text.description(session, record_text.CASE_DESCRIPTION_LIMIT)

    lines = text.split("\n")
    assert len(text) <= record_text.CASE_DESCRIPTION_LIMIT
    assert lines[0] == "Channel: Phone"
    assert lines[1] == "Classification: " + "B" * record_text.HEADER_VALUE_LIMIT
    assert lines[2] == "Sentiment: " + "N" * record_text.HEADER_VALUE_LIMIT
