"""send_test_message: a customer message signed as OpenCX signs it, to the running server."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from handoffs.models import CustomerMessage, HandoffSession
from handoffs.tenancy import tenants
from tests.handoffs.delivery.conftest import new_session


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def chat(transactional_db):
    tenant = tenants.create_tenant("acme", "Acme")
    session = new_session(tenant, "web", "sess/42")
    HandoffSession.objects.filter(pk=session.pk).update(
        status="done", target="live_chat", live_chat_state="waiting"
    )
    return session


def test_it_sends_a_signed_message_the_server_queues(live_server, chat):
    printed = run("send_test_message", "acme", "sess/42", "Is anyone there?",
                  "--message-id", "m-1", "--base-url", live_server.url)  # fmt: skip

    assert "HTTP 202" in printed
    message = CustomerMessage.objects.get()
    assert (message.message_id, message.kind, message.text) == (
        "m-1",
        "message",
        "Is anyone there?",
    )


def test_it_sends_the_end_of_the_chat(live_server, chat):
    run("send_test_message", "acme", "sess/42", "--type", "end", "--base-url", live_server.url)

    assert CustomerMessage.objects.get().kind == "end"


def test_it_fails_with_the_servers_refusal(live_server, chat):
    with pytest.raises(CommandError, match=r"refused \(HTTP 404\)"):
        run("send_test_message", "acme", "no-such-session", "hi", "--base-url", live_server.url)


def test_it_asks_for_the_text_of_a_message(chat):
    with pytest.raises(CommandError, match="Give the text to send"):
        run("send_test_message", "acme", "sess/42")
