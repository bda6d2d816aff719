"""A chat handoff opens one Messaging API conversation that waits for a rep."""

from __future__ import annotations

import pytest

from handoffs.inbound.status import status_document
from handoffs.tasks import process_handoff
from tests.handoffs.delivery.conftest import new_session
from tests.handoffs.dynamics.fakes import ACCESS_TOKEN, ENVIRONMENT
from tests.handoffs.livechat.conftest import (
    CHANNEL_ID,
    CONTACT,
    CONVERSATION,
    CREATE,
    ORG_ID,
    SCOPE,
)

TRANSCRIPT = (
    "Channel: WhatsApp\nClassification: Product question\nSentiment: Positive\n\n"
    "Summary: Wants a bulk quote for 40 licences.\n\nCustomer: Kenji Watanabe\n"
    "Email: not given\nPhone: +819012345678\nOpenCX session: sess-whatsapp\n\nTranscript:\n"
    "[2026-11-23T14:00:00Z] Customer: Hi, do you do volume pricing?\n"
    "[2026-11-23T14:00:17Z] AI agent: Yes, for 25 seats and above. How many do you need?\n"
    "[2026-11-23T14:00:34Z] Customer: About 40. Can someone send a quote?"
)


def test_it_posts_the_documented_create_request(tenant, org, messaging, dynamics):
    org.contact_found(CONTACT)
    messaging.started()
    session = new_session(tenant, "whatsapp")

    process_handoff(session.pk)

    session.refresh_from_db()
    sent = messaging.creates()[0]
    assert sent.url == CREATE
    assert sent.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert sent.headers["channel-id"] == CHANNEL_ID
    assert sent.headers["organization-id"] == ORG_ID
    assert sent.headers["Content-Type"] == "application/json; charset=utf-8"
    assert messaging.sent() == {
        "customercontext": {
            "customerid": "sess-whatsapp",
            "firstname": "Kenji",
            "lastname": "Watanabe",
            "preferredname": "Kenji Watanabe",
            "phonenumber": "+819012345678",
        },
        "conversationcontext": {
            "channel": {"isDisplayable": True, "value": "WhatsApp"},
            "classification": {"isDisplayable": True, "value": "Product question"},
            "sentiment": {"isDisplayable": True, "value": "Positive"},
            "opencx_session_id": {"isDisplayable": False, "value": "sess-whatsapp"},
            "dynamics_contact_id": {"isDisplayable": False, "value": CONTACT},
        },
        "conversationrequestid": str(session.record_id),
        "startmessage": {"message": TRANSCRIPT, "displayname": "OpenCX AI agent"},
        "skipdeflectionbot": True,
    }
    scopes = [c.request.body for c in dynamics.token_calls()]
    assert any("scope=https%3A%2F%2F5a1b2c3d4e5f4a6b8c7d9e0f1a2b3c4d-c.crm.dynamics.com" in s
               for s in scopes), scopes  # fmt: skip
    assert SCOPE.endswith("/.default")


def test_it_stores_the_conversation_and_reports_it_waiting(tenant, org, messaging):
    org.contact_found(CONTACT)
    messaging.started()
    session = new_session(tenant, "whatsapp")

    process_handoff(session.pk)

    session.refresh_from_db()
    assert session.status == "done"
    assert session.target == "live_chat"
    assert str(session.dynamics365_chat_id) == CONVERSATION
    assert str(session.dynamics365_contact_id) == CONTACT
    assert session.dynamics365_incident_id is None
    # No documented link opens the conversation: the link opens its contact.
    assert session.record_url == (
        f"{ENVIRONMENT}/main.aspx?etn=contact&pagetype=entityrecord&id={CONTACT}"
    )
    document = status_document(session)
    assert document["target"] == "live_chat"
    assert document["live_chat"] == {
        "conversation_id": CONVERSATION,
        "state": "waiting",
        "agent": None,
    }


def test_it_creates_the_contact_of_a_new_customer_first(tenant, org, messaging):
    org.no_contact()
    org.contact_created()
    messaging.started()
    customer = {"name": "Ana Souza", "email": "Ana.Souza@example.com"}
    session = new_session(tenant, "web", customer=customer)

    process_handoff(session.pk)

    session.refresh_from_db()
    created = org.sent(1)
    assert created["emailaddress1"] == "ana.souza@example.com"
    assert created["contactid"] == str(session.dynamics365_contact_id)
    context = messaging.sent()["customercontext"]
    assert context["email"] == "Ana.Souza@example.com"
    assert (
        messaging.sent()["conversationcontext"]["dynamics_contact_id"]["value"]
        == (created["contactid"])
    )


def test_it_cuts_customer_fields_to_200_characters(tenant, org, messaging):
    org.contact_found(CONTACT)
    messaging.started()
    long_name = "A" * 150 + " " + "B" * 300
    session = new_session(tenant, "sms", customer={"name": long_name, "phone": "+15550100"})

    process_handoff(session.pk)

    session.refresh_from_db()
    assert session.status == "done", session.last_error_message
    context = messaging.sent()["customercontext"]
    assert len(context["preferredname"]) == 200
    assert len(context["lastname"]) == 200
    assert context["firstname"] == "A" * 150


@pytest.mark.parametrize("channel", ["phone", "email"])
def test_it_still_writes_calls_and_emails_as_cases(tenant, org, messaging, channel):
    org.contact_found(CONTACT)
    org.case_created()
    session = new_session(tenant, channel)

    process_handoff(session.pk)

    session.refresh_from_db()
    assert session.target == "incident"
    assert messaging.creates() == []
    assert "live_chat" not in status_document(session)
