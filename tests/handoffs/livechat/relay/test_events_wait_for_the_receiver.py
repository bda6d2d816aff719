"""While OpenCX's callback receiver is down, live-chat events wait; they leave in order, each
once, when it answers again."""

from __future__ import annotations

import json
from datetime import timedelta

import responses
from django.utils import timezone

from handoffs.lifecycle import outbox
from handoffs.models import OutboundEvent
from tests.handoffs.livechat.relay.conftest import ACCEPTED, CALLBACK, event, rep_says


def make_due(session) -> None:
    OutboundEvent.objects.filter(session=session, next_attempt_at__isnull=False).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def test_it_delivers_every_event_in_order_once_the_receiver_is_back(
    chat, with_callback, directory, dynamics_posts
):
    down = [directory.mock.post(CALLBACK, status=503) for _ in range(3)]
    dynamics_posts(ACCEPTED, rep_says("one"), rep_says("two"), event("AgentClosed"))
    assert sum(len(r.calls) for r in down) == 1  # the first event failed; the rest wait behind it
    assert OutboundEvent.objects.filter(delivered_at__isnull=False).count() == 0

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.post(CALLBACK, status=503)
        mock.post(CALLBACK, status=503)
        up = mock.post(CALLBACK, status=200)
        for _ in range(5):  # the scheduled retries
            make_due(chat)
            outbox.send_pending(chat.pk)

    received = [(b["event"], b["text"]) for b in map(_body, up.calls)]
    assert received == [
        ("agent.joined", ""),
        ("agent.message", "one"),
        ("agent.message", "two"),
        ("conversation.ended", ""),
    ]


def _body(call) -> dict:
    return json.loads(call.request.body)
