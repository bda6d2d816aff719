"""The activities' shapes: the documented samples by default, the other readings on switch."""

from __future__ import annotations

import re

import pytest

from dataverse_sandbox.messaging import channel, rep
from dataverse_sandbox.messaging.models import Conversation


@pytest.fixture
def chat(messaging) -> Conversation:
    return Conversation.objects.get(id=messaging.create("sess-1")["conversationId"])


def stamped(body: dict) -> dict:
    """The body without the Bot Framework id/timestamp, after checking their form."""
    assert re.fullmatch(r"\d{13}", body.pop("id"))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", body.pop("timestamp"))
    return body


def test_it_sends_events_as_the_samples_do(chat, deliver, receiver, live_chat):
    deliver(rep.accept, chat)
    deliver(rep.close, chat)

    accepted, ended, closed = (stamped(b) for b in receiver.bodies())
    common = {"type": "message", "channelId": str(live_chat.record_id)}
    conversation = {"id": str(chat.id)}
    assert accepted == {
        **common, "conversation": conversation,
        "text": "EventName: **_AgentAccepted_**", "name": "AgentAccepted",
    }  # fmt: skip
    assert ended["name"] == "AgentClosed" and ended["from"] == {"id": str(chat.agent_id)}
    assert closed["text"] == "EventName: **_ConversationClosed_**"


def test_it_sends_the_reps_message_in_markdown_with_the_rep_as_sender(
    chat, deliver, receiver, live_chat
):
    deliver(rep.accept, chat)
    deliver(rep.say, chat, "**Hi**, I am Avery")

    message = stamped(receiver.bodies()[1])

    assert message == {
        "type": "message",
        "channelId": str(live_chat.record_id),
        "conversation": {"id": str(chat.id)},
        "from": {"id": str(chat.agent_id), "name": "Avery Agent"},
        "textFormat": "markdown",
        "text": "**Hi**, I am Avery",
    }


def test_it_sends_typing_as_the_sample_does(chat, deliver, receiver):
    deliver(rep.accept, chat)
    deliver(rep.typing, chat)

    typing = stamped(receiver.bodies()[1])

    assert typing == {
        "type": "typing",
        "channelId": "MessagingApi",
        "conversation": {"id": str(chat.id)},
        "recipient": {"id": "sess-1"},
    }


def test_it_can_send_events_as_type_event_with_the_listed_names(chat, deliver, receiver, org):
    channel.configure(org, event_type="event", event_names="list")

    deliver(rep.accept, chat)
    deliver(rep.close, chat)

    events = [stamped(b) for b in receiver.bodies()]
    assert [(e["type"], e["name"]) for e in events] == [
        ("event", "AgentAccepted"), ("event", "AgentEndSession"), ("event", "ConversationClose"),
    ]  # fmt: skip
    assert all("text" not in e for e in events)


def test_it_can_send_pascal_case_keys(chat, deliver, receiver, org):
    channel.configure(org, key_case="pascal")

    deliver(rep.accept, chat)

    body = receiver.bodies()[0]
    assert body["Type"] == "message"
    assert body["Conversation"] == {"Id": str(chat.id)}
    assert body["Name"] == "AgentAccepted"
    assert body["ServiceUrl"] == receiver.url + "/"
    assert "type" not in body


def test_it_sends_any_documented_event_and_refuses_made_up_ones(chat, deliver, receiver):
    deliver(rep.send_event, chat, "TransferToQueueInitiated")

    assert receiver.bodies()[0]["name"] == "TransferToQueueInitiated"
    with pytest.raises(rep.RepActionError, match="not a documented event"):
        rep.send_event(chat, "AgentWaved")
