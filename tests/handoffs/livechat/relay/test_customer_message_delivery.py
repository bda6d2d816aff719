"""The customer's messages reach the rep's conversation as Bot Framework activities, in order,
each exactly once."""

from __future__ import annotations

from handoffs.livechat.handoff import remember_conversation
from handoffs.models import CustomerMessage, HandoffEvent
from handoffs.tasks import send_customer_messages
from tests.handoffs.delivery.conftest import new_session
from tests.handoffs.livechat.conftest import CHANNEL_ID, CONVERSATION, SCOPE
from tests.handoffs.livechat.relay.conftest import ACTIVITY_URL


def test_it_sends_a_message_as_the_customer_with_its_id(customer, chat, api):
    api.takes()
    file = {"name": "receipt.png", "content_type": "image/png", "url": "https://f.example/r.png"}
    customer.says("m1", "Order 4411 never arrived.", attachments=[file])

    assert send_customer_messages(chat.pk) == 1

    assert api.sent() == [
        {
            "type": "message",
            "channelId": CHANNEL_ID,
            "conversation": {"id": CONVERSATION},
            "from": {"id": "sess-chat", "name": "Kenji Watanabe"},
            "id": "m1",
            "text": "Order 4411 never arrived.",
            "attachments": [
                {"contentType": "image/png", "contentUrl": "https://f.example/r.png",
                 "name": "receipt.png"}
            ],
        }
    ]  # fmt: skip


def test_it_sends_typing_and_the_end_as_the_api_documents_them(customer, chat, api):
    api.takes(2)
    customer.post({"message_id": "t1", "type": "typing"})
    customer.post({"message_id": "bye", "type": "end"})

    send_customer_messages(chat.pk)

    typing, end = api.sent()
    assert typing == {
        "type": "typing",
        "channelId": CHANNEL_ID,
        "conversation": {"id": CONVERSATION},
        "from": {"id": "sess-chat", "name": "Kenji Watanabe"},
    }
    assert end == {
        "type": "endOfConversation",
        "channelId": CHANNEL_ID,
        "conversation": {"id": CONVERSATION},
    }


def test_it_sends_in_the_order_received_and_each_message_once(customer, chat, api):
    api.takes(3)
    for n in (1, 2, 3):
        customer.says(f"m{n}", f"part {n}")

    send_customer_messages(chat.pk)
    send_customer_messages(chat.pk)  # a task run twice sends nothing more

    assert [a["text"] for a in api.sent()] == ["part 1", "part 2", "part 3"]
    delivered = CustomerMessage.objects.order_by("sequence")
    assert all(m.delivered_at and len(m.dynamics_message_id) == 13 for m in delivered)


def test_it_uses_a_token_for_the_messaging_scope(customer, chat, api, dynamics):
    api.takes()
    customer.says("m1", "hello")

    send_customer_messages(chat.pk)

    call = next(c for c in dynamics.mock.calls if c.request.url == ACTIVITY_URL)
    assert call.request.headers["channel-id"] == CHANNEL_ID
    assert (
        "scope=" + SCOPE.replace(":", "%3A").replace("/", "%2F")
        in dynamics.token_calls()[0].request.body
    )


def test_it_audits_each_delivery_without_the_token(customer, chat, api):
    api.takes()
    customer.says("m1", "hello")

    send_customer_messages(chat.pk)

    assert chat.events.filter(kind=HandoffEvent.Kind.CUSTOMER_MESSAGE).count() == 1
    calls = chat.events.filter(kind=HandoffEvent.Kind.MESSAGING_CALL)
    posted = [c.detail for c in calls if c.detail["path"].endswith(CONVERSATION)]
    assert [(c["method"], c["status"]) for c in posted] == [("POST", 200)]
    delivery = chat.events.get(kind=HandoffEvent.Kind.MESSAGE_DELIVERY)
    assert delivery.detail["outcome"] == "delivered"
    assert "token-that-must-never-leak" not in str(list(chat.events.values_list("detail")))


def test_it_sends_what_waited_once_the_conversation_opens(customer, tenant, api):
    session = new_session(tenant, "web", "sess-early")
    customer.says("m1", "are you there?", session_id="sess-early")
    assert send_customer_messages(session.pk) == 0  # no conversation yet: it waits
    api.takes()

    remember_conversation(session, CONVERSATION, None)  # the handoff opened it (tasks run inline)

    assert [a["text"] for a in api.sent()] == ["are you there?"]
    session.refresh_from_db()
    assert session.live_chat_state == "waiting"


def test_it_does_not_reopen_a_chat_the_customer_ended_before_it_opened(customer, tenant, api):
    session = new_session(tenant, "web", "sess-gone")
    customer.post({"message_id": "bye", "type": "end"}, session_id="sess-gone")
    api.takes()

    remember_conversation(session, CONVERSATION, None)

    session.refresh_from_db()
    assert session.live_chat_state == "ended"
    assert [a["type"] for a in api.sent()] == ["endOfConversation"]
