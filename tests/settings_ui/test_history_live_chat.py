"""Support leads read a live chat on its handoff page, both ways, and see each chat's state in
the list."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from handoffs.livechat.relay import inbox, relay
from handoffs.models import CustomerMessage
from tests.settings_ui.history_helpers import make_session

pytestmark = pytest.mark.django_db
CONVERSATION = uuid.UUID("d1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f5a")


def live_chat(tenant, session_id: str = "sess-chat", state: str = "waiting", **fields):
    chat_id = CONVERSATION if session_id == "sess-chat" else uuid.uuid4()
    return make_session(tenant, session_id, channel="whatsapp", status="done",
                        target="live_chat", dynamics365_chat_id=chat_id,
                        live_chat_state=state, **fields)  # fmt: skip


def rep(tenant, body: dict) -> None:
    """Dynamics posts an activity; the worker relays it."""
    item = inbox.receive(tenant, CONVERSATION, {"conversation": {"id": str(CONVERSATION)}, **body})
    relay.relay_pending(item.session_id)


def test_it_shows_the_conversation_both_ways_in_order(lead_client, tenant):
    session = live_chat(tenant)
    start = timezone.now()
    CustomerMessage.objects.create(session=session, sequence=1, message_id="m1", kind="message",
                                   text="Where is my order?", received_at=start,
                                   delivered_at=start)  # fmt: skip
    rep(tenant, {"type": "message", "name": "AgentAccepted"})
    rep(tenant, {"type": "message", "from": {"name": "Avery Agent"}, "text": "Checking now.",
                 "attachments": [{"contentType": "application/pdf", "name": "label.pdf",
                                  "contentUrl": "https://files.example/label.pdf"}]})  # fmt: skip
    later = timezone.now() + timedelta(seconds=1)
    CustomerMessage.objects.create(session=session, sequence=2, message_id="m2", kind="message",
                                   text="Thanks!", received_at=later,
                                   last_error_code="messaging_unavailable")  # fmt: skip

    page = lead_client.get(f"/t/acme/sessions/{session.pk}/")

    html = page.content.decode()
    chat = html[html.index('id="live-chat"') : html.index("Audit timeline")]
    assert 'chat-state chat-active">A rep is answering' in chat
    order = ["Where is my order?", "A rep joined the chat (AgentAccepted).", "Checking now.",
             "Thanks!"]  # fmt: skip
    positions = [chat.index(text) for text in order]
    assert positions == sorted(positions)
    assert "Delivered to Dynamics" in chat
    assert "Waiting (messaging_unavailable): retried automatically" in chat
    assert '<a href="https://files.example/label.pdf"' in chat
    assert "Not sent: the tenant has no callback URL" in chat
    assert "Avery Agent" in chat


def test_it_never_links_an_attachment_that_is_not_a_web_address(lead_client, tenant):
    session = live_chat(tenant)
    rep(tenant, {"type": "message", "from": {"name": "Avery"}, "text": "see file",
                 "attachments": [{"name": "x", "contentUrl": "javascript:alert(1)"}]})  # fmt: skip

    html = lead_client.get(f"/t/acme/sessions/{session.pk}/").content.decode()

    assert 'href="javascript:' not in html
    assert "Attachment: x" in html


def test_it_badges_each_live_chat_with_its_state_in_the_list(lead_client, tenant):
    live_chat(tenant, "sess-wait")
    live_chat(tenant, "sess-active", "active", live_chat_agent="Avery Agent")
    live_chat(tenant, "sess-ended", "ended")
    make_session(tenant, "sess-case", status="done", dynamics365_ticket_number="CAS-1")

    html = lead_client.get("/t/acme/sessions/").content.decode()

    assert 'class="chat-state chat-waiting" title="The live chat">Chat: waiting<' in html
    assert 'class="chat-state chat-active" title="The live chat">Chat: active, Avery Agent<' in html
    assert 'class="chat-state chat-ended" title="The live chat">Chat: ended<' in html
    assert html.count('class="chat-state') == 3


def test_it_shows_no_chat_section_for_a_case(lead_client, tenant):
    session = make_session(tenant, "sess-case", status="done", dynamics365_ticket_number="CAS-1")

    html = lead_client.get(f"/t/acme/sessions/{session.pk}/").content.decode()

    assert 'id="live-chat"' not in html


def test_it_shows_messages_that_wait_for_the_conversation_to_open(lead_client, tenant):
    session = make_session(tenant, "sess-early", channel="web", status="processing")
    CustomerMessage.objects.create(session=session, sequence=1, message_id="m1", kind="message",
                                   text="Are you there?")  # fmt: skip

    html = lead_client.get(f"/t/acme/sessions/{session.pk}/").content.decode()

    chat = html[html.index('id="live-chat"') : html.index("Audit timeline")]
    assert "Are you there?" in chat
    assert "Queued for Dynamics" in chat
