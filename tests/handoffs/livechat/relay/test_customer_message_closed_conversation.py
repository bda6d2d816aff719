"""A conversation Dynamics closed takes no more messages: they are given up, the chat ends, and
OpenCX hears it once."""

from __future__ import annotations

from handoffs.models import CustomerMessage, HandoffSession
from handoffs.tasks import send_customer_messages
from tests.handoffs.livechat.relay.conftest import events_for


def test_it_ends_the_chat_when_the_conversation_is_gone(customer, chat, api, with_callback):
    api.refuses(404, 30013)
    customer.says("m1", "hello?")
    customer.says("m2", "anyone?")

    send_customer_messages(chat.pk)

    messages = CustomerMessage.objects.order_by("sequence")
    assert [m.last_error_code for m in messages] == ["messaging_conversation_not_found"] * 2
    assert all(m.given_up_at for m in messages)
    assert len(api.sent()) == 1
    chat.refresh_from_db()
    assert chat.live_chat_state == "ended"
    assert [e["event"] for e in events_for(chat)] == ["conversation.ended"]
    assert customer.says("m3", "hello").json()["error"]["code"] == "conversation_ended"


def test_it_says_a_given_up_message_failed_when_it_is_posted_again(customer, chat, api):
    api.refuses(404, 30013)
    customer.says("m1", "hello?")
    send_customer_messages(chat.pk)

    again = customer.says("m1", "hello?")

    assert again.status_code == 200
    assert again.json()["status"] == "failed"


def test_it_tells_opencx_nothing_when_the_customer_had_ended_it(customer, chat, api, with_callback):
    api.refuses(404, 30013)
    customer.post({"message_id": "bye", "type": "end"})

    send_customer_messages(chat.pk)

    assert HandoffSession.objects.get(pk=chat.pk).live_chat_state == "ended"
    assert events_for(chat) == []
