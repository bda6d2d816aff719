"""A finished session is reported to the tenant's callback URL, signed, retried and audited."""

from __future__ import annotations

import json

import responses
from django_q.models import Schedule

from handoffs.inbound import signing
from handoffs.models import HandoffSession
from handoffs.tasks import process_handoff, send_callback
from tests.handoffs.delivery.conftest import TICKET, new_session

CALLBACK = "https://opencx.example.com/hooks/dynamics?token=receiver-token"
CONTACT = "0f8b3c2a-1111-4aaa-8bbb-000000000001"


def test_it_posts_the_signed_status_document_when_the_case_is_done(tenant, org, dynamics):
    tenant.callback_url = CALLBACK
    tenant.save()
    org.contact_found(CONTACT)
    org.case_created()
    receiver = dynamics.mock.post(CALLBACK, status=204)
    session = new_session(tenant, "phone")

    process_handoff(session.pk)

    sent = receiver.calls[0].request
    document = json.loads(sent.body)
    signing.verify(
        [tenant.webhook_secret],
        sent.headers[signing.TIMESTAMP_HEADER],
        sent.headers[signing.SIGNATURE_HEADER],
        [sent.body],
    )
    assert document["status"] == "done"
    assert document["dynamics365_ticket_number"] == TICKET
    assert document["record_url"].startswith("https://contoso.crm.dynamics.com/main.aspx")
    event = HandoffSession.objects.get().events.get(kind="callback_sent")
    assert event.detail["status"] == 204
    assert event.detail["url"] == "https://opencx.example.com/hooks/dynamics"
    assert HandoffSession.objects.get().callback_delivered_at is not None


def test_it_reports_a_failed_session_too(tenant, webhook, phone_body):
    tenant.callback_url = CALLBACK
    tenant.save()
    with responses.RequestsMock() as mock:
        receiver = mock.post(CALLBACK, status=200)
        webhook.post(phone_body)
        process_handoff(HandoffSession.objects.get().pk)

    document = json.loads(receiver.calls[0].request.body)
    assert document["status"] == "failed"
    assert document["error"]["code"] == "integration_not_configured"


def test_it_retries_a_refused_callback_and_audits_each_attempt(tenant, webhook, phone_body):
    tenant.callback_url = CALLBACK
    tenant.save()
    with responses.RequestsMock() as mock:
        mock.post(CALLBACK, status=503)
        webhook.post(phone_body)
        session = HandoffSession.objects.get()
        process_handoff(session.pk)
        send_callback(session.pk, 2)

    failures = [e.detail for e in session.events.filter(kind="callback_failed")]
    assert [(f["attempt"], f["status"], f["will_retry"]) for f in failures] == [
        (1, 503, True),
        (2, 503, True),
    ]
    scheduled = Schedule.objects.filter(func="handoffs.tasks.send_callback")
    assert [s.args for s in scheduled] == [f"({session.pk}, 2)", f"({session.pk}, 3)"]
    assert "receiver-token" not in json.dumps(failures)


def test_it_stops_after_the_last_callback_attempt(tenant, webhook, phone_body, settings):
    settings.CALLBACK_MAX_ATTEMPTS = 1
    tenant.callback_url = CALLBACK
    tenant.save()
    with responses.RequestsMock() as mock:
        mock.post(CALLBACK, status=500)
        webhook.post(phone_body)
        process_handoff(HandoffSession.objects.get().pk)

    event = HandoffSession.objects.get().events.get(kind="callback_failed")
    assert event.detail["will_retry"] is False
    assert not Schedule.objects.filter(func="handoffs.tasks.send_callback").exists()
