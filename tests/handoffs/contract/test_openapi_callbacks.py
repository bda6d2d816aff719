"""Callbacks leave as documented: the status document and every event, signed, with headers."""

from __future__ import annotations

import json
import uuid

import pytest
import responses

from handoffs import channels
from handoffs.channels import sample_handoff
from handoffs.inbound import signing
from handoffs.inbound.intake import accept
from handoffs.inbound.status import status_document
from handoffs.lifecycle import outbox
from handoffs.models import HandoffSession, OutboundEvent
from tests.handoffs.contract.openapi import document, event_problems, schema_errors

CALLBACK = "https://opencx.example.com/hooks/dynamics"


@pytest.fixture
def with_callback(tenant):
    tenant.callback_url = CALLBACK
    tenant.save()
    return tenant


def _send(session: HandoffSession, name: str, body: dict) -> tuple[dict, dict[str, str], bytes]:
    """Record one event through the outbox, deliver it, and return what the receiver got."""
    session = HandoffSession.objects.select_related("tenant").get(pk=session.pk)
    event = outbox.record(session, name, body)
    if "event_id" in body:  # producers put the outbox's event id in the body
        OutboundEvent.objects.filter(pk=event.pk).update(
            body={**body, "event_id": str(event.event_id)}
        )
    with responses.RequestsMock() as mock:
        receiver = mock.post(CALLBACK, status=204)
        assert outbox.send_pending(session.pk) == 1
    sent = receiver.calls[0].request
    return json.loads(sent.body), dict(sent.headers), sent.body


def _verify(tenant, headers: dict[str, str], raw: bytes) -> None:
    signing.verify(
        [tenant.webhook_secret],
        headers[signing.TIMESTAMP_HEADER],
        headers[signing.SIGNATURE_HEADER],
        [raw],
    )


def test_it_sends_a_done_case_status_callback_as_documented(with_callback):
    session, _ = accept(with_callback, sample_handoff("phone", "sess-cb-done"))
    HandoffSession.objects.filter(pk=session.pk).update(
        status="done",
        target="incident",
        dynamics365_incident_id=uuid.uuid4(),
        dynamics365_ticket_number="CAS-01001-K7Q2ZP",
        dynamics365_contact_id=uuid.uuid4(),
        record_url="https://contoso.crm.dynamics.com/main.aspx?etn=incident&id=1",
    )
    session.refresh_from_db()

    body, headers, raw = _send(session, OutboundEvent.STATUS, status_document(session))

    assert event_problems("status", body, headers) == []
    _verify(with_callback, headers, raw)


def test_it_sends_a_failed_status_callback_as_documented(with_callback):
    session, _ = accept(with_callback, sample_handoff("sms", "sess-cb-failed"))
    HandoffSession.objects.filter(pk=session.pk).update(
        status="failed",
        last_error_code="integration_not_configured",
        last_error_message="This tenant has no Dynamics 365 connection yet.",
    )
    session.refresh_from_db()

    body, headers, _ = _send(session, OutboundEvent.STATUS, status_document(session))

    assert body["error"]["code"] == "integration_not_configured"
    assert event_problems("status", body, headers) == []


@pytest.mark.parametrize("code", channels.CODES)
def test_it_produces_a_documented_status_document_for_every_channel(tenant, code):
    session, _ = accept(tenant, sample_handoff(code, f"sess-doc-{code}"))

    document_ = status_document(HandoffSession.objects.get(pk=session.pk))

    assert schema_errors("/components/schemas/StatusDocument", document_) == []


@pytest.mark.parametrize(
    ("name", "schema"),
    [
        ("agent.joined", "AgentEvent"),
        ("agent.message", "AgentEvent"),
        ("agent.typing", "AgentEvent"),
        ("conversation.transferred", "AgentEvent"),
        ("conversation.ended", "AgentEvent"),
        ("case.updated", "CaseUpdatedEvent"),
    ],
)
def test_it_sends_each_event_with_the_documented_headers_and_body(with_callback, name, schema):
    session, _ = accept(with_callback, sample_handoff("web", f"sess-ev-{name}"))
    example = dict(document()["components"]["schemas"][schema]["examples"][0], event=name)

    body, headers, raw = _send(session, name, example)

    assert event_problems(name, body, headers) == []
    assert body == {**example, "event_id": headers["X-OpenCX-Event-Id"]}
    _verify(with_callback, headers, raw)


def test_it_notices_an_event_body_that_breaks_the_document():
    body = {"event": "case.updated", "session_id": "s", "state": "closed"}
    headers = {"X-OpenCX-Event": "case.updated", "X-OpenCX-Event-Id": str(uuid.uuid4())}

    problems = event_problems("case.updated", body, headers)

    assert any("'closed' is not one of" in p for p in problems)
    assert any("'event_id' is a required property" in p for p in problems)
