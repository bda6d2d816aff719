"""A retried chat handoff finds its conversation instead of opening a second one."""

from __future__ import annotations

from django.utils import timezone

from handoffs.models import HandoffSession
from handoffs.tasks import process_handoff
from tests.handoffs.delivery.conftest import new_session
from tests.handoffs.livechat.conftest import CONTACT, CONVERSATION, problem


def run_again(session: HandoffSession) -> HandoffSession:
    """The scheduled retry, run now that it is due (the test settings run tasks inline)."""
    HandoffSession.objects.filter(pk=session.pk).update(next_attempt_at=timezone.now())
    process_handoff(session.pk)
    session.refresh_from_db()
    return session


def test_it_gets_the_same_conversation_when_the_first_answer_was_lost(tenant, org, messaging):
    org.contact_found(CONTACT)
    # The create landed, but its answer never came back as a success.
    messaging.refuse(503, problem(503, "The omnichannel service is temporarily unavailable."))
    messaging.started(is_new=False)
    session = new_session(tenant, "whatsapp")

    process_handoff(session.pk)
    session.refresh_from_db()
    assert session.status == "retrying"
    session = run_again(session)

    assert session.status == "done"
    assert str(session.dynamics365_chat_id) == CONVERSATION
    first, second = messaging.sent(0), messaging.sent(1)
    assert first == second  # same customerid and conversationrequestid: the same request
    assert second["customercontext"]["customerid"] == "sess-whatsapp"
    assert second["conversationrequestid"] == str(session.record_id)


def test_it_never_asks_again_once_the_conversation_is_stored(tenant, org, messaging):
    org.contact_found(CONTACT)
    messaging.started()
    org.dynamics.add("POST", "annotations", status=503, body={"error": {"code": "", "message": ""}})
    org.dynamics.add("POST", "annotations", status=204)
    long = [{"role": "customer", "text": "z" * 100} for _ in range(400)]
    session = new_session(tenant, "web", customer={"email": "a@example.com"}, transcript=long)

    process_handoff(session.pk)
    session.refresh_from_db()
    assert session.status == "retrying"
    assert str(session.dynamics365_chat_id) == CONVERSATION  # stored before the note failed
    assert session.live_chat_state == "waiting"
    session = run_again(session)

    assert session.status == "done"
    assert len(messaging.creates()) == 1


def test_it_changes_nothing_when_a_done_live_chat_runs_again(tenant, org, messaging):
    org.contact_found(CONTACT)
    messaging.started()
    session = new_session(tenant, "sms")
    process_handoff(session.pk)

    session = run_again(session)

    assert session.status == "done"
    assert len(messaging.creates()) == 1
