"""Dynamics delivers an activity again when it thinks it failed: OpenCX still hears it once."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from handoffs.models import RepActivity
from handoffs.tasks import relay_rep_activities
from tests.handoffs.livechat.relay.conftest import ACCEPTED, events_for, rep_says


def test_it_relays_an_activity_with_an_id_once(chat, with_callback, dynamics_posts):
    with_id = rep_says("Hello", id="1732000000123", timestamp="2026-11-23T14:03:12.123Z")

    dynamics_posts(ACCEPTED, with_id, with_id, with_id)

    assert [e["text"] for e in events_for(chat)] == ["", "Hello"]
    assert events_for(chat)[1]["occurred_at"] == "2026-11-23T14:03:12.123000+00:00"


def test_it_relays_a_repeat_without_id_once_within_the_window(chat, with_callback, dynamics_posts):
    dynamics_posts(ACCEPTED, rep_says("ok"), rep_says("ok"))

    assert [e["event"] for e in events_for(chat)] == ["agent.joined", "agent.message"]


def test_it_relays_the_same_words_again_after_the_window(chat, with_callback, dynamics_posts):
    dynamics_posts(ACCEPTED, rep_says("ok"))
    RepActivity.objects.update(received_at=timezone.now() - timedelta(minutes=3))

    dynamics_posts(rep_says("ok"))

    assert [e["text"] for e in events_for(chat)] == ["", "ok", "ok"]


def test_it_relays_nothing_twice_when_the_task_runs_again(chat, with_callback, dynamics_posts):
    dynamics_posts(ACCEPTED, rep_says("Hello"))

    assert relay_rep_activities(chat.pk) == 0

    assert len(events_for(chat)) == 2
