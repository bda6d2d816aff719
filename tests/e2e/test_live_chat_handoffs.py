"""A chat handoff, end to end: the real worker opens a conversation that waits for a rep, and
the rep's activities come back through the webhook with a token the service verifies."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from dataverse_sandbox.messaging import channel as sandbox_channel
from dataverse_sandbox.messaging.faults import set_faults
from dataverse_sandbox.messaging.models import Conversation
from handoffs.channels import sample_handoff
from handoffs.livechat import setup
from handoffs.models import HandoffEvent
from tests.e2e.conftest import SandboxTenant
from tests.handoffs.livechat.sandbox import sandbox_live_chat

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_chat_tenant(live_server, settings) -> SandboxTenant:
    """Tenant "e2e" whose chats go to org "e2e-org"'s messaging channel."""
    settings.PUBLIC_BASE_URL = live_server.url
    found = sandbox_live_chat(live_server.url, "e2e")
    setup.configure(found.tenant, **found.options())
    return SandboxTenant(found.tenant, found.org, live_server.url)


def test_it_hands_a_whatsapp_chat_to_a_waiting_rep(qcluster, live_chat_tenant):
    assert live_chat_tenant.send(sample_handoff("whatsapp", "e2e-wa-1")) == 202

    session = live_chat_tenant.wait("e2e-wa-1")

    assert session.status == "done", session.last_error_message
    assert session.target == "live_chat"
    assert session.live_chat_state == "waiting"
    conversation = Conversation.objects.get(org=live_chat_tenant.org, customer_id="e2e-wa-1")
    assert conversation.state == Conversation.OPEN
    assert str(conversation.id) == str(session.dynamics365_chat_id)
    assert conversation.skip_deflection_bot is True
    assert ["channel", {"isDisplayable": True, "value": "WhatsApp"}] in conversation.context
    start = conversation.items.get(kind="start")
    assert start.text.startswith("Channel: WhatsApp\nClassification: Product question")
    assert "Customer: About 40. Can someone send a quote?" in start.text


@pytest.mark.parametrize(
    "switches",
    [
        {},
        {"key_case": "pascal", "event_type": "event", "event_names": "list"},
        {"token_version": 1, "audience": "app_id_uri"},
    ],
    ids=["samples", "pascal-events", "v1-app-id-uri"],
)
def test_it_records_the_reps_activities_on_the_session(qcluster, live_chat_tenant, switches):
    sandbox_channel.configure(live_chat_tenant.org, **switches)
    live_chat_tenant.send(sample_handoff("web", "e2e-web-1"))
    session = live_chat_tenant.wait("e2e-web-1")
    assert session.status == "done", session.last_error_message

    out = io.StringIO()
    call_command("sandbox_rep", live_chat_tenant.org.slug, "--accept", "e2e-web-1",
                 "--say", "e2e-web-1", "Hello, Avery here.", stdout=out)  # fmt: skip

    assert "failed" not in out.getvalue(), out.getvalue()
    recorded = [e.detail for e in session.events.filter(kind=HandoffEvent.Kind.DYNAMICS_ACTIVITY)]
    assert [(a["type"], a.get("name") or a.get("text")) for a in recorded] == [
        ("event", "AgentAccepted"),
        ("message", "Hello, Avery here."),
    ]
    assert recorded[1]["from_name"] == "Avery Agent"


def test_it_opens_one_conversation_through_a_throttled_messaging_api(qcluster, live_chat_tenant):
    set_faults(sandbox_channel.faults_for(live_chat_tenant.org), throttle_burst=1, retry_after=1)

    live_chat_tenant.send(sample_handoff("sms", "e2e-sms-1"))
    # The retry runs from the worker's scheduler, which looks for due tasks every 30 seconds.
    session = live_chat_tenant.wait("e2e-sms-1", timeout=150)

    assert session.status == "done", session.last_error_message
    assert session.attempts == 2
    assert (
        Conversation.objects.filter(org=live_chat_tenant.org, customer_id="e2e-sms-1").count() == 1
    )
