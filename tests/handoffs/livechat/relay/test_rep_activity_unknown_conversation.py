"""An activity for a conversation no session knows is answered 200 and kept, never crashed on;
a session that stores that conversation later relays it."""

from __future__ import annotations

from handoffs.livechat.handoff import remember_conversation
from handoffs.models import HandoffEvent, RepActivity
from tests.handoffs.delivery.conftest import new_session
from tests.handoffs.livechat.conftest import CONVERSATION
from tests.handoffs.livechat.relay.conftest import ACCEPTED, events_for


def test_it_answers_200_and_keeps_the_activity(tenant, with_callback, dynamics_posts):
    dynamics_posts(ACCEPTED)  # asserts the 200

    kept = RepActivity.objects.get()
    assert (kept.session, kept.outcome) == (None, "unknown conversation")
    assert str(kept.conversation_id) == CONVERSATION
    assert not HandoffEvent.objects.filter(kind=HandoffEvent.Kind.DYNAMICS_ACTIVITY).exists()


def test_it_relays_it_once_the_handoff_stores_the_conversation(
    tenant, with_callback, dynamics_posts
):
    session = new_session(tenant, "web", "sess-late")
    dynamics_posts(ACCEPTED)  # before the handoff stored the conversation's id

    remember_conversation(session, CONVERSATION, None)  # tasks run inline in tests

    assert [e["event"] for e in events_for(session)] == ["agent.joined"]
    session.refresh_from_db()
    assert session.live_chat_state == "active"
