"""conversation/create starts a chat once per active customer, with its start message."""

from __future__ import annotations

import uuid

import pytest

from dataverse_sandbox import provisioning
from dataverse_sandbox.messaging import rep
from dataverse_sandbox.messaging.models import Conversation

START = {"message": "Bot: hello\nCustomer: I was charged twice", "displayname": "OpenCX"}


def test_it_starts_a_conversation_with_a_13_digit_start_message_id(messaging):
    body = messaging.create("sess-1", startmessage=START, skipdeflectionbot=True)

    assert uuid.UUID(body["conversationId"])
    assert body["isNew"] is True
    assert len(body["messageId"]) == 13 and body["messageId"].isdigit()
    conversation = Conversation.objects.get(id=body["conversationId"])
    assert conversation.skip_deflection_bot is True


def test_it_leaves_out_the_message_id_without_a_start_message(messaging):
    assert "messageId" not in messaging.create("sess-1")


def test_it_returns_the_active_conversation_for_the_same_customer(messaging):
    first = messaging.create("sess-1", startmessage=START)

    again = messaging.create("sess-1", startmessage={"message": "ignored", "displayname": "x"})

    assert again == {"conversationId": first["conversationId"], "isNew": False}
    conversation = Conversation.objects.get(id=first["conversationId"])
    assert [m.text for m in conversation.items.all()] == [START["message"]]


def test_it_starts_anew_once_the_rep_has_ended_the_last_one(messaging, deliver):
    first = messaging.create("sess-1")
    conversation = Conversation.objects.get(id=first["conversationId"])
    deliver(rep.accept, conversation)
    deliver(rep.end, conversation)

    again = messaging.create("sess-1")

    assert again["isNew"] is True
    assert again["conversationId"] != first["conversationId"]


def test_it_accepts_the_start_message_as_a_string_in_customercontext(messaging):
    body = {"customercontext": {"customerid": "s", "startmessage": "transcript as text"}}

    response = messaging.post("conversation/create", body)

    conversation = Conversation.objects.get(id=response.json()["conversationId"])
    assert conversation.items.get().text == "transcript as text"


def test_it_limits_customer_fields_to_200_characters(messaging):
    body = {"customercontext": {"customerid": "s", "firstname": "a" * 201}}

    response = messaging.post("conversation/create", body)

    assert response.status_code == 400
    assert response.json()["errorCode"] == 30012
    assert "customercontext.firstname" in response.json()["detail"]


@pytest.mark.parametrize(("extra", "status"), [(0, 200), (1, 400)])
def test_it_limits_the_start_message_to_27_kilobytes_of_utf8(messaging, extra, status):
    text = "é" * (27 * 512) + "a" * extra  # 27,648 bytes, then one more

    response = messaging.post(
        "conversation/create", {"startmessage": {"message": text, "displayname": "OpenCX"}}
    )

    assert response.status_code == status


def test_it_refuses_more_than_100_context_variables(messaging):
    context = {f"v{n}": {"isDisplayable": False, "value": str(n)} for n in range(101)}

    response = messaging.post("conversation/create", {"conversationcontext": context})

    assert response.status_code == 400
    assert response.json()["errorCode"] == 30010


@pytest.mark.parametrize("raw", [b"", b"not json", b"[1, 2]"])
def test_it_answers_30012_for_a_missing_or_malformed_body(messaging, raw):
    response = messaging.post("conversation/create", raw)

    assert response.status_code == 400
    assert response.json()["errorCode"] == 30012


def test_it_links_the_contact_with_the_same_email_and_keeps_its_name(messaging, dataverse, org):
    contact_id = dataverse.new_contact(firstname="Maria", lastname="Keller", emailaddress1="m@x.io")
    body = {"customercontext": {"customerid": "s", "firstname": "M", "email": "M@X.io"}}

    created = messaging.post("conversation/create", body).json()

    rows = provisioning.rows(org, "msdyn_ocliveworkitem")
    assert [str(r.record_id) for r in rows] == [created["conversationId"]]
    assert rows[0].data["msdyn_customer"]["id"] == contact_id
    assert rows[0].data["subject"] == "Chat with Maria Keller"
    assert rows[0].data["statecode"] == 0  # Open
