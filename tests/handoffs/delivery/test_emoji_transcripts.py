"""A 5,000-message emoji transcript fits every limit, in UTF-16 units, on every channel."""

from __future__ import annotations

import base64

import pytest

from handoffs.channels import CHANNELS
from handoffs.dynamics.schema import utf16_length
from handoffs.tasks import process_handoff
from tests.handoffs.delivery.conftest import new_session

CONTACT = "0f8b3c2a-1111-4aaa-8bbb-000000000001"
LINE = "😀😀😀 ok 👨\u200d👩\u200d👧👍🏽"


@pytest.mark.parametrize("channel", CHANNELS, ids=lambda c: c.code)
def test_it_cuts_every_text_to_its_limit_and_attaches_the_whole_transcript(
    tenant, org, connection, channel
):
    connection.chat_target = "live_work_item"
    connection.save()
    org.contact_found(CONTACT)
    org.case_created()
    org.conversation_created()
    transcript = [{"role": "customer", "text": LINE} for _ in range(5000)]
    session = new_session(tenant, channel.code, transcript=transcript)

    process_handoff(session.pk)

    body = org.sent(1)
    title = body.get("title") or body["subject"]
    notes = body.get("Incident_Annotation") or body["msdyn_ocliveworkitem_Annotations"]
    assert utf16_length(body["description"]) <= 2000
    assert len(body["description"]) < 2000 < len(body["description"]) + 500
    assert utf16_length(title) <= 200
    assert body["description"].startswith(f"Channel: {channel.label}\n")
    attached = base64.b64decode(notes[0]["documentbody"]).decode("utf-8")
    assert attached.count(LINE) == 5000
    assert utf16_length(notes[0]["subject"]) <= 500
