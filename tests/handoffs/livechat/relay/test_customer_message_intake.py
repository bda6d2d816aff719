"""OpenCX posts a customer's message to a live chat: stored once, in order, or refused clearly."""

from __future__ import annotations

import json

import pytest

from handoffs.inbound import signing
from handoffs.models import CustomerMessage, HandoffSession
from tests.handoffs.delivery.conftest import new_session
from tests.handoffs.livechat.relay.conftest import open_chat


def stored(session_id: str = "sess-chat") -> list[tuple[int, str, str, str]]:
    rows = CustomerMessage.objects.filter(session__session_id=session_id).order_by("sequence")
    return [(m.sequence, m.message_id, m.kind, m.text) for m in rows]


def test_it_queues_a_message_for_the_rep(customer, chat):
    response = customer.says("m1", "My order never arrived.")

    assert response.status_code == 202
    assert response.json() == {"session_id": "sess-chat", "message_id": "m1", "status": "queued"}
    assert stored() == [(1, "m1", "message", "My order never arrived.")]


def test_it_keeps_messages_in_the_order_received(customer, chat):
    for n, text in enumerate(["one", "two", "three"], start=1):
        customer.says(f"m{n}", text)

    assert stored() == [(1, "m1", "message", "one"), (2, "m2", "message", "two"),
                        (3, "m3", "message", "three")]  # fmt: skip


def test_it_answers_a_repeated_message_id_with_200_and_stores_nothing(customer, chat):
    customer.says("m1", "hello")

    again = customer.says("m1", "hello (retried)")

    assert again.status_code == 200
    assert again.json()["status"] == "queued"
    assert stored() == [(1, "m1", "message", "hello")]


def test_it_keeps_attachments_and_the_customers_timestamp(customer, chat):
    file = {"name": "receipt.png", "content_type": "image/png", "url": "https://f.example/r.png"}

    customer.says("m1", "", attachments=[file], timestamp="2026-11-23T14:04:00Z")

    message = CustomerMessage.objects.get()
    assert message.attachments == [file]
    assert message.sent_at.isoformat() == "2026-11-23T14:04:00+00:00"


def test_it_ends_the_chat_on_end_and_refuses_what_follows(customer, chat):
    assert customer.post({"message_id": "bye", "type": "end"}).status_code == 202
    chat.refresh_from_db()
    assert chat.live_chat_state == "ended"

    late = customer.says("m2", "one more thing")

    assert late.status_code == 409
    assert late.json()["error"]["code"] == "conversation_ended"
    assert "new session_id" in late.json()["error"]["message"]
    assert [kind for _, _, kind, _ in stored()] == ["end"]


def test_it_answers_a_retried_end_with_200_not_409(customer, chat):
    customer.post({"message_id": "bye", "type": "end"})

    again = customer.post({"message_id": "bye", "type": "end"})

    assert again.status_code == 200


def test_it_answers_409_for_a_session_that_is_not_a_live_chat(customer, tenant, live_chat):
    session = new_session(tenant, "phone", "sess-phone")
    HandoffSession.objects.filter(pk=session.pk).update(status="done", target="incident")

    response = customer.says("m1", "hello", session_id="sess-phone")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_live_chat"
    assert CustomerMessage.objects.count() == 0


def test_it_accepts_messages_before_the_conversation_is_open(customer, tenant, live_chat):
    new_session(tenant, "web", "sess-early")  # the handoff has not run yet: chats become live chats

    response = customer.says("m1", "are you there?", session_id="sess-early")

    assert response.status_code == 202
    assert stored("sess-early") == [(1, "m1", "message", "are you there?")]


def test_it_answers_404_for_an_unknown_session(customer, chat):
    response = customer.says("m1", "hello", session_id="never-handed-off")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_session"


def test_it_refuses_text_longer_than_the_messaging_api_takes(customer, chat):
    response = customer.says("m1", "x" * 6001)

    assert response.status_code == 400
    detail = response.json()["error"]["details"]["text"]
    assert "6,001 characters, at most 6,000" in detail
    assert "Split it into several messages" in detail
    assert stored() == []


def test_it_takes_text_of_exactly_6000_characters(customer, chat):
    assert customer.says("m1", "x" * 6000).status_code == 202


def test_it_counts_an_emoji_as_two_characters_as_dotnet_does(customer, chat):
    response = customer.says("m1", "x" * 5999 + "🙂")

    assert response.status_code == 400
    assert "6,001 characters" in response.json()["error"]["details"]["text"]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"type": "message", "text": "hi"}, "message_id", "Required"),
        ({"message_id": "a\nb", "type": "message", "text": "hi"}, "message_id", "U+000A"),
        ({"message_id": "m1", "type": "chat", "text": "hi"}, "type", "message, typing, end"),
        ({"message_id": "m1", "type": "message", "text": "  "}, "text", "text or attachments"),
        ({"message_id": "m1", "type": "message", "text": 5}, "text", "Must be a string"),
        ({"message_id": "m1", "type": "message", "attachments": [{"name": "a"}]},
         "attachments[0]", "content_type is required"),
        ({"message_id": "m1", "type": "message", "text": "hi", "timestamp": "noon"},
         "timestamp", "ISO-8601"),
    ],
    ids=["no id", "control character", "type", "empty", "text type", "attachment", "timestamp"],
)  # fmt: skip
def test_it_names_each_bad_field(customer, chat, body, field, words):
    response = customer.post(body)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_payload"
    assert words in response.json()["error"]["details"][field]
    assert stored() == []


def test_it_refuses_a_message_signed_with_another_secret(customer, chat):
    response = customer.post({"message_id": "m1", "type": "message", "text": "hi"},
                             secret="not-the-secret")  # fmt: skip

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_signature"
    assert stored() == []


def test_it_refuses_a_control_character_in_the_session_id(customer, tenant, live_chat):
    open_chat(tenant, "a\x1bb")

    response = customer.says("m1", "hi", session_id="a%1Bb")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_session_id"


def test_it_reads_a_status_through_get_for_a_session_id_ending_in_messages(customer, tenant):
    new_session(tenant, "phone", "x/messages")
    path = customer.url("x")
    headers = signing.signed_headers(tenant.webhook_secret, path.encode())
    response = customer.client.get(path, headers=headers)

    assert response.status_code == 200
    assert response.json()["session_id"] == "x/messages"


def test_it_refuses_a_body_that_is_not_json(customer, chat):
    response = customer.post(b'{"message_id": ')

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"
    assert json.loads(response.content)["error"]["details"]["body"]
