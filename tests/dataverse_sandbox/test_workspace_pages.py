"""The rep workspace lists chats, shows one with its context, and acts on the rep's clicks."""

from __future__ import annotations

import pytest

from dataverse_sandbox.messaging.models import Conversation, Message

CONTEXT = {
    "channel": {"isDisplayable": True, "value": "whatsapp"},
    "sessionid": {"isDisplayable": False, "value": "sess-9"},
}


@pytest.fixture
def chat(messaging) -> str:
    created = messaging.create(
        "sess-9",
        startmessage={"message": "Bot: how can I help?", "displayname": "OpenCX"},
        conversationcontext=CONTEXT,
    )
    messaging.say(created["conversationId"], "My parcel is late")
    return created["conversationId"]


def test_it_lists_waiting_chats_with_name_channel_and_last_message(client, chat):
    page = client.get("/sandbox/contoso/workspace/").content.decode()

    assert "Waiting (1)" in page
    assert "Ada L" in page
    assert "Channel: whatsapp" in page
    assert "My parcel is late" in page
    assert f"/sandbox/contoso/workspace/{chat}/accept/" in page


def test_it_shows_the_start_message_and_marks_displayable_context(client, chat):
    page = client.get(f"/sandbox/contoso/workspace/{chat}/").content.decode()

    assert "Start message from OpenCX" in page
    assert "Bot: how can I help?" in page
    assert "<td>channel</td><td>whatsapp</td><td>yes</td>" in page
    assert "<td>sessionid</td><td>sess-9</td><td>no</td>" in page


def test_it_accepts_and_replies_through_the_forms(client, chat, receiver, deliver):
    deliver(client.post, f"/sandbox/contoso/workspace/{chat}/accept/")

    response = deliver(client.post, f"/sandbox/contoso/workspace/{chat}/reply/", {"text": "On it!"})

    assert response.status_code == 302
    assert response["Location"] == f"/sandbox/contoso/workspace/{chat}/#reply"
    assert Message.objects.get(kind=Message.REP).text == "On it!"
    page = client.get(f"/sandbox/contoso/workspace/{chat}/").content.decode()
    assert "On it!" in page
    assert "delivered" in page  # the webhook deliveries table
    assert [b.get("name") or b.get("text") for b in receiver.bodies()] == [
        "AgentAccepted",
        "On it!",
    ]


def test_it_says_why_an_action_is_refused(client, chat):
    client.post(f"/sandbox/contoso/workspace/{chat}/reply/", {"text": "too early"})

    page = client.get(f"/sandbox/contoso/workspace/{chat}/").content.decode()

    assert "is waiting; this needs it active" in page
    assert not Message.objects.filter(kind=Message.REP).exists()


def test_it_ends_and_closes_a_chat(client, chat, deliver):
    for action in ("accept", "end", "close"):
        deliver(client.post, f"/sandbox/contoso/workspace/{chat}/{action}/")

    assert Conversation.objects.get(id=chat).state == Conversation.CLOSED
    assert "Recently closed (1)" in client.get("/sandbox/contoso/workspace/").content.decode()


def test_it_refuses_get_on_actions_and_unknown_actions(client, chat):
    assert client.get(f"/sandbox/contoso/workspace/{chat}/accept/").status_code == 405
    assert client.post(f"/sandbox/contoso/workspace/{chat}/wave/").status_code == 404
