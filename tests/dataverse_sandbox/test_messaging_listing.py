"""GET conversations, messages and context: what is listed, paging, and bad parameters."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from dataverse_sandbox.messaging import rep
from dataverse_sandbox.messaging.channel import faults_for
from dataverse_sandbox.messaging.faults import set_faults
from dataverse_sandbox.messaging.models import Conversation


def ids(response) -> list[str]:
    return [c["conversationid"] for c in response.json()["conversations"]]


def test_it_lists_only_waiting_and_active_conversations(messaging, deliver):
    waiting, active, wrapup, closed = (
        messaging.create(f"s{n}")["conversationId"] for n in range(4)
    )
    for chat in (active, wrapup, closed):
        deliver(rep.accept, Conversation.objects.get(id=chat))
    deliver(rep.end, Conversation.objects.get(id=wrapup))
    deliver(rep.close, Conversation.objects.get(id=closed))

    response = messaging.get("conversations")

    assert ids(response) == [waiting, active]
    assert response.json()["continuationtoken"] is None
    assert response.json()["conversations"][0]["timestamp"].endswith("Z")


def test_it_pages_conversations_with_a_guid_token(messaging):
    created = [messaging.create(f"s{n}")["conversationId"] for n in range(3)]

    first = messaging.get("conversations?PageSize=2")
    token = first.json()["continuationtoken"]
    second = messaging.get(f"conversations?PageSize=2&ContinuationToken={token}")

    assert ids(first) + ids(second) == created
    assert second.json()["continuationtoken"] is None


def test_it_filters_conversations_by_start_timestamp(messaging):
    first = messaging.create("s1")["conversationId"]
    stamp = Conversation.objects.get(id=first).created_at.isoformat()
    second = messaging.create("s2")["conversationId"]

    response = messaging.get(f"conversations?StartTimeStamp={quote(stamp)}")

    assert ids(response) == [second]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("conversations?PageSize=251", 30007),
        ("conversations?PageSize=0", 30007),
        ("conversations?PageSize=ten", 30007),
        ("conversations?StartTimeStamp=yesterday", 30006),
        ("conversations?ContinuationToken=00000000-0000-0000-0000-000000000000", 30009),
        ("conversations?ContinuationToken=abc", 30009),
    ],
)
def test_it_refuses_bad_list_parameters(messaging, query, code):
    response = messaging.get(query)

    assert response.status_code == 400
    assert response.json()["errorCode"] == code


def test_it_lists_messages_both_ways_and_pages_them_by_timestamp(messaging, deliver):
    created = messaging.create("s1", startmessage={"message": "transcript", "displayname": "Bot"})
    chat = created["conversationId"]
    messaging.say(chat, "Hello")
    conversation = Conversation.objects.get(id=chat)
    deliver(rep.accept, conversation)
    deliver(rep.say, conversation, "Hi, I am Avery")

    first = messaging.get(f"conversation/{chat}/messages?PageSize=2").json()
    token = quote(first["continuationToken"])
    second = messaging.get(f"conversation/{chat}/messages?PageSize=2&ContinuationToken={token}")

    listed = first["messages"] + second.json()["messages"]
    assert [m["text"] for m in listed] == ["transcript", "Hello", "Hi, I am Avery"]
    assert listed[0]["messageId"] == created["messageId"]
    assert listed[2]["from"] == {"id": str(conversation.agent_id), "name": "Avery Agent"}
    assert set(listed[1]) == {
        "type", "attachments", "text", "messageId", "timestamp", "from", "channelData"
    }  # fmt: skip
    assert second.json()["continuationToken"] is None


@pytest.mark.parametrize(
    ("query", "code"), [("PageSize=101", 30008), ("ContinuationToken=x", 30009)]
)
def test_it_refuses_bad_message_parameters(messaging, query, code):
    chat = messaging.create("s1")["conversationId"]

    response = messaging.get(f"conversation/{chat}/messages?{query}")

    assert response.status_code == 400
    assert response.json()["errorCode"] == code


def test_it_returns_the_context_variables_as_sent(messaging):
    context = {"channel": {"isDisplayable": True, "value": "web"}, "sessionid": "sess-1"}
    chat = messaging.create("s1", conversationcontext=context)["conversationId"]

    response = messaging.get(f"conversation/{chat}/context")

    assert response.json() == {
        "context": [
            {"name": "channel", "value": {"isDisplayable": True, "value": "web"}},
            {"name": "sessionid", "value": "sess-1"},
        ]
    }


def test_it_can_make_the_context_lag_behind_the_create(messaging, org):
    set_faults(faults_for(org), context_lag_reads=2)
    chat = messaging.create("s1", conversationcontext={"a": "1"})["conversationId"]

    reads = [messaging.get(f"conversation/{chat}/context").json()["context"] for _ in range(3)]

    assert reads == [[], [], [{"name": "a", "value": "1"}]]
