"""Messaging API refusals become catalogue errors, wherever the body puts the 300xx code."""

from __future__ import annotations

import pytest

from handoffs.errors import CATALOGUE
from handoffs.tasks import process_handoff
from tests.handoffs.delivery.conftest import new_session
from tests.handoffs.livechat.conftest import CONTACT, problem

NOT_LINKED = "The specified channel configuration isn't linked to a workstream."


def handoff(tenant, org):
    org.contact_found(CONTACT)
    session = new_session(tenant, "whatsapp")
    process_handoff(session.pk)
    session.refresh_from_db()
    return session


# Microsoft's page names the codes "in the response body" without saying where: every reading.
@pytest.mark.parametrize(
    "body",
    [
        problem(400, NOT_LINKED, errorCode=30014),
        problem(400, NOT_LINKED, errorCode="30014"),
        problem(400, NOT_LINKED, ErrorCode=30014),
        problem(400, NOT_LINKED, code="30014"),
        {**problem(400, NOT_LINKED), "title": "30014"},
        problem(400, f"30014: {NOT_LINKED}"),
        {
            "Type": "about:blank",
            "Title": "Bad Request",
            "Status": 400,
            "Detail": f"30014 {NOT_LINKED}",
        },
        {"error": {"code": 30014, "message": NOT_LINKED}},
    ],
    ids=["errorCode", "errorCode-text", "ErrorCode", "code", "title", "detail", "Pascal", "nested"],
)
def test_it_reads_the_code_wherever_the_body_puts_it(tenant, org, messaging, body):
    messaging.refuse(
        400, body, headers={"x-ms-correlation-id": "c0ffee00-0000-4000-8000-000000000001"}
    )

    session = handoff(tenant, org)

    assert session.status == "failed"
    assert session.last_error_code == "messaging_no_workstream"
    assert "code 30014" in session.last_error_message
    assert "c0ffee00-0000-4000-8000-000000000001" in session.last_error_message
    assert CATALOGUE["messaging_no_workstream"].fix in session.last_error_message


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (400, 30001, "messaging_organization_invalid"),
        (400, 30002, "messaging_channel_invalid"),
        (404, 30004, "messaging_channel_not_found"),
        (404, 30013, "messaging_conversation_not_found"),
        (400, 30010, "messaging_context_too_large"),
        (400, 30012, "messaging_bad_request"),
        (404, None, "messaging_not_found"),
        (403, None, "messaging_rejected"),
    ],
)
def test_it_fails_with_the_entry_for_each_refusal(tenant, org, messaging, status, code, expected):
    extra = {"errorCode": code} if code else {}
    messaging.refuse(status, problem(status, "Refused.", **extra))

    session = handoff(tenant, org)

    assert session.status == "failed"
    assert session.last_error_code == expected


def test_it_waits_as_long_as_a_429_asks(tenant, org, messaging):
    messaging.refuse(429, problem(429, "Too many requests."), headers={"Retry-After": "7"})

    session = handoff(tenant, org)

    assert session.status == "retrying"
    assert session.last_error_code == "messaging_rate_limited"
    scheduled = session.events.get(kind="retry_scheduled").detail
    assert scheduled["retry_after"] == 7.0


@pytest.mark.parametrize("status", [500, 502, 503])
def test_it_retries_a_server_error(tenant, org, messaging, status):
    messaging.refuse(status, problem(status, "The omnichannel service failed."))

    session = handoff(tenant, org)

    assert session.status == "retrying"
    assert session.last_error_code == "messaging_unavailable"


def test_it_drops_the_token_after_a_401_and_tries_once_more(tenant, org, messaging, dynamics):
    messaging.refuse(401, None)
    messaging.started()

    session = handoff(tenant, org)

    assert session.status == "done"
    assert len(messaging.creates()) == 2
    messaging_tokens = [
        c for c in dynamics.token_calls() if "-c.crm.dynamics.com" in c.request.body
    ]
    assert len(messaging_tokens) == 2


def test_it_fails_with_a_fix_after_the_second_401(tenant, org, messaging):
    messaging.refuse(401, None)
    messaging.refuse(401, None)
    messaging.started()

    session = handoff(tenant, org)

    assert session.status == "failed"
    assert session.last_error_code == "messaging_unauthorized"
    assert "msdyn_appid" in session.last_error_message
    assert len(messaging.creates()) == 2


def test_it_fails_when_the_answer_has_no_conversation_id(tenant, org, messaging):
    messaging.answer(lambda request: (200, {}, '{"isNew": true}'))

    session = handoff(tenant, org)

    assert session.status == "failed"
    assert session.last_error_code == "messaging_unexpected_response"


def test_it_waits_as_failed_when_the_channel_is_not_configured(tenant, org, messaging, live_chat):
    live_chat.channel_id = None
    live_chat.save()

    session = handoff(tenant, org)

    assert session.status == "failed"
    assert session.last_error_code == "live_chat_not_configured"
    assert messaging.creates() == []
