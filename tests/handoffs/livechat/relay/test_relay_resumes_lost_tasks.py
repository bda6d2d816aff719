"""A task lost with a worker (or a broker) leaves nothing stranded: the sweeper resumes the
senders of waiting customer messages and the relays of waiting rep activities."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from handoffs.lifecycle.sweeper import resume_stalled
from handoffs.models import CustomerMessage, RepActivity
from tests.handoffs.livechat.conftest import CONVERSATION
from tests.handoffs.livechat.relay.conftest import CALLBACK, events_for


def test_it_sends_a_customer_message_whose_task_was_lost(customer, chat, api):
    api.takes()
    customer.says("m1", "still there?")  # its task never ran (the test's commit never happens)
    CustomerMessage.objects.update(received_at=timezone.now() - timedelta(minutes=2))

    resume_stalled()  # tasks run inline in tests

    assert CustomerMessage.objects.get().delivered_at is not None
    assert [a["text"] for a in api.sent()] == ["still there?"]


def test_it_leaves_a_message_whose_sender_still_holds_the_lease(customer, chat, api):
    customer.says("m1", "still there?")
    CustomerMessage.objects.update(
        received_at=timezone.now() - timedelta(minutes=2),
        sending_until=timezone.now() + timedelta(minutes=1),
    )

    resume_stalled()

    assert api.sent() == []


def test_it_relays_an_activity_whose_task_was_lost(chat, with_callback, dynamics):
    receiver = dynamics.mock.post(CALLBACK, status=204)
    RepActivity.objects.create(
        tenant=chat.tenant,
        session=chat,
        conversation_id=CONVERSATION,
        dedupe_key="id:1",
        activity={"type": "event", "name": "AgentAccepted"},
        received_at=timezone.now() - timedelta(minutes=2),
    )

    resume_stalled()

    assert [e["event"] for e in events_for(chat)] == ["agent.joined"]
    assert len(receiver.calls) == 1
