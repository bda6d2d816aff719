"""Activities reach the webhook in order, retried on failure, every attempt logged."""

from __future__ import annotations

import socket

import pytest

from dataverse_sandbox.messaging import channel, rep
from dataverse_sandbox.messaging.channel import faults_for
from dataverse_sandbox.messaging.faults import set_faults
from dataverse_sandbox.messaging.models import Conversation, Delivery


@pytest.fixture
def chat(messaging) -> Conversation:
    return Conversation.objects.get(id=messaging.create("sess-1")["conversationId"])


def attempts(delivery: Delivery) -> list:
    return [t.status or t.error for t in delivery.tries.all()]


def test_it_posts_to_the_conversations_activities_path(chat, deliver, receiver):
    deliver(rep.accept, chat)

    assert [r.path for r in receiver.received] == [
        f"/hooks/dynamics/key-1/v3/conversations/{chat.id}/activities"
    ]
    assert Delivery.objects.get().state == Delivery.DELIVERED


def test_it_retries_a_500_until_a_2xx(chat, deliver, receiver):
    receiver.answers = [500, 503]

    deliver(rep.accept, chat)

    delivery = Delivery.objects.get()
    assert attempts(delivery) == [500, 503, 200]
    assert delivery.state == Delivery.DELIVERED
    assert len({r.body["id"] for r in receiver.received}) == 1  # the same activity each time


def test_it_gives_up_after_three_retries(chat, deliver, receiver):
    receiver.answers = [500] * 10

    deliver(rep.accept, chat)

    delivery = Delivery.objects.get()
    assert attempts(delivery) == [500, 500, 500, 500]
    assert delivery.state == Delivery.FAILED


def test_it_can_read_three_retries_as_three_attempts(chat, deliver, receiver, org):
    channel.configure(org, webhook_attempts=3)
    receiver.answers = [500] * 10

    deliver(rep.accept, chat)

    assert attempts(Delivery.objects.get()) == [500, 500, 500]


def test_it_logs_a_refused_connection_and_still_sends_what_follows(chat, deliver, org):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    channel.configure(org, webhook_url=f"http://127.0.0.1:{port}/hook", webhook_attempts=2)

    deliver(rep.accept, chat)
    deliver(rep.say, chat, "Hello")

    deliveries = list(Delivery.objects.order_by("id"))
    assert [d.state for d in deliveries] == [Delivery.FAILED, Delivery.FAILED]
    assert attempts(deliveries[1]) == ["ConnectionError", "ConnectionError"]


def test_it_keeps_the_order_of_the_reps_actions(chat, deliver, receiver):
    deliver(rep.accept, chat)
    for text in ("one", "two", "three"):
        deliver(rep.say, chat, text)
    deliver(rep.close, chat)

    bodies = receiver.bodies()
    sequence = [b.get("name") or b.get("text") for b in bodies]
    assert sequence == ["AgentAccepted", "one", "two", "three", "AgentClosed", "ConversationClosed"]
    activity_ids = [int(b["id"]) for b in bodies]
    assert activity_ids == sorted(set(activity_ids))  # distinct and increasing


def test_it_can_send_every_activity_twice_for_dedupe_tests(chat, deliver, receiver, org):
    set_faults(faults_for(org), duplicate_deliveries=True)

    deliver(rep.accept, chat)
    deliver(rep.say, chat, "Hello")

    ids = [b["id"] for b in receiver.bodies()]
    assert len(ids) == 4
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[0] != ids[2]
    assert [t.duplicate for t in Delivery.objects.last().tries.all()] == [False, True]
