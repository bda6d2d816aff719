"""The rep's activities, posted by Dynamics to the channel's webhook, reach OpenCX as signed
events, in order, and move the chat's state on."""

from __future__ import annotations

import json

from handoffs.inbound import signing
from handoffs.models import HandoffSession, RepActivity
from tests.handoffs.contract.openapi import event_problems
from tests.handoffs.livechat.conftest import CONVERSATION
from tests.handoffs.livechat.relay.conftest import ACCEPTED, CALLBACK, event, events_for, rep_says


def state(session: HandoffSession) -> tuple[str, str]:
    session.refresh_from_db()
    return session.live_chat_state, session.live_chat_agent


def test_it_tells_opencx_a_rep_joined_and_what_they_wrote(chat, with_callback, dynamics_posts):
    dynamics_posts(ACCEPTED, rep_says("Hello, Avery here."))

    joined, said = events_for(chat)
    assert joined["event"] == "agent.joined"
    assert joined["agent"] is None  # Microsoft's accept activity names no rep
    assert joined["dynamics_event"] == "AgentAccepted"
    assert said == {
        "event": "agent.message",
        "event_id": said["event_id"],
        "session_id": "sess-chat",
        "occurred_at": said["occurred_at"],
        "agent": {"name": "Avery Agent"},
        "text": "Hello, Avery here.",
        "attachments": [],
        "dynamics_event": None,
    }
    assert state(chat) == ("active", "Avery Agent")


def test_it_relays_the_reps_attachments(chat, with_callback, dynamics_posts):
    file = {"contentType": "image/jpeg", "contentUrl": "https://files.example/1", "content": None,
            "name": "issue (1).jpg", "thumbnailUrl": None}  # fmt: skip

    dynamics_posts(ACCEPTED, rep_says("", attachments=[file]))

    said = events_for(chat)[-1]
    assert said["attachments"] == [
        {"name": "issue (1).jpg", "content_type": "image/jpeg", "url": "https://files.example/1"}
    ]


def test_it_announces_a_rep_once_though_accepted_and_assigned(chat, with_callback, dynamics_posts):
    dynamics_posts(event("AgentAssigned"), ACCEPTED, rep_says("hi"))

    assert [e["event"] for e in events_for(chat)] == ["agent.joined", "agent.message"]


def test_it_announces_a_join_first_when_the_accept_never_came(chat, with_callback, dynamics_posts):
    dynamics_posts(rep_says("Sorry for the wait."))

    joined, said = events_for(chat)
    assert (joined["event"], joined["agent"]) == ("agent.joined", {"name": "Avery Agent"})
    assert said["text"] == "Sorry for the wait."


def test_it_relays_typing_while_the_chat_is_open(chat, with_callback, dynamics_posts):
    typing = {"type": "typing", "channelId": "MessagingApi", "conversation": {"id": CONVERSATION},
              "recipient": {"id": "sess-chat"}, "id": "1732000000500"}  # fmt: skip

    dynamics_posts(ACCEPTED, typing)

    assert [e["event"] for e in events_for(chat)] == ["agent.joined", "agent.typing"]


def test_it_follows_a_transfer_to_a_queue_and_the_next_rep(chat, with_callback, dynamics_posts):
    dynamics_posts(ACCEPTED, rep_says("Let me find a colleague."))
    dynamics_posts(event("TransferToQueueInitiated"))
    assert state(chat)[0] == "waiting"

    blake = {"from": {"id": "u2", "name": "Blake"}}
    dynamics_posts(event("TransferAgentAcceptSession"), rep_says("Hi, Blake here.", **blake))

    names = [(e["event"], e["dynamics_event"]) for e in events_for(chat)]
    assert names[2:] == [
        ("conversation.transferred", "TransferToQueueInitiated"),
        ("agent.joined", "TransferAgentAcceptSession"),
        ("agent.message", None),
    ]
    assert state(chat) == ("active", "Blake")


def test_it_ends_the_chat_once_whatever_closes_it(chat, with_callback, dynamics_posts):
    dynamics_posts(ACCEPTED, rep_says("Bye!"), event("AgentClosed"), event("ConversationClosed"))

    ended = events_for(chat)[-1]
    assert [e["event"] for e in events_for(chat)] == [
        "agent.joined", "agent.message", "conversation.ended"]  # fmt: skip
    assert (ended["agent"], ended["dynamics_event"]) == ({"name": "Avery Agent"}, "AgentClosed")
    assert state(chat)[0] == "ended"


def test_it_sends_events_signed_and_as_documented(chat, with_callback, directory, dynamics_posts):
    receiver = directory.mock.post(CALLBACK, status=204)

    dynamics_posts(ACCEPTED, rep_says("Hello"), event("ConversationClose"))

    assert len(receiver.calls) == 3  # each sent as its activity was relayed
    for call in receiver.calls:
        headers, raw = dict(call.request.headers), call.request.body
        body = json.loads(raw)
        assert event_problems(body["event"], body, headers) == []
        assert body["event_id"] == headers["X-OpenCX-Event-Id"]
        signing.verify([chat.tenant.webhook_secret], headers[signing.TIMESTAMP_HEADER],
                       headers[signing.SIGNATURE_HEADER], [raw])  # fmt: skip


def test_it_shows_the_rep_in_the_status_document(chat, webhook, dynamics_posts):
    dynamics_posts(ACCEPTED, rep_says("Hello"))

    block = webhook.status("sess-chat").json()["live_chat"]

    assert block == {"conversation_id": CONVERSATION, "state": "active",
                     "agent": {"name": "Avery Agent"}}  # fmt: skip


def test_it_moves_the_state_without_a_callback_url(chat, dynamics_posts):
    dynamics_posts(ACCEPTED, rep_says("Hello"), event("AgentEndSession"))

    assert state(chat) == ("ended", "Avery Agent")
    assert list(RepActivity.objects.values_list("outcome", flat=True)) == [
        "agent.joined", "agent.message", "conversation.ended"]  # fmt: skip
