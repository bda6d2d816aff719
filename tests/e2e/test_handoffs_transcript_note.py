"""The full transcript goes into a note on the record: as text, or as a .txt file when long."""

from __future__ import annotations

import base64

import pytest

from handoffs.channels import sample_handoff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def notes_on(sandbox_tenant, record_id) -> list:
    return [
        n for n in sandbox_tenant.rows("annotation") if n.data["objectid"]["id"] == str(record_id)
    ]


def test_it_attaches_the_transcript_note(qcluster, sandbox_tenant):
    sandbox_tenant.send(sample_handoff("phone", "e2e-note"))
    sandbox_tenant.send(sample_handoff("whatsapp", "e2e-note-chat"))
    case_session = sandbox_tenant.wait("e2e-note")
    chat_session = sandbox_tenant.wait("e2e-note-chat")

    (case_note,) = notes_on(sandbox_tenant, case_session.dynamics365_incident_id)
    (chat_note,) = notes_on(sandbox_tenant, chat_session.dynamics365_chat_id)
    assert case_note.data["subject"] == "OpenCX transcript e2e-note"
    assert "I was charged twice for my November invoice." in case_note.data["notetext"]
    assert chat_note.data["subject"] == "OpenCX transcript e2e-note-chat"
    assert chat_note.data["objecttypecode"] == "msdyn_ocliveworkitem"


def test_it_attaches_a_long_transcript_as_a_file(qcluster, sandbox_tenant):
    body = sample_handoff("email", "e2e-long")
    line = "The parcel tracking page shows a different address than my account. " * 20
    body["transcript"] = [{"role": "customer", "text": f"{i}: {line}"} for i in range(90)]

    sandbox_tenant.send(body)
    session = sandbox_tenant.wait("e2e-long")

    (note,) = notes_on(sandbox_tenant, session.dynamics365_incident_id)
    assert note.data["isdocument"] is True
    assert note.data["filename"].endswith(".txt")
    text = base64.b64decode(note.data["documentbody"]).decode()
    assert "89: The parcel tracking page" in text
