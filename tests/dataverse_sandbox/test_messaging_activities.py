"""conversation/{id} takes the customer's messages, typing, read receipts, events and end."""

from __future__ import annotations

import uuid

import pytest

from dataverse_sandbox.messaging import rep
from dataverse_sandbox.messaging.models import Conversation, Message


@pytest.fixture
def chat(messaging) -> str:
    return messaging.create("sess-1")["conversationId"]


def test_it_stores_a_customer_message_and_answers_its_id(messaging, chat):
    response = messaging.say(chat, "Hello?")

    assert response.status_code == 200
    message = Message.objects.get(kind=Message.CUSTOMER)
    assert response.json() == {"messageId": str(message.message_id)}
    assert (message.text, message.from_name) == ("Hello?", "Ada L")


def test_it_refuses_text_over_6000_characters(messaging, chat):
    assert messaging.say(chat, "a" * 6000).status_code == 200

    response = messaging.say(chat, "a" * 6001)

    assert response.status_code == 400
    assert response.json()["errorCode"] == 30011


def test_it_refuses_a_message_without_text_or_attachments(messaging, chat):
    response = messaging.say(chat, "")

    assert response.status_code == 400
    assert response.json()["errorCode"] == 30016


def test_it_takes_a_message_with_only_an_attachment(messaging, chat):
    attachment = {"contentType": "image/png", "contentUrl": "https://x.example/a.png", "name": "a"}

    response = messaging.say(chat, "", attachments=[attachment])

    assert response.status_code == 200
    assert Message.objects.get(kind=Message.CUSTOMER).attachments == [attachment]


def test_it_refuses_a_channel_id_in_the_body_that_differs_from_the_header(messaging, chat):
    response = messaging.say(chat, "hi", channelId=str(uuid.uuid4()))

    assert response.status_code == 400
    assert response.json()["errorCode"] == 30002


def test_it_answers_30005_for_a_malformed_and_30013_for_an_unknown_conversation(messaging):
    malformed = messaging.say("nope", "hi")
    unknown = messaging.post(f"conversation/{uuid.uuid4()}", {"type": "typing"})

    assert (malformed.status_code, malformed.json()["errorCode"]) == (400, 30005)
    assert (unknown.status_code, unknown.json()["errorCode"]) == (404, 30013)


def test_it_refuses_an_unknown_activity_type(messaging, chat):
    response = messaging.post(f"conversation/{chat}", {"type": "poke"})

    assert response.status_code == 400
    assert response.json()["errorCode"] == 30003


def test_it_marks_rep_messages_read_up_to_the_given_id(messaging, chat, deliver):
    conversation = Conversation.objects.get(id=chat)
    deliver(rep.accept, conversation)
    first = deliver(rep.say, conversation, "One")
    deliver(rep.say, conversation, "Two")
    read = {"type": "event", "name": "MessageRead", "value": {"messageId": str(first.message_id)}}

    response = messaging.post(f"conversation/{chat}", read)

    assert response.json() == {"messageId": "", "message": None}
    reads = dict(Message.objects.filter(kind=Message.REP).values_list("text", "read_at"))
    assert reads["One"] is not None and reads["Two"] is None


def test_it_answers_a_custom_event_with_a_message_id_and_keeps_it_out_of_messages(messaging, chat):
    event = {
        "type": "event",
        "name": "CartChanged",
        "channelData": {
            "customEvent": True,
            "customEventName": "CartChanged",
            "customEventValue": '{"items": 3}',
        },
    }

    response = messaging.post(f"conversation/{chat}", event)

    assert len(response.json()["messageId"]) == 13
    assert messaging.get(f"conversation/{chat}/messages").json()["messages"] == []


def test_it_refuses_an_event_that_is_neither_a_read_receipt_nor_custom(messaging, chat):
    response = messaging.post(f"conversation/{chat}", {"type": "event", "name": "Poke"})

    assert response.status_code == 400
    assert response.json()["errorCode"] == 30003


def test_it_closes_a_waiting_chat_on_end_of_conversation(messaging, chat):
    end = {"type": "endOfConversation", "conversation": {"id": chat}}

    assert messaging.post(f"conversation/{chat}", end).status_code == 200

    after = messaging.say(chat, "still there?")
    assert (after.status_code, after.json()["errorCode"]) == (404, 30013)
    assert messaging.get(f"conversation/{chat}/messages").status_code == 404
    assert Conversation.objects.get(id=chat).state == Conversation.CLOSED


def test_it_moves_an_active_chat_to_wrap_up_when_the_customer_leaves(messaging, chat, deliver):
    deliver(rep.accept, Conversation.objects.get(id=chat))

    messaging.post(f"conversation/{chat}", {"type": "endOfConversation"})

    assert Conversation.objects.get(id=chat).state == Conversation.WRAPUP
    assert messaging.get(f"conversation/{chat}/messages").status_code == 200
    assert messaging.say(chat, "hello?").status_code == 404


def test_it_records_that_the_customer_is_typing(messaging, chat):
    response = messaging.post(f"conversation/{chat}", {"type": "typing", "from": {"name": "A"}})

    assert response.status_code == 200
    assert Conversation.objects.get(id=chat).customer_typing_at is not None
