"""Against the sandbox's Microsoft facts, through the real worker: names, limits, UTF-16."""

from __future__ import annotations

import base64

import pytest

from dataverse_sandbox import provisioning
from handoffs.channels import CHANNELS, sample_handoff
from handoffs.dynamics.schema import utf16_length
from handoffs.models import DynamicsConnection
from handoffs.verification.runner import verify_connection

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMOJI_LINE = "😀😀😀 ok 👨\u200d👩\u200d👧👍🏽 café"


def emoji_handoff(channel: str, session_id: str, messages: int = 5000) -> dict:
    body = sample_handoff(channel, session_id)
    body["transcript"] = [{"role": "customer", "text": EMOJI_LINE} for _ in range(messages)]
    return body


def test_it_routes_a_conversation_through_its_declared_navigation_properties(
    qcluster, sandbox_tenant
):
    org = sandbox_tenant.org
    workstream = provisioning.rows(org, "msdyn_liveworkstream")[0]
    owner = provisioning.rows(org, "systemuser")[0]
    DynamicsConnection.objects.filter(tenant=sandbox_tenant.tenant).update(
        default_workstream_id=workstream.record_id, default_owner_id=owner.record_id
    )

    sandbox_tenant.send(sample_handoff("whatsapp", "e2e-routed"))
    session = sandbox_tenant.wait("e2e-routed")

    assert session.status == "done", session.last_error_message
    chat = sandbox_tenant.rows("msdyn_ocliveworkitem")[0]
    queue = sandbox_tenant.tenant.connection.default_queue_id
    assert chat.data["msdyn_cdsqueueid"]["id"] == str(queue)
    assert chat.data["msdyn_liveworkstreamid"]["id"] == str(workstream.record_id)
    assert chat.data["ownerid"]["id"] == str(owner.record_id)


def test_it_lands_a_5000_message_emoji_transcript_on_every_channel(qcluster, sandbox_tenant):
    for channel in CHANNELS:
        assert sandbox_tenant.send(emoji_handoff(channel.code, f"e2e-emoji-{channel.code}")) == 202

    sessions = [sandbox_tenant.wait(f"e2e-emoji-{c.code}", timeout=150) for c in CHANNELS]

    assert [s.status for s in sessions] == ["done"] * len(CHANNELS)
    records = sandbox_tenant.rows("incident") + sandbox_tenant.rows("msdyn_ocliveworkitem")
    assert len(records) == len(CHANNELS)
    for record in records:
        assert utf16_length(record.data["description"]) <= 2000
        assert record.data["description"].startswith("Channel: ")
    for note in sandbox_tenant.rows("annotation"):
        whole = base64.b64decode(note.data["documentbody"]).decode("utf-8")
        assert whole.count(EMOJI_LINE) == 5000


def test_it_uses_a_description_the_org_widened(qcluster, sandbox_tenant):
    provisioning.set_column_max_length(sandbox_tenant.org, "incident", "description", 4000)
    assert verify_connection(sandbox_tenant.tenant.connection).ok

    sandbox_tenant.send(emoji_handoff("phone", "e2e-wide", messages=400))
    session = sandbox_tenant.wait("e2e-wide")

    assert session.status == "done", session.last_error_message
    case = sandbox_tenant.rows("incident")[0]
    assert 3000 < utf16_length(case.data["description"]) <= 4000
