"""Each activity Dynamics posts lands once on its session, whichever documented shape it has."""

from __future__ import annotations

import pytest

from handoffs.models import HandoffEvent, HandoffSession
from tests.handoffs.delivery.conftest import new_session
from tests.handoffs.livechat.conftest import CONVERSATION
from tests.handoffs.livechat.webhook_helpers import post_activity

REP_MESSAGE = {
    "type": "message",
    "id": "1732000000123",
    "channelId": "7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f",
    "from": {"id": "rep-1", "name": "Avery Agent"},
    "conversation": {"id": CONVERSATION},
    "textFormat": "markdown",
    "text": "Hello, Avery here.",
    "attachments": [{"contentType": "image/png", "contentUrl": "https://files/1", "name": "a.png"}],
}


@pytest.fixture
def chat(tenant) -> HandoffSession:
    session = new_session(tenant, "whatsapp")
    HandoffSession.objects.filter(pk=session.pk).update(
        dynamics365_chat_id=CONVERSATION, target="live_chat", live_chat_state="waiting"
    )
    return session


def activities(session: HandoffSession) -> list[dict]:
    return [e.detail for e in session.events.filter(kind=HandoffEvent.Kind.DYNAMICS_ACTIVITY)]


def test_it_records_a_reps_message_on_its_session(client, live_chat, directory, chat):
    response = post_activity(client, live_chat, CONVERSATION, REP_MESSAGE, directory.token())

    assert response.status_code == 200
    assert activities(chat) == [
        {
            "type": "message",
            "id": "1732000000123",
            "from_name": "Avery Agent",
            "text": "Hello, Avery here.",
            "attachments": [
                {"name": "a.png", "content_type": "image/png", "url": "https://files/1"}
            ],
        }
    ]


# The page's samples send events as messages with a name, its table as type "event", and a
# withdrawn version used PascalCase keys: all three are the same event.
@pytest.mark.parametrize(
    "body",
    [
        {"type": "message", "conversation": {"id": CONVERSATION}, "name": "AgentAccepted",
         "text": "EventName: **_AgentAccepted_**"},
        {"type": "event", "conversation": {"id": CONVERSATION}, "name": "AgentAccepted"},
        {"Type": "message", "Conversation": {"Id": CONVERSATION}, "Name": "AgentAccepted",
         "Text": "EventName: **_AgentAccepted_**", "ServiceUrl": "https://x"},
    ],
    ids=["sample", "table", "pascal"],
)  # fmt: skip
def test_it_reads_an_event_in_every_documented_shape(client, live_chat, directory, chat, body):
    post_activity(client, live_chat, CONVERSATION, body, directory.token())

    assert activities(chat) == [{"type": "event", "name": "AgentAccepted"}]


def test_it_records_a_redelivered_activity_once(client, live_chat, directory, chat):
    for _ in range(2):
        response = post_activity(client, live_chat, CONVERSATION, REP_MESSAGE, directory.token())
        assert response.status_code == 200

    assert len(activities(chat)) == 1


def test_it_answers_200_for_a_conversation_it_does_not_know(client, live_chat, directory, chat):
    other = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"

    response = post_activity(client, live_chat, other, REP_MESSAGE, directory.token())

    assert response.status_code == 200
    assert not HandoffEvent.objects.filter(kind=HandoffEvent.Kind.DYNAMICS_ACTIVITY).exists()


def test_it_refuses_a_body_that_is_not_an_activity(client, live_chat, directory, chat):
    response = post_activity(client, live_chat, CONVERSATION, ["not", "an", "object"],
                             directory.token())  # fmt: skip

    assert response.status_code == 400
    assert activities(chat) == []
