"""A finished session is reported to the tenant's callback URL, signed, retried and audited."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import responses
from django.utils import timezone
from django_q.models import Schedule

from handoffs.inbound import signing
from handoffs.lifecycle import outbox
from handoffs.models import HandoffSession, OutboundEvent
from handoffs.tasks import process_handoff, send_events
from tests.handoffs.delivery.conftest import TICKET, new_session, send_status_callback

CALLBACK = "https://opencx.example.com/hooks/dynamics?token=receiver-token"
CONTACT = "0f8b3c2a-1111-4aaa-8bbb-000000000001"


@pytest.fixture
def with_callback(tenant):
    tenant.callback_url = CALLBACK
    tenant.save()
    return tenant


def test_it_posts_the_signed_status_document_when_the_case_is_done(
    with_callback, org, dynamics, django_capture_on_commit_callbacks
):
    org.contact_found(CONTACT)
    org.case_created()
    receiver = dynamics.mock.post(CALLBACK, status=204)
    session = new_session(with_callback, "phone")

    with django_capture_on_commit_callbacks(execute=True):
        process_handoff(session.pk)

    sent = receiver.calls[0].request
    document = json.loads(sent.body)
    signing.verify(
        [with_callback.webhook_secret],
        sent.headers[signing.TIMESTAMP_HEADER],
        sent.headers[signing.SIGNATURE_HEADER],
        [sent.body],
    )
    assert document["status"] == "done"
    assert document["dynamics365_ticket_number"] == TICKET
    assert document["record_url"].startswith("https://contoso.crm.dynamics.com/main.aspx")
    assert sent.headers["X-OpenCX-Event"] == "status"
    event = HandoffSession.objects.get().events.get(kind="callback_sent")
    assert event.detail["status"] == 204
    assert event.detail["url"] == "https://opencx.example.com/hooks/dynamics"
    assert event.detail["event_id"] == sent.headers["X-OpenCX-Event-Id"]
    assert HandoffSession.objects.get().callback_delivered_at is not None


def test_it_reports_a_failed_session_too(
    with_callback, webhook, phone_body, django_capture_on_commit_callbacks
):
    with responses.RequestsMock() as mock:
        receiver = mock.post(CALLBACK, status=200)
        webhook.post(phone_body)
        with django_capture_on_commit_callbacks(execute=True):
            process_handoff(HandoffSession.objects.get().pk)

    document = json.loads(receiver.calls[0].request.body)
    assert document["status"] == "failed"
    assert document["error"]["code"] == "integration_not_configured"


def test_it_retries_a_refused_callback_and_audits_each_attempt(with_callback):
    session = new_session(with_callback, "phone")
    with responses.RequestsMock() as mock:
        mock.post(CALLBACK, status=503)
        assert send_status_callback(session) is False
        OutboundEvent.objects.update(next_attempt_at=timezone.now())  # the retry is due
        send_events(session.pk)

    failures = [e.detail for e in session.events.filter(kind="callback_failed")]
    assert [(f["attempt"], f["status"], f["will_retry"]) for f in failures] == [
        (1, 503, True),
        (2, 503, True),
    ]
    scheduled = Schedule.objects.filter(func="handoffs.tasks.send_events")
    assert [s.args for s in scheduled] == [f"({session.pk},)"] * 2
    assert "receiver-token" not in json.dumps(failures)


def test_it_keeps_a_later_event_behind_an_undelivered_one(with_callback):
    session = new_session(with_callback, "phone")
    with responses.RequestsMock() as mock:
        receiver = mock.post(CALLBACK, status=500)
        outbox.record(session, "agent.joined", {"event": "agent.joined", "n": 1})
        outbox.record(session, "agent.message", {"event": "agent.message", "n": 2})
        send_events(session.pk)
        assert [json.loads(c.request.body)["n"] for c in receiver.calls] == [1]

        mock.replace(responses.POST, CALLBACK, status=204)
        OutboundEvent.objects.update(next_attempt_at=timezone.now())
        send_events(session.pk)
        assert [json.loads(c.request.body)["n"] for c in mock.calls] == [1, 1, 2]

    assert not OutboundEvent.objects.filter(delivered_at__isnull=True).exists()


def test_it_gives_up_on_an_event_older_than_the_maximum_age(with_callback, settings):
    settings.CALLBACK_MAX_AGE_HOURS = 1
    session = new_session(with_callback, "phone")
    event = outbox.record(session, "agent.message", {"event": "agent.message"})
    OutboundEvent.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(hours=2))
    with responses.RequestsMock() as mock:
        mock.post(CALLBACK, status=500)
        send_events(session.pk)

    event.refresh_from_db()
    assert event.given_up_at is not None
    assert session.events.get(kind="callback_failed").detail["will_retry"] is False
    assert not Schedule.objects.filter(func="handoffs.tasks.send_events").exists()


def test_it_refuses_a_callback_played_back_into_the_webhook(with_callback, webhook):
    session = new_session(with_callback, "phone")
    with responses.RequestsMock() as mock:
        receiver = mock.post(CALLBACK, status=204)
        send_status_callback(session)
    captured = receiver.calls[0].request
    replay = {
        signing.TIMESTAMP_HEADER: captured.headers[signing.TIMESTAMP_HEADER],
        signing.SIGNATURE_HEADER: captured.headers[signing.SIGNATURE_HEADER],
    }

    response = webhook.post(captured.body, headers=replay)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_signature"
    assert "callback" in response.json()["error"]["message"]
