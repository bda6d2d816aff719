"""In Chromium, a whole live chat: the rep accepts and replies in the sandbox workspace, OpenCX's
receiver gets signed events, the customer's message reaches the workspace, the rep ends it, and
the support lead reads the conversation on the handoff page. The real worker runs every task."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest

from dataverse_sandbox.messaging.models import Conversation
from handoffs.channels import sample_handoff
from handoffs.inbound import signing
from handoffs.livechat import setup
from handoffs.outbound import http
from tests.browser import sign_in
from tests.dataverse_sandbox.messaging_helpers import Receiver
from tests.e2e.conftest import SandboxTenant
from tests.e2e.test_history_browser import PASSWORD, member
from tests.handoffs.contract.openapi import event_problems
from tests.handoffs.livechat.sandbox import sandbox_live_chat

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SESSION = "e2e-relay-1"


def wait_until(found: Callable[[], object], what: str, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := found():
            return value
        time.sleep(0.2)
    pytest.fail(f"still waiting after {timeout} s for {what}")


@pytest.fixture
def receiver():
    running = Receiver().start()
    yield running
    running.stop()


@pytest.fixture
def chat(live_server, settings, qcluster, receiver) -> SandboxTenant:
    """Tenant "e2e": chats go to org "e2e-org", events to the receiver; a WhatsApp chat waits."""
    settings.PUBLIC_BASE_URL = live_server.url
    found = sandbox_live_chat(live_server.url, "e2e")
    setup.configure(found.tenant, **found.options())
    found.tenant.callback_url = receiver.url
    found.tenant.save()
    member(found.tenant, "lee", "lead")
    tenant = SandboxTenant(found.tenant, found.org, live_server.url)
    assert tenant.send(sample_handoff("whatsapp", SESSION)) == 202
    assert tenant.wait(SESSION).status == "done"
    return tenant


def events(receiver: Receiver, name: str) -> list:
    return [r for r in receiver.received if r.body.get("event") == name]


def customer_says(chat: SandboxTenant, message_id: str, text: str) -> int:
    """OpenCX posts the customer's next message, signed like the webhook."""
    url = f"{chat.base_url}/hooks/opencx/{chat.tenant.webhook_key}/sessions/{SESSION}/messages"
    raw = json.dumps({"message_id": message_id, "type": "message", "text": text}).encode()
    headers = signing.signed_headers(chat.tenant.webhook_secret, raw)
    response, _ = http.post_json("e2e-customer", url, raw, headers)
    return response.status_code


def assert_signed_as_documented(chat: SandboxTenant, received) -> None:
    raw = json.dumps(received.body, separators=(",", ":")).encode()
    headers = received.headers
    signing.verify([chat.tenant.webhook_secret], headers["X-OpenCX-Timestamp"],
                   headers["X-OpenCX-Signature"], [raw])  # fmt: skip
    assert event_problems(received.body["event"], received.body, headers) == []


def test_it_relays_a_live_chat_both_ways(page, chat, receiver):
    page.goto(f"/sandbox/{chat.org.slug}/workspace/")
    page.get_by_role("link", name="Kenji Watanabe").click()
    page.get_by_role("button", name="Accept").click()
    page.fill("#reply-text", "Hi Kenji, Avery here. 40 seats qualify for volume pricing.")
    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state()

    joined = wait_until(lambda: events(receiver, "agent.joined"), "agent.joined")
    said = wait_until(lambda: events(receiver, "agent.message"), "agent.message")
    assert said[0].body["text"] == "Hi Kenji, Avery here. 40 seats qualify for volume pricing."
    assert said[0].body["agent"] == {"name": "Avery Agent"}
    for received in (joined[0], said[0]):
        assert_signed_as_documented(chat, received)
        assert received.body["event_id"] == received.headers["X-OpenCX-Event-Id"]

    assert customer_says(chat, "m-1", "Great, please send the quote to ops@example.com") == 202
    conversation = Conversation.objects.get(org=chat.org, customer_id=SESSION)
    wait_until(lambda: conversation.items.filter(kind="customer").exists(), "the sandbox message")
    page.reload()
    assert "Great, please send the quote to ops@example.com" in page.inner_text("main")

    page.get_by_role("button", name="End conversation").click()
    page.wait_for_load_state()
    ended = wait_until(lambda: events(receiver, "conversation.ended"), "conversation.ended")
    assert_signed_as_documented(chat, ended[0])
    assert customer_says(chat, "m-2", "Hello?") == 409
    order = [r.headers["X-OpenCX-Event"] for r in receiver.received]
    assert order == ["status", "agent.joined", "agent.message", "conversation.ended"]

    sign_in(page, "lee", PASSWORD)
    page.goto("/t/e2e/sessions/")
    assert "Chat: ended" in page.inner_text(".history")
    page.get_by_text(SESSION).first.click()
    page.wait_for_load_state()
    lines = page.inner_text("#live-chat")
    assert "Ended" in lines
    for text in ("joined the chat (AgentAccepted)",
                 "Hi Kenji, Avery here. 40 seats qualify for volume pricing.",
                 "Great, please send the quote to ops@example.com", "Delivered to Dynamics",
                 "The chat was ended in Dynamics (AgentClosed)"):  # fmt: skip
        assert text in lines
    assert lines.index("Hi Kenji, Avery here") < lines.index("Great, please send the quote")
