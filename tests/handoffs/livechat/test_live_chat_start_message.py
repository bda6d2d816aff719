"""The transcript goes to the rep as the start message, within its 27 KB, whole in a note."""

from __future__ import annotations

import json

from handoffs.livechat import facts
from handoffs.tasks import process_handoff
from tests.handoffs.delivery.conftest import new_session
from tests.handoffs.dynamics.fakes import API
from tests.handoffs.livechat.conftest import CONTACT

LIMIT = facts.START_MESSAGE_MAX_BYTES


def transcript(count: int, text: str) -> list[dict]:
    return [{"role": "customer", "text": f"{n:04d} {text}"} for n in range(count)]


def test_it_sends_a_short_transcript_whole_and_writes_no_note(tenant, org, messaging):
    org.contact_found(CONTACT)
    messaging.started()
    session = new_session(tenant, "web", customer={"email": "a@example.com"})

    process_handoff(session.pk)

    message = messaging.sent()["startmessage"]["message"]
    assert message.endswith("Customer: Nobody left anything. I want to talk to a person.")
    assert "Cut to fit" not in message
    assert not [r for r in org.requests() if r.url == API + "annotations"]


def test_it_cuts_a_long_transcript_at_a_line_and_keeps_it_whole_on_the_contact(
    tenant, org, messaging
):
    org.contact_found(CONTACT)
    messaging.started()
    org.dynamics.add("POST", "annotations", status=204)
    lines = transcript(400, "x" * 90)  # about 40,000 bytes
    session = new_session(tenant, "whatsapp", customer={"email": "a@example.com"},
                          transcript=lines)  # fmt: skip

    process_handoff(session.pk)

    session.refresh_from_db()
    assert session.status == "done"
    message = messaging.sent()["startmessage"]["message"]
    kept, pointer = message.rsplit("\n", 1)
    assert len(message.encode()) <= LIMIT
    assert len(message.encode()) > LIMIT - 200  # as much as fits, not a token amount
    assert kept.startswith("Channel: WhatsApp\nClassification: ")
    assert kept.splitlines()[-1].endswith("x" * 90)  # the last line kept is whole
    assert pointer == (
        "[Cut to fit. The full transcript is in the note "
        "“OpenCX transcript sess-whatsapp” on the contact.]"
    )
    [note_request] = [r for r in org.requests() if r.url == API + "annotations"]
    note = json.loads(note_request.body)
    assert note["annotationid"] == str(session.note_id)
    assert note["subject"] == "OpenCX transcript sess-whatsapp"
    assert note["objectid_contact@odata.bind"] == f"/contacts({CONTACT})"
    assert note["notetext"].endswith("0399 " + "x" * 90)


def test_it_measures_the_limit_in_utf8_bytes(tenant, org, messaging):
    org.contact_found(CONTACT)
    messaging.started()
    org.dynamics.add("POST", "annotations", status=204)
    # 300 lines of 40 characters, 120 bytes each: 12,000 characters but 36,000 bytes.
    session = new_session(tenant, "sms", customer={"email": "a@example.com"},
                          transcript=transcript(300, "€" * 35))  # fmt: skip

    process_handoff(session.pk)

    message = messaging.sent()["startmessage"]["message"]
    assert len(message) < LIMIT
    assert len(message.encode()) <= LIMIT
    assert "Cut to fit" in message


def test_it_treats_an_existing_note_as_written(tenant, org, messaging):
    org.contact_found(CONTACT)
    messaging.started()
    duplicate = {"error": {"code": "0x80040237", "message": "A record with matching key values"}}
    org.dynamics.add("POST", "annotations", status=412, body=duplicate)
    session = new_session(tenant, "web", customer={"email": "a@example.com"},
                          transcript=transcript(400, "y" * 90))  # fmt: skip

    process_handoff(session.pk)

    session.refresh_from_db()
    assert session.status == "done"
